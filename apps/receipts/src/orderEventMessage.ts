import { ValidationError } from "@rebound/errors";
import type { SNSEvent } from "aws-lambda";
import * as v from "valibot";

/** The order event as published on the `order-events` topic (see the orders contract). */
export const orderEventSchema = v.object({
  type: v.picklist(["OrderPaid", "OrderFailed"], "expected OrderPaid or OrderFailed"),
  orderId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, "expected 1-64 of A-Z a-z 0-9 _ -")),
  customerEmail: v.pipe(v.string(), v.email("expected an email address")),
  amountCents: v.pipe(
    v.number(),
    v.safeInteger("expected integer cents"),
    v.minValue(1, "expected at least 1"),
  ),
  currency: v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, "expected an ISO 4217 code")),
  occurredAt: v.pipe(v.string(), v.isoTimestamp("expected an ISO-8601 timestamp")),
});
export type OrderEvent = v.InferOutput<typeof orderEventSchema>;

/**
 * The order event inside an SNS → Lambda event. SNS invokes asynchronously with exactly one record;
 * anything else (no record, not JSON, wrong shape) is a {@link ValidationError}: permanent, so it is
 * parked rather than retried three times by Lambda.
 *
 * @example
 * ```ts
 * const event = orderEventFromSns(snsEvent); // { type: "OrderPaid", orderId: "ord_1", ... }
 * ```
 */
export function orderEventFromSns(event: SNSEvent): OrderEvent {
  const records = (event as Partial<SNSEvent> | null)?.Records;
  if (!Array.isArray(records) || records.length !== 1 || typeof records[0]?.Sns?.Message !== "string") {
    throw new ValidationError("expected an SNS event with exactly one record", {
      issues: ["Records: expected one record with Sns.Message (SNS invokes with one record)"],
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(records[0].Sns.Message);
  } catch (error) {
    throw new ValidationError("SNS message is not JSON", {
      cause: error,
      issues: ["Sns.Message: expected JSON"],
    });
  }
  const result = v.safeParse(orderEventSchema, body, { abortEarly: false });
  if (result.success) return result.output;
  throw new ValidationError("SNS message is not an order event", {
    issues: result.issues.map((issue) => `${v.getDotPath(issue) ?? "Message"}: ${issue.message}`),
  });
}
