import type { OrderEvent } from "./orderEventMessage.js";

/** The e-mail a customer receives for an order event. */
export interface ReceiptEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/**
 * Formats integer cents in the order's currency (`Intl`, so JPY gets no decimals).
 *
 * @example
 * ```ts
 * formatAmount(2800, "EUR"); // "€28.00"
 * ```
 */
export function formatAmount(amountCents: number, currency: string): string {
  const format = new Intl.NumberFormat("en-GB", { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountCents / 10 ** digits);
}

/**
 * The receipt for a paid order, or the notice for a failed payment. Pure: same event, same e-mail.
 *
 * @example
 * ```ts
 * receiptEmail({ type: "OrderPaid", orderId: "ord_1", customerEmail: "a@example.com",
 *   amountCents: 2800, currency: "EUR", occurredAt: "2024-01-01T12:00:00.000Z" }).subject;
 * // "Receipt for order ord_1"
 * ```
 */
export function receiptEmail(event: OrderEvent): ReceiptEmail {
  const amount = formatAmount(event.amountCents, event.currency);
  if (event.type === "OrderPaid") {
    return {
      to: event.customerEmail,
      subject: `Receipt for order ${event.orderId}`,
      text: `Thank you! We received ${amount} for order ${event.orderId} on ${event.occurredAt}.`,
    };
  }
  return {
    to: event.customerEmail,
    subject: `Payment failed for order ${event.orderId}`,
    text: `We could not take ${amount} for order ${event.orderId}. Nothing was charged; please try another card.`,
  };
}
