import { asyncHandler, type Parker } from "@rebound/errors";
import { type BasePersistenceLayer, makeIdempotent } from "@rebound/idempotency";
import type { SNSEvent } from "aws-lambda";
import type { MailProvider } from "./MailProvider.js";
import { type OrderEvent, orderEventFromSns } from "./orderEventMessage.js";
import { receiptEmail } from "./receiptEmail.js";

/** Options of {@link createReceipts}. */
export interface ReceiptsOptions {
  readonly mail: MailProvider;
  readonly idempotencyStore: BasePersistenceLayer;
  /** Where permanent failures go: the `parked-events` queue (`{ queueUrl }`) or any Parker. */
  readonly parking: Parker | { readonly queueUrl: string };
  readonly clock?: () => number;
}

// One receipt per order event ever: keep the record 7 days, beyond async's 6 h max event age and any
// manual redrive of the failure queue within its 4-day retention.
const RECEIPT_RECORD_TTL_SECONDS = 7 * 86_400;

/**
 * Builds the async (SNS-subscribed) handler: one receipt per order event. Idempotent on the
 * business key `type:orderId`, not the request id: a duplicate SNS publish is a new invocation with
 * a new request id, and the customer must still get one e-mail. Permanent failures are parked and
 * the invocation succeeds (no async retries); retryable ones are thrown so Lambda retries twice
 * more and then sends the event to the on-failure destination.
 *
 * @example
 * ```ts
 * export const handler = createReceipts({ mail, idempotencyStore, parking: { queueUrl } });
 * ```
 */
export function createReceipts(options: ReceiptsOptions) {
  const { mail, clock } = options;
  const sendOnce = makeIdempotent(
    (event: OrderEvent) => mail.send(receiptEmail(event), `receipt-${event.type}-${event.orderId}`),
    {
      store: options.idempotencyStore,
      keyFrom: (event: OrderEvent) => `${event.type}:${event.orderId}`,
      namespace: "receipts:send",
      expiresAfterSeconds: RECEIPT_RECORD_TTL_SECONDS,
      ...(clock === undefined ? {} : { clock }),
    },
  );
  return asyncHandler(
    async function sendReceipt(event: SNSEvent) {
      const orderEvent = orderEventFromSns(event);
      return { messageId: await sendOnce(orderEvent) };
    },
    { parking: options.parking },
  );
}
