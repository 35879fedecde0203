import { PermanentError } from "@rebound/errors";
import type { OrderPayments } from "./OrderPayments.js";
import type { ChargeOutcome } from "./PaymentProvider.js";
import type { PaymentRequest } from "./paymentRequest.js";

/** What one processed message did, for logs and tests. */
export type PaymentResult =
  | { readonly action: "charged"; readonly chargeId: string }
  | { readonly action: "declined"; readonly reason: string }
  | { readonly action: "skipped"; readonly status: string };

/** Options of {@link PaymentsService}. */
export interface PaymentsServiceOptions {
  readonly orders: OrderPayments;
  /** The provider call, already wrapped in makeIdempotent (keyed by orderId) by the caller. */
  readonly chargeOnce: (request: PaymentRequest, context?: unknown) => Promise<ChargeOutcome>;
  readonly clock?: () => number;
}

/**
 * Pays one order: check the order, charge at most once, record the outcome on the order.
 *
 * Two guards keep a charge single: the order's status (once PAID or PAYMENT_FAILED, a redelivered
 * message is skipped without calling anyone), and the idempotent `chargeOnce` (a crash between the
 * charge and the status update replays the stored outcome instead of charging again).
 *
 * @example
 * ```ts
 * const result = await new PaymentsService({ orders, chargeOnce }).pay(request, context);
 * ```
 */
export class PaymentsService {
  readonly #orders: OrderPayments;
  readonly #chargeOnce: PaymentsServiceOptions["chargeOnce"];
  readonly #clock: () => number;

  public constructor(options: PaymentsServiceOptions) {
    this.#orders = options.orders;
    this.#chargeOnce = options.chargeOnce;
    this.#clock = options.clock ?? Date.now;
  }

  public async pay(request: PaymentRequest, context?: unknown): Promise<PaymentResult> {
    const order = await this.#orders.get(request.orderId);
    if (order === undefined) {
      throw new PermanentError(`order ${request.orderId} does not exist`, { code: "ORDER_NOT_FOUND" });
    }
    if (order.status !== "PENDING") return { action: "skipped", status: order.status };
    if (order.amountCents !== request.amountCents || order.currency !== request.currency) {
      throw new PermanentError(
        `payment request for ${request.orderId} says ${request.amountCents} ${request.currency}, ` +
          `the order says ${order.amountCents} ${order.currency}`,
        { code: "AMOUNT_MISMATCH" },
      );
    }
    const outcome = await this.#chargeOnce(request, context);
    const at = new Date(this.#clock()).toISOString();
    if (outcome.outcome === "charged") {
      await this.#orders.markPaid(request.orderId, outcome.chargeId, at);
      return { action: "charged", chargeId: outcome.chargeId };
    }
    await this.#orders.markPaymentFailed(request.orderId, outcome.reason, at);
    return { action: "declined", reason: outcome.reason };
  }
}
