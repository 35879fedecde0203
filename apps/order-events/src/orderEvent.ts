import { ValidationError } from "@rebound/errors";
import type { DynamoDBRecord } from "aws-lambda";

/** Event types on the `order-events` topic (also the `type` message attribute, for filter policies). */
export const OrderEventType = { OrderPaid: "OrderPaid", OrderFailed: "OrderFailed" } as const;
export type OrderEventType = (typeof OrderEventType)[keyof typeof OrderEventType];

/** The SNS message body, exactly as the contract fixes it. */
export interface OrderEvent {
  readonly type: OrderEventType;
  readonly orderId: string;
  readonly customerEmail: string;
  readonly amountCents: number;
  readonly currency: string;
  /** ISO-8601: the order's `updatedAt` at the transition, so the same record always yields the same event. */
  readonly occurredAt: string;
}

type Image = NonNullable<NonNullable<DynamoDBRecord["dynamodb"]>["NewImage"]>;

const TRANSITIONS: Readonly<Record<string, OrderEventType>> = {
  PAID: OrderEventType.OrderPaid,
  PAYMENT_FAILED: OrderEventType.OrderFailed,
};

function text(image: Image, name: string, issues: string[]): string {
  const value = image[name]?.S;
  if (typeof value !== "string" || value.length === 0)
    issues.push(`NewImage.${name}: expected a non-empty S`);
  return value ?? "";
}

/**
 * The order event a stream record announces, or `undefined` when it announces none (an insert of a
 * PENDING order, a removal, a change that keeps the status). Only the transition INTO PAID or
 * PAYMENT_FAILED publishes, so a later edit of a paid order does not announce it twice.
 *
 * A record whose image is not an order (missing fields, amount not an integer) throws
 * {@link ValidationError}: permanent, so it is parked and the shard moves on.
 *
 * @example
 * ```ts
 * const event = orderEventFrom(record); // { type: "OrderPaid", orderId: "ord_1", ... } | undefined
 * ```
 */
export function orderEventFrom(record: DynamoDBRecord): OrderEvent | undefined {
  if (record.eventName === "REMOVE") return undefined;
  const image = record.dynamodb?.NewImage;
  if (image === undefined) {
    throw new ValidationError(`stream record ${record.eventID ?? "?"} has no NewImage`, {
      issues: ["dynamodb.NewImage: missing; the orders table stream must be NEW_AND_OLD_IMAGES"],
    });
  }
  const status = image["status"]?.S;
  const type = status === undefined ? undefined : TRANSITIONS[status];
  if (type === undefined || record.dynamodb?.OldImage?.["status"]?.S === status) return undefined;

  const issues: string[] = [];
  const orderId = text(image, "orderId", issues);
  const customerEmail = text(image, "customerEmail", issues);
  const currency = text(image, "currency", issues);
  const amountCents = Number(image["amountCents"]?.N);
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0)
    issues.push("NewImage.amountCents: expected a positive integer N");
  const updatedAt = image["updatedAt"]?.S;
  const occurredAtMs = updatedAt === undefined ? Number.NaN : Date.parse(updatedAt);
  const creation = record.dynamodb?.ApproximateCreationDateTime;
  const occurredAt = Number.isFinite(occurredAtMs)
    ? new Date(occurredAtMs).toISOString()
    : typeof creation === "number"
      ? new Date(creation * 1000).toISOString()
      : "";
  if (occurredAt === "") issues.push("NewImage.updatedAt: expected an ISO-8601 S");
  if (issues.length > 0) {
    throw new ValidationError(`stream record ${record.eventID ?? "?"} is not an order`, { issues });
  }
  return { type, orderId, customerEmail, amountCents, currency, occurredAt };
}
