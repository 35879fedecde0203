import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBStore } from "@rebound/idempotency/dynamodb";
import { requireEnv } from "@rebound/lambda-env";
import { createOrderEvents } from "./createOrderEvents.js";
import { FulfillmentQueue } from "./FulfillmentQueue.js";
import { OrderEventPublisher } from "./OrderEventPublisher.js";

const env = requireEnv(process.env, [
  "IDEMPOTENCY_TABLE_NAME",
  "ORDER_EVENTS_TOPIC_ARN",
  "FULFILLMENT_QUEUE_URL",
  "PARKING_QUEUE_URL",
]);
// One client each per container; endpoints from AWS_ENDPOINT_URL_<SERVICE> when set.
const dynamodb = new DynamoDBClient({});
const sns = new SNSClient({});
const sqs = new SQSClient({});

/**
 * DynamoDB stream entry point of the `orders` table (bisect on, on-failure queue, ReportBatchItemFailures).
 *
 * @example
 * ```ts
 * // Lambda handler setting: index.handler
 * ```
 */
export const handler = createOrderEvents({
  publisher: new OrderEventPublisher({ client: sns, topicArn: env.ORDER_EVENTS_TOPIC_ARN }),
  fulfillment: new FulfillmentQueue({ client: sqs, queueUrl: env.FULFILLMENT_QUEUE_URL }),
  idempotencyStore: new DynamoDBStore({ tableName: env.IDEMPOTENCY_TABLE_NAME, client: dynamodb }),
  parking: { queueUrl: env.PARKING_QUEUE_URL },
});
