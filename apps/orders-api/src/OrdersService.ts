import { createHash } from "node:crypto";
import { ConflictError, NotFoundError } from "@rebound/errors";
import type { OrderRepository } from "./OrderRepository.js";
import { buildOrder, type NewOrder, type Order, OrderStatus } from "./order.js";
import type { PaymentQueue } from "./PaymentQueue.js";

/** What the service needs; all of it injectable so tests use real local servers and a fixed clock. */
export interface OrdersServiceOptions {
  readonly repository: OrderRepository;
  readonly paymentQueue: PaymentQueue;
  /** Epoch milliseconds. Default `Date.now`. */
  readonly clock?: () => number;
  /** A fresh order id when the client sent no Idempotency-Key. Default: `ord_` + random UUID. */
  readonly newOrderId?: () => string;
}

/**
 * Order id for a request that carries an Idempotency-Key: derived from the key, so a retry after a
 * crash between "order written" and "payment enqueued" lands on the same order instead of
 * creating a second one (the idempotency record is released on failure, the order is not).
 *
 * @example
 * ```ts
 * orderIdFromKey("3f2c..."); // "ord_k_5e0b..." (same key, same id)
 * ```
 */
export function orderIdFromKey(idempotencyKey: string): string {
  // 128 bits of SHA-256 is plenty to keep distinct keys apart.
  return `ord_k_${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 32)}`;
}

function sameOrder(a: Order, b: NewOrder): boolean {
  return (
    a.customerEmail === b.customerEmail &&
    a.currency === b.currency &&
    a.items.length === b.items.length &&
    a.items.every(
      (item, i) =>
        item.sku === b.items[i]?.sku &&
        item.quantity === b.items[i]?.quantity &&
        item.unitPriceCents === b.items[i]?.unitPriceCents,
    )
  );
}

/**
 * The orders domain: create (write the order, then enqueue its payment) and read.
 *
 * @example
 * ```ts
 * const service = new OrdersService({ repository, paymentQueue });
 * const order = await service.create(newOrder, "client-key-1");
 * ```
 */
export class OrdersService {
  readonly #repository: OrderRepository;
  readonly #paymentQueue: PaymentQueue;
  readonly #clock: () => number;
  readonly #newOrderId: () => string;

  public constructor(options: OrdersServiceOptions) {
    this.#repository = options.repository;
    this.#paymentQueue = options.paymentQueue;
    this.#clock = options.clock ?? Date.now;
    this.#newOrderId = options.newOrderId ?? (() => `ord_${crypto.randomUUID().replaceAll("-", "")}`);
  }

  /**
   * Creates a PENDING order and enqueues its payment. With an idempotency key the order id is derived
   * from it, so re-running after a partial failure resumes the same order (the payment may then be
   * enqueued twice; the payments worker charges at most once per order).
   */
  public async create(input: NewOrder, idempotencyKey?: string): Promise<Order> {
    const orderId = idempotencyKey === undefined ? this.#newOrderId() : orderIdFromKey(idempotencyKey);
    const { created, order } = await this.#repository.insert(buildOrder(input, orderId, this.#clock()));
    if (!created && !sameOrder(order, input)) {
      // Only reachable once the idempotency record has expired and the key is reused for another body.
      throw new ConflictError(`Idempotency-Key was already used for order ${orderId} with another body`, {
        code: "IDEMPOTENCY_KEY_REUSED",
      });
    }
    if (created || order.status === OrderStatus.PENDING) await this.#paymentQueue.enqueue(order);
    return order;
  }

  /** Reads an order; 404 through {@link NotFoundError} when there is none. */
  public async get(orderId: string): Promise<Order> {
    const order = await this.#repository.get(orderId);
    if (order === undefined)
      throw new NotFoundError(`order ${orderId} not found`, { code: "ORDER_NOT_FOUND" });
    return order;
  }
}
