import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStore } from "@rebound/idempotency/dynamodb";
import { requireEnv } from "@rebound/lambda-env";
import { createPaymentsWorker } from "./createPaymentsWorker.js";
import { OrderPayments } from "./OrderPayments.js";
import { PaymentProvider } from "./PaymentProvider.js";

const env = requireEnv(process.env, [
  "ORDERS_TABLE_NAME",
  "IDEMPOTENCY_TABLE_NAME",
  "PAYMENT_PROVIDER_URL",
  "PARKING_QUEUE_URL",
]);
// One client per container; endpoint from AWS_ENDPOINT_URL_DYNAMODB when set.
const dynamodb = new DynamoDBClient({});

/**
 * SQS entry point of the payments queue (ReportBatchItemFailures on the mapping).
 *
 * @example
 * ```ts
 * // Lambda handler setting: index.handler
 * ```
 */
export const handler = createPaymentsWorker({
  orders: new OrderPayments({ client: dynamodb, tableName: env.ORDERS_TABLE_NAME }),
  provider: new PaymentProvider({ baseUrl: env.PAYMENT_PROVIDER_URL }),
  idempotencyStore: new DynamoDBStore({ tableName: env.IDEMPOTENCY_TABLE_NAME, client: dynamodb }),
  parking: { queueUrl: env.PARKING_QUEUE_URL },
});
