import { SFNClient } from "@aws-sdk/client-sfn";
import { requireEnv } from "@rebound/lambda-env";
import { createFulfillmentStarter } from "./createFulfillmentStarter.js";
import { WorkflowStarter } from "./WorkflowStarter.js";

const env = requireEnv(process.env, ["STATE_MACHINE_ARN", "PARKING_QUEUE_URL"]);
// One client per container; endpoint from AWS_ENDPOINT_URL_SFN when set.
const sfn = new SFNClient({});

/**
 * SQS entry point of the fulfillment queue (ReportBatchItemFailures on the mapping).
 *
 * @example
 * ```ts
 * // Lambda handler setting: index.handler
 * ```
 */
export const handler = createFulfillmentStarter({
  starter: new WorkflowStarter({ client: sfn, stateMachineArn: env.STATE_MACHINE_ARN }),
  parking: { queueUrl: env.PARKING_QUEUE_URL },
});
