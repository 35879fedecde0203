import { PARKED_EVENT_KIND, ValidationError } from "@rebound/errors";
import type { SQSRecord } from "aws-lambda";

const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** What to start: the order, and the SQS message id the execution is named after. */
export interface FulfillmentRequest {
  readonly orderId: string;
  /** The id of the message as first sent (kept through a park + redrive). */
  readonly messageId: string;
}

/**
 * Reads a fulfillment queue message (`{"orderId"}`). A redriven parked envelope (see
 * @rebound/errors' parker) is unwrapped and keeps its ORIGINAL message id, so the execution name,
 * and with it the once-only guarantee, survives a trip through the DLQ. Malformed bodies are a
 * {@link ValidationError}: parked, never retried.
 *
 * @example
 * ```ts
 * fulfillmentRequest(record); // { orderId: "ord_1", messageId: "059f36b4-87a3-44ab-83d2-661975830a7d" }
 * ```
 */
export function fulfillmentRequest(record: SQSRecord): FulfillmentRequest {
  let body = record.body;
  let messageId = record.messageId;
  if (body.includes(PARKED_EVENT_KIND)) {
    try {
      const envelope = JSON.parse(body) as { kind?: unknown; trigger?: unknown; record?: Partial<SQSRecord> };
      if (
        envelope.kind === PARKED_EVENT_KIND &&
        envelope.trigger === "sqs" &&
        typeof envelope.record?.body === "string"
      ) {
        body = envelope.record.body;
        messageId = typeof envelope.record.messageId === "string" ? envelope.record.messageId : messageId;
      }
    } catch {
      // Not JSON: reported below.
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new ValidationError("fulfillment message is not JSON", {
      cause: error,
      issues: ['body: expected {"orderId":"ord_1"}'],
    });
  }
  const orderId = (value as { orderId?: unknown } | null)?.orderId;
  if (typeof orderId !== "string" || !ORDER_ID.test(orderId)) {
    throw new ValidationError("fulfillment message has no valid orderId", {
      issues: ["orderId: expected 1-64 of A-Z a-z 0-9 _ -"],
    });
  }
  return { orderId, messageId };
}

/**
 * A Step Functions execution name from an SQS message id: at most 80 characters of
 * `[A-Za-z0-9-_]` (the contract's safe subset of what StartExecution accepts). SQS message ids are
 * UUIDs (36 characters), so in practice this is the identity.
 *
 * @example
 * ```ts
 * executionName("059f36b4-87a3-44ab-83d2-661975830a7d"); // "059f36b4-87a3-44ab-83d2-661975830a7d"
 * ```
 */
export function executionName(messageId: string): string {
  const name = messageId.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 80);
  if (name.length === 0)
    throw new ValidationError("message id is empty", { issues: ["messageId: expected non-empty"] });
  return name;
}
