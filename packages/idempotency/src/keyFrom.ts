import { IdempotencyConfigError } from "./errors.js";
import { describe } from "./validateOptions.js";

// Key helpers for the usual sources. Each returns undefined for a missing or empty key, so
// makeIdempotent can apply `onMissingKey` instead of guarding on "undefined" as a key.

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The Lambda request id: stable across AWS's async retries of one event (S3, SNS, EventBridge,
 * `InvocationType: Event`). Not for SQS or streams, where every poll is a new invocation with a
 * new id: use {@link keyFromMessageId} or {@link keyFromEventId} there.
 *
 * @example
 * ```ts
 * import type { Context, EventBridgeEvent } from "aws-lambda";
 * import { InMemoryStore, keyFromRequestId, makeIdempotent } from "@rebound/idempotency";
 * declare function sendReceipt(event: EventBridgeEvent<"OrderPaid", { orderId: string }>, context: Context): Promise<void>;
 * export const handler = makeIdempotent(sendReceipt, {
 *   store: new InMemoryStore(),
 *   keyFrom: (_event, context) => keyFromRequestId(context),
 * });
 * ```
 */
export function keyFromRequestId(
  context: { readonly awsRequestId?: string } | undefined,
): string | undefined {
  return nonEmpty(context?.awsRequestId);
}

/**
 * An SQS record's `messageId`: the same on every redelivery of one message. A message sent twice
 * by its producer gets two ids; use {@link keyFromPath} on a business key to catch that too.
 *
 * @example
 * ```ts
 * import type { SQSRecord } from "aws-lambda";
 * import { InMemoryStore, keyFromMessageId, makeIdempotent } from "@rebound/idempotency";
 * declare function processRecord(record: SQSRecord): Promise<void>;
 * const processOnce = makeIdempotent(processRecord, { store: new InMemoryStore(), keyFrom: keyFromMessageId });
 * ```
 */
export function keyFromMessageId(record: { readonly messageId?: string } | undefined): string | undefined {
  return nonEmpty(record?.messageId);
}

/**
 * A stream record's `eventID` (DynamoDB Streams; Kinesis records carry `eventID` too, as
 * `shardId:sequenceNumber`): the same on every retry of the batch holding it.
 *
 * @example
 * ```ts
 * import type { DynamoDBRecord } from "aws-lambda";
 * import { InMemoryStore, keyFromEventId, makeIdempotent } from "@rebound/idempotency";
 * declare function applyChange(record: DynamoDBRecord): Promise<void>;
 * const applyOnce = makeIdempotent(applyChange, { store: new InMemoryStore(), keyFrom: keyFromEventId });
 * ```
 */
export function keyFromEventId(record: { readonly eventID?: string } | undefined): string | undefined {
  return nonEmpty(record?.eventID);
}

/**
 * A business key read from the input at a dotted path (`"orderId"`, `"detail.order.id"`). Strings
 * are used as they are, finite numbers as their decimal text; anything else is a missing key.
 * JSON strings (an SQS `body`) are not parsed: write a function for those.
 *
 * @example
 * ```ts
 * import { InMemoryStore, keyFromPath, makeIdempotent } from "@rebound/idempotency";
 * declare function charge(payment: { orderId: string; amountCents: number }): Promise<{ chargeId: string }>;
 * const chargeOnce = makeIdempotent(charge, { store: new InMemoryStore(), keyFrom: keyFromPath("orderId") });
 * ```
 */
export function keyFromPath(path: string): (input: unknown) => string | undefined {
  if (typeof path !== "string" || path === "" || path.split(".").some((segment) => segment === "")) {
    throw new IdempotencyConfigError(
      `keyFromPath: path must be dot-separated property names such as "orderId" or "detail.orderId", received ${describe(path)}`,
    );
  }
  const segments = path.split(".");
  return function keyAtPath(input: unknown): string | undefined {
    let value = input;
    for (const segment of segments) {
      if (typeof value !== "object" || value === null) return undefined;
      value = (value as Record<string, unknown>)[segment];
    }
    if (typeof value === "number") return Number.isFinite(value) ? String(value) : undefined;
    return nonEmpty(value);
  };
}
