import type { Context } from "aws-lambda";

/**
 * The invocation models the wrappers handle; the value of `trigger` in logs and parked events.
 *
 * @example
 * ```ts
 * import { type ParkedEvent, Trigger } from "@rebound/errors";
 * function sourceOf(parked: ParkedEvent): unknown {
 *   return parked.trigger === Trigger.Sqs ? parked.record : parked.event;
 * }
 * ```
 */
export const Trigger = {
  Http: "http",
  Async: "async",
  Sqs: "sqs",
  DynamoDBStream: "dynamodb-stream",
  Kinesis: "kinesis",
} as const;
export type Trigger = (typeof Trigger)[keyof typeof Trigger];

/**
 * Marks a message body as a Rebound parked event, so a consumer (dlq-alerts) can recognise it.
 *
 * @example
 * ```ts
 * import { PARKED_EVENT_KIND } from "@rebound/errors";
 * const body = JSON.parse('{"kind":"rebound.parked-event"}') as { kind?: string };
 * console.log(body.kind === PARKED_EVENT_KIND); // true: a parked event, not an ordinary message
 * ```
 */
export const PARKED_EVENT_KIND = "rebound.parked-event";

/**
 * A permanent failure set aside instead of retried: the original event or record in full, plus why
 * and when. This is the JSON body the SQS parker sends.
 *
 * @example
 * ```ts
 * import type { SQSRecord } from "aws-lambda";
 * import { PARKED_EVENT_KIND, type ParkedEvent } from "@rebound/errors";
 * declare const message: SQSRecord; // a message of the parking queue
 * const parked = JSON.parse(message.body) as ParkedEvent;
 * if (parked.kind === PARKED_EVENT_KIND) console.log(parked.errorCode, parked.record ?? parked.event);
 * ```
 */
export interface ParkedEvent {
  readonly kind: typeof PARKED_EVENT_KIND;
  readonly version: 1;
  readonly trigger: Trigger;
  /** Async triggers: the whole event as the function received it. */
  readonly event?: unknown;
  /** SQS and stream triggers: the one record, as received (SQS body, attributes; stream images). */
  readonly record?: unknown;
  readonly errorName: string;
  readonly errorMessage: string;
  readonly errorCode: string;
  /**
   * Attempt number as far as it is knowable: SQS `ApproximateReceiveCount`; async and streams the
   * number of times this container saw the request id / sequence number (a lower bound).
   */
  readonly attempt: number;
  /** SQS only: `ApproximateReceiveCount`. */
  readonly receiveCount?: number;
  /** The Lambda `awsRequestId` of the invocation that parked it. */
  readonly requestId: string;
  /** SQS only: the message id (also the FIFO deduplication id of the parked message). */
  readonly messageId?: string;
  /** Streams only: the record's sequence number. */
  readonly sequenceNumber?: string;
  /** SQS and streams: where the record came from. */
  readonly eventSourceARN?: string;
  /** SQS FIFO only: the message group, reused for a FIFO parking queue. */
  readonly messageGroupId?: string;
  readonly functionName?: string;
  /** ISO-8601 with milliseconds, from the wrapper's injected clock. */
  readonly parkedAt: string;
}

/**
 * Where permanent failures go. Implement it to park somewhere else (S3, a table); `park` must reject
 * if the entry was not stored, so the wrapper can let AWS retry the event instead of losing it.
 *
 * @example
 * ```ts
 * import type { Parker } from "@rebound/errors";
 * const parked: unknown[] = [];
 * const memoryParker: Parker = { park: async (entry) => void parked.push(entry) };
 * ```
 */
export interface Parker {
  park(entry: ParkedEvent): Promise<void>;
}

/**
 * The `parking` option: a Parker, or a queue URL for the built-in `SqsParker`.
 *
 * @example
 * ```ts
 * import { type ParkedEvent, type ParkingOption, sqsBatchHandler } from "@rebound/errors";
 * const toQueue: ParkingOption = { queueUrl: process.env.PARKING_QUEUE_URL! };
 * const kept: ParkedEvent[] = [];
 * const inMemory: ParkingOption = { park: async (entry) => void kept.push(entry) };
 * export const handler = sqsBatchHandler(async () => undefined, { parking: process.env.PARKING_QUEUE_URL ? toQueue : inMemory });
 * ```
 */
export type ParkingOption = Parker | { readonly queueUrl: string };

/** Builds the parked entry every wrapper sends: common fields here, trigger-specific ones in `fields`. */
export function parkedEvent(
  trigger: Trigger,
  error: unknown,
  context: Context,
  clock: () => number,
  fields: { readonly attempt: number } & Partial<ParkedEvent>,
): ParkedEvent {
  return {
    kind: PARKED_EVENT_KIND,
    version: 1,
    trigger,
    ...errorFields(error),
    requestId: context.awsRequestId,
    functionName: context.functionName,
    parkedAt: new Date(clock()).toISOString(),
    ...fields,
  };
}

/** The error fields logs and parked events carry. Never throws, whatever was thrown. */
export function errorFields(error: unknown): { errorName: string; errorMessage: string; errorCode: string } {
  const isObject = typeof error === "object" && error !== null;
  const { name, message, code } = (isObject ? error : {}) as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
  };
  return {
    errorName: typeof name === "string" ? name : isObject ? "Error" : typeof error,
    errorMessage: typeof message === "string" ? message : isObject ? "" : String(error),
    errorCode: typeof code === "string" || typeof code === "number" ? String(code) : "UNKNOWN",
  };
}
