import { type Parker, sqsBatchHandler } from "@rebound/errors";
import { type BasePersistenceLayer, makeIdempotent } from "@rebound/idempotency";
import type { Context, SQSRecord } from "aws-lambda";
import type { OrderPayments } from "./OrderPayments.js";
import type { PaymentProvider } from "./PaymentProvider.js";
import { PaymentsService } from "./PaymentsService.js";
import { type PaymentRequest, parsePaymentRequest } from "./paymentRequest.js";
import { unwrapRedriven } from "./unwrapRedriven.js";

/** Options of {@link createPaymentsWorker}. */
export interface PaymentsWorkerOptions {
  readonly orders: OrderPayments;
  readonly provider: PaymentProvider;
  readonly idempotencyStore: BasePersistenceLayer;
  /** Where permanent failures go: the payments DLQ (`{ queueUrl }`) or any Parker. */
  readonly parking: Parker | { readonly queueUrl: string };
  readonly clock?: () => number;
}

// A charge outcome is remembered 7 days: longer than the payments queue's retention (4 days by
// default), so no redelivery can outlive it. The order status guards beyond that anyway.
const CHARGE_RECORD_TTL_SECONDS = 7 * 86_400;

/**
 * Builds the SQS handler of the payments queue: partial batch responses; a malformed message or an
 * impossible order is parked in the DLQ at once; provider outages are retried by SQS (the message
 * comes back after the visibility timeout, then goes to the DLQ after maxReceiveCount); a decline
 * marks the order PAYMENT_FAILED and is done.
 *
 * @example
 * ```ts
 * export const handler = createPaymentsWorker({ orders, provider, idempotencyStore, parking: { queueUrl } });
 * ```
 */
export function createPaymentsWorker(options: PaymentsWorkerOptions) {
  const { provider, clock } = options;
  const chargeOnce = makeIdempotent((request: PaymentRequest) => provider.charge(request), {
    store: options.idempotencyStore,
    keyFrom: (request: PaymentRequest) => request.orderId,
    // Amount and currency are part of the payload: the same order id with another amount is a bug, not a retry.
    payloadFrom: (request: PaymentRequest) => request,
    namespace: "payments-worker:charge",
    expiresAfterSeconds: CHARGE_RECORD_TTL_SECONDS,
    ...(clock === undefined ? {} : { clock }),
  });
  const service = new PaymentsService({
    orders: options.orders,
    chargeOnce,
    ...(clock === undefined ? {} : { clock }),
  });
  return sqsBatchHandler(
    async function payOne(record: SQSRecord, _attempt: unknown, context: Context) {
      await service.pay(parsePaymentRequest(unwrapRedriven(record.body)), context);
    },
    { parking: options.parking },
  );
}
