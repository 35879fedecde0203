/** Lifecycle states of an order; `as const` so the union type is derived, never a TS enum. */
export const OrderStatus = {
  PENDING: "PENDING",
  PAID: "PAID",
  PAYMENT_FAILED: "PAYMENT_FAILED",
  FULFILLED: "FULFILLED",
  FULFILLMENT_FAILED: "FULFILLMENT_FAILED",
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/** One line of an order. Money is integer cents, never floats. */
export interface OrderItem {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

/** An order as stored in the `orders` table (partition key `orderId`). */
export interface Order {
  readonly orderId: string;
  readonly customerEmail: string;
  readonly items: readonly OrderItem[];
  readonly amountCents: number;
  readonly currency: string;
  readonly status: OrderStatus;
  /** ISO-8601 UTC, from the injected clock. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What `POST /orders` accepts, after validation. */
export interface NewOrder {
  readonly customerEmail: string;
  readonly items: readonly OrderItem[];
  readonly currency: string;
}

/**
 * Builds a PENDING order from a validated request: the amount is computed here, never trusted from
 * the client.
 *
 * @example
 * ```ts
 * const order = buildOrder({ customerEmail: "a@example.com", currency: "EUR",
 *   items: [{ sku: "SKU-1", quantity: 2, unitPriceCents: 500 }] }, "ord_1", Date.now());
 * order.amountCents; // 1000
 * ```
 */
export function buildOrder(input: NewOrder, orderId: string, nowMs: number): Order {
  let amountCents = 0;
  for (const item of input.items) amountCents += item.quantity * item.unitPriceCents;
  const at = new Date(nowMs).toISOString();
  return {
    orderId,
    customerEmail: input.customerEmail,
    items: input.items.map((item) => ({ ...item })),
    amountCents,
    currency: input.currency,
    status: OrderStatus.PENDING,
    createdAt: at,
    updatedAt: at,
  };
}
