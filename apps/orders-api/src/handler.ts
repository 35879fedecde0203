import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBStore } from "@rebound/idempotency/dynamodb";
import { requireEnv } from "@rebound/lambda-env";
import { createOrdersApi } from "./createOrdersApi.js";
import { OrderRepository } from "./OrderRepository.js";
import { OrdersService } from "./OrdersService.js";
import { PaymentQueue } from "./PaymentQueue.js";

const env = requireEnv(process.env, ["ORDERS_TABLE_NAME", "IDEMPOTENCY_TABLE_NAME", "PAYMENTS_QUEUE_URL"]);
// One client per container: connections are reused across invocations. Endpoints come from
// AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS when set (the simulator and tests use them).
const dynamodb = new DynamoDBClient({});
const sqs = new SQSClient({});

/**
 * API Gateway HTTP API (payload v2) entry point: `POST /orders`, `GET /orders/{id}`.
 *
 * @example
 * ```ts
 * // Lambda handler setting: index.handler
 * ```
 */
export const handler = createOrdersApi({
  service: new OrdersService({
    repository: new OrderRepository({ client: dynamodb, tableName: env.ORDERS_TABLE_NAME }),
    paymentQueue: new PaymentQueue({ client: sqs, queueUrl: env.PAYMENTS_QUEUE_URL }),
  }),
  idempotencyStore: new DynamoDBStore({ tableName: env.IDEMPOTENCY_TABLE_NAME, client: dynamodb }),
});
