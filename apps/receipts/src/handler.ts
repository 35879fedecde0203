import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStore } from "@rebound/idempotency/dynamodb";
import { requireEnv } from "@rebound/lambda-env";
import { createReceipts } from "./createReceipts.js";
import { MailProvider } from "./MailProvider.js";

const env = requireEnv(process.env, ["IDEMPOTENCY_TABLE_NAME", "MAIL_PROVIDER_URL", "PARKING_QUEUE_URL"]);
// One client per container; endpoint from AWS_ENDPOINT_URL_DYNAMODB when set.
const dynamodb = new DynamoDBClient({});

/**
 * Async entry point (SNS subscription to `order-events`; retries and on-failure destination on the
 * function's event invoke config).
 *
 * @example
 * ```ts
 * // Lambda handler setting: index.handler
 * ```
 */
export const handler = createReceipts({
  mail: new MailProvider({ baseUrl: env.MAIL_PROVIDER_URL }),
  idempotencyStore: new DynamoDBStore({ tableName: env.IDEMPOTENCY_TABLE_NAME, client: dynamodb }),
  parking: { queueUrl: env.PARKING_QUEUE_URL },
});
