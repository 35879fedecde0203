import { ValidationError } from "@rebound/errors";

/** What the orders API enqueues on the payments queue. */
export interface PaymentRequest {
  readonly orderId: string;
  readonly amountCents: number;
  readonly currency: string;
}

/**
 * Parses one SQS message body into a payment request. Anything else is a {@link ValidationError}
 * (permanent): the same bytes will never parse on a later delivery, so the message is parked, not
 * retried. Hand-written (no schema library) because three fields do not justify 5 KB of bundle.
 *
 * @example
 * ```ts
 * parsePaymentRequest('{"orderId":"o-1","amountCents":1200,"currency":"EUR"}');
 * ```
 */
export function parsePaymentRequest(body: string): PaymentRequest {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new ValidationError("payment request is not JSON", {
      cause: error,
      issues: ['body: expected JSON such as {"orderId":"ord_1","amountCents":1200,"currency":"EUR"}'],
    });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError("payment request is not a JSON object", {
      issues: ["body: expected an object"],
    });
  }
  const candidate = value as Record<string, unknown>;
  const issues: string[] = [];
  if (typeof candidate["orderId"] !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(candidate["orderId"])) {
    issues.push("orderId: expected 1-64 of A-Z a-z 0-9 _ -");
  }
  const amount = candidate["amountCents"];
  if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount <= 0) {
    issues.push("amountCents: expected a positive integer");
  }
  if (typeof candidate["currency"] !== "string" || !/^[A-Z]{3}$/.test(candidate["currency"])) {
    issues.push("currency: expected an ISO 4217 code such as EUR");
  }
  if (issues.length > 0) throw new ValidationError("payment request is invalid", { issues });
  return {
    orderId: candidate["orderId"] as string,
    amountCents: amount as number,
    currency: candidate["currency"] as string,
  };
}
