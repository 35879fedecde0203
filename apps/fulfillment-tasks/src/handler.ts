import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStore } from "@rebound/idempotency/dynamodb";
import { requireEnv } from "@rebound/lambda-env";
import { createFulfillmentTasks } from "./createFulfillmentTasks.js";
import { FulfillmentServices } from "./FulfillmentServices.js";

const env = requireEnv(process.env, ["STOCK_SERVICE_URL", "CARRIER_URL"]);
const idempotencyTableName = process.env["IDEMPOTENCY_TABLE_NAME"];

const tasks = createFulfillmentTasks({
  services: new FulfillmentServices({ stockServiceUrl: env.STOCK_SERVICE_URL, carrierUrl: env.CARRIER_URL }),
  // One client per container, only when the idempotency table is configured.
  ...(idempotencyTableName
    ? {
        idempotencyStore: new DynamoDBStore({
          tableName: idempotencyTableName,
          client: new DynamoDBClient({}),
        }),
      }
    : {}),
});

/**
 * Step Functions task: reserve the order's stock (handler setting `index.reserveStock`).
 *
 * @example
 * ```ts
 * await reserveStock({ orderId: "ord_1" }); // { orderId: "ord_1", reservationId: "res_1" }
 * ```
 */
export const reserveStock = tasks.reserveStock;

/**
 * Step Functions task: ship the order (handler setting `index.shipOrder`).
 *
 * @example
 * ```ts
 * await shipOrder({ orderId: "ord_1", reservation: { Payload: { reservationId: "res_1" } } });
 * ```
 */
export const shipOrder = tasks.shipOrder;
