import { PermanentError } from "@rebound/errors";

/** What the orders API enqueues for the payments worker. */
export interface PaymentRequest {
  readonly orderId: string;
  readonly amountCents: number;
  readonly currency: string;
}

/**
 * Parses one SQS message body into a payment request; anything else is a permanent error, because
 * the same bytes will never parse on a later delivery.
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
    throw new PermanentError("payment request is not JSON", { cause: error });
  }
  const candidate = value as Partial<PaymentRequest> | null;
  if (
    typeof candidate?.orderId !== "string" ||
    typeof candidate.amountCents !== "number" ||
    !Number.isInteger(candidate.amountCents) ||
    candidate.amountCents <= 0 ||
    typeof candidate.currency !== "string"
  ) {
    throw new PermanentError(
      "payment request needs orderId (string), amountCents (positive integer), currency",
    );
  }
  return { orderId: candidate.orderId, amountCents: candidate.amountCents, currency: candidate.currency };
}
