import { type Parker, streamBatchHandler } from "@rebound/errors";
import { type BasePersistenceLayer, makeIdempotent } from "@rebound/idempotency";
import type { DynamoDBRecord } from "aws-lambda";
import type { FulfillmentQueue } from "./FulfillmentQueue.js";
import type { OrderEventPublisher } from "./OrderEventPublisher.js";
import { type OrderEvent, OrderEventType, orderEventFrom } from "./orderEvent.js";

/** Options of {@link createOrderEvents}. */
export interface OrderEventsOptions {
  readonly publisher: OrderEventPublisher;
  readonly fulfillment: FulfillmentQueue;
  readonly idempotencyStore: BasePersistenceLayer;
  /** Where malformed records go: the `parked-events` queue (`{ queueUrl }`) or any Parker. */
  readonly parking: Parker | { readonly queueUrl: string };
  readonly clock?: () => number;
}

interface Step {
  readonly eventId: string;
  readonly event: OrderEvent;
}

// Stream records live 24 h; a redelivered record can never be older than that, so 2 days is ample.
const STEP_RECORD_TTL_SECONDS = 2 * 86_400;

/**
 * Builds the DynamoDB stream handler of the orders table: stop at the first failure (order kept,
 * checkpoint at the failed record), malformed records parked so they never block the shard, and
 * each side effect idempotent per stream record (`eventID`): a retried batch re-runs earlier records,
 * and without this a payment would be announced (and a receipt mailed) twice. Publish and enqueue
 * are separate steps, so a failure of the second never repeats the first.
 *
 * @example
 * ```ts
 * export const handler = createOrderEvents({ publisher, fulfillment, idempotencyStore, parking: { queueUrl } });
 * ```
 */
export function createOrderEvents(options: OrderEventsOptions) {
  const { publisher, fulfillment, idempotencyStore, clock } = options;
  const common = {
    store: idempotencyStore,
    keyFrom: (step: Step) => step.eventId,
    payloadFrom: (step: Step) => step.event,
    expiresAfterSeconds: STEP_RECORD_TTL_SECONDS,
    ...(clock === undefined ? {} : { clock }),
  };
  const publishOnce = makeIdempotent((step: Step) => publisher.publish(step.event), {
    ...common,
    namespace: "order-events:publish",
  });
  const enqueueOnce = makeIdempotent((step: Step) => fulfillment.enqueue(step.event.orderId), {
    ...common,
    namespace: "order-events:fulfil",
  });
  return streamBatchHandler(
    async function announce(record) {
      const dynamoRecord = record as DynamoDBRecord;
      const event = orderEventFrom(dynamoRecord);
      if (event === undefined) return;
      // eventID is unique per stream record and stable across retries of the batch.
      const step: Step = {
        eventId: dynamoRecord.eventID ?? dynamoRecord.dynamodb?.SequenceNumber ?? "",
        event,
      };
      await publishOnce(step);
      if (event.type === OrderEventType.OrderPaid) await enqueueOnce(step);
    },
    { parking: options.parking },
  );
}
