import { type Parker, sqsBatchHandler } from "@rebound/errors";
import type { SQSRecord } from "aws-lambda";
import { executionName, fulfillmentRequest } from "./fulfillmentMessage.js";
import type { WorkflowStarter } from "./WorkflowStarter.js";

/** Options of {@link createFulfillmentStarter}. */
export interface FulfillmentStarterOptions {
  readonly starter: WorkflowStarter;
  /** Where malformed messages go: the fulfillment DLQ (`{ queueUrl }`) or any Parker. */
  readonly parking: Parker | { readonly queueUrl: string };
}

/**
 * Builds the SQS handler of the fulfillment queue: one named StartExecution per message. No
 * idempotency table is needed: the execution name is the idempotency key, enforced by Step
 * Functions itself. Throttling and 5xx from Step Functions are retried by SQS; a malformed message
 * is parked in the DLQ; invalid configuration (no such state machine) is a permanent AWS 4xx and is
 * parked too, so a person sees it instead of the queue spinning.
 *
 * @example
 * ```ts
 * export const handler = createFulfillmentStarter({ starter, parking: { queueUrl } });
 * ```
 */
export function createFulfillmentStarter(options: FulfillmentStarterOptions) {
  const { starter } = options;
  return sqsBatchHandler(
    async function startOne(record: SQSRecord) {
      const request = fulfillmentRequest(record);
      await starter.start(executionName(request.messageId), { orderId: request.orderId });
    },
    { parking: options.parking },
  );
}
