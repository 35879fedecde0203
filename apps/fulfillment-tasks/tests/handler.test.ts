import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStore } from "@rebound/idempotency/dynamodb";
import {
  type FakeApi,
  type LocalServer,
  lambdaContext,
  type ScriptedAnswer,
  type SeenRequest,
  startDynamo,
  startFakeApi,
  TEST_AWS,
} from "@rebound/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFulfillmentTasks } from "../src/createFulfillmentTasks.js";
import { TaskErrorName } from "../src/errors.js";
import { FulfillmentServices } from "../src/FulfillmentServices.js";

let dynamo: LocalServer;
let dynamodb: DynamoDBClient;
let api: FakeApi;
let table = 0;
const ok = (request: SeenRequest): ScriptedAnswer =>
  request.path === "/reservations"
    ? { status: 201, body: { reservationId: `res_${request.body.orderId}` } }
    : { status: 201, body: { trackingNumber: `TRK-${request.body.orderId}` } };

beforeAll(async () => {
  dynamo = await startDynamo({});
  dynamodb = new DynamoDBClient({ ...TEST_AWS, endpoint: dynamo.endpoint });
  api = await startFakeApi(ok);
});
afterAll(async () => {
  dynamodb.destroy();
  await Promise.all([dynamo.stop(), api.stop()]);
});
beforeEach(() => {
  api.requests.length = 0;
  api.answer(ok);
});

// Client timeout: generous by default (a loaded CI machine must not turn an answer into a timeout);
// only the timeout case shortens it.
async function setup(options: { idempotent?: boolean; timeoutMs?: number } = { idempotent: true }) {
  table += 1;
  const tableName = `idempotency-${table}`;
  if (options.idempotent) {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  }
  return createFulfillmentTasks({
    services: new FulfillmentServices({
      stockServiceUrl: api.url,
      carrierUrl: `${api.url}/`,
      timeoutMs: options.timeoutMs ?? 10_000,
    }),
    ...(options.idempotent ? { idempotencyStore: new DynamoDBStore({ tableName, client: dynamodb }) } : {}),
  });
}

describe("reserveStock", () => {
  it("reserves the order's stock with an idempotency key and returns the reservation", async () => {
    const tasks = await setup();
    expect(await tasks.reserveStock({ orderId: "ord_1" }, lambdaContext("reserve-stock"))).toEqual({
      orderId: "ord_1",
      reservationId: "res_ord_1",
    });
    expect(api.requests[0]).toMatchObject({
      path: "/reservations",
      body: { orderId: "ord_1" },
      headers: { "idempotency-key": "reserve-ord_1" },
    });
  });

  it("returns the first reservation when Step Functions runs the task again, without calling the service", async () => {
    const tasks = await setup();
    const first = await tasks.reserveStock({ orderId: "ord_2" });
    expect(await tasks.reserveStock({ orderId: "ord_2" })).toEqual(first);
    expect(api.requests).toHaveLength(1);
  });

  it("answers a concurrent duplicate run with the retryable StockServiceUnavailable, not an unknown error name", async () => {
    const tasks = await setup();
    api.answer((request) => ({ ...ok(request), delayMs: 500 }));
    const results = await Promise.allSettled([
      tasks.reserveStock({ orderId: "ord_3" }),
      tasks.reserveStock({ orderId: "ord_3" }),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected?.reason.name).toBe(TaskErrorName.StockServiceUnavailable);
    expect(api.requests).toHaveLength(1);
  });

  it.each([
    [503, undefined, TaskErrorName.StockServiceUnavailable],
    [429, undefined, TaskErrorName.StockServiceUnavailable],
    [201, 5_000, TaskErrorName.StockServiceUnavailable],
    [409, undefined, TaskErrorName.OutOfStock],
    [422, undefined, TaskErrorName.OutOfStock],
  ])("turns a stock service answer %i (delay %s ms) into %s", async (status, delayMs, name) => {
    const tasks = await setup({ idempotent: true, timeoutMs: delayMs ? 300 : 10_000 });
    api.answer(() => ({
      status,
      body: { error: { code: "x", message: "stock says no" }, reservationId: "late" },
      ...(delayMs ? { delayMs } : {}),
    }));
    await expect(tasks.reserveStock({ orderId: "ord_4" })).rejects.toMatchObject({ name });
  });

  it("retries the service after a retryable failure (the idempotency lock is released)", async () => {
    const tasks = await setup();
    api.answer(() => ({ status: 503 }));
    await expect(tasks.reserveStock({ orderId: "ord_5" })).rejects.toMatchObject({
      name: "StockServiceUnavailable",
    });
    api.answer(ok);
    expect(await tasks.reserveStock({ orderId: "ord_5" })).toMatchObject({ reservationId: "res_ord_5" });
  });

  it.each([[{}], [{ orderId: 7 }], [null], [{ orderId: "has space" }]])(
    "rejects the input %j as InvalidTaskInput",
    async (input) => {
      const tasks = await setup({ idempotent: false });
      await expect(tasks.reserveStock(input)).rejects.toMatchObject({ name: TaskErrorName.InvalidTaskInput });
      expect(api.requests).toEqual([]);
    },
  );
});

describe("shipOrder", () => {
  it("ships with the reservation that reserveStock returned through ResultSelector + ResultPath", async () => {
    const tasks = await setup();
    const state = {
      orderId: "ord_6",
      reservation: { Payload: { orderId: "ord_6", reservationId: "res_ord_6" } },
    };
    expect(await tasks.shipOrder(state)).toEqual({ orderId: "ord_6", trackingNumber: "TRK-ord_6" });
    expect(api.requests[0]).toMatchObject({
      path: "/shipments",
      body: { orderId: "ord_6", reservationId: "res_ord_6" },
      headers: { "idempotency-key": "ship-ord_6" },
    });
  });

  it("never books a second shipment for the same order", async () => {
    const tasks = await setup();
    await tasks.shipOrder({ orderId: "ord_7" });
    await tasks.shipOrder({ orderId: "ord_7" });
    expect(api.requests).toHaveLength(1);
  });

  it.each([
    [500, TaskErrorName.CarrierUnavailable],
    [429, TaskErrorName.CarrierUnavailable],
    [422, TaskErrorName.AddressRejected],
    [400, TaskErrorName.AddressRejected],
  ])("turns a carrier answer %i into %s", async (status, name) => {
    const tasks = await setup({ idempotent: false });
    api.answer(() => ({ status, body: { error: { message: "carrier says no" } } }));
    await expect(tasks.shipOrder({ orderId: "ord_8" })).rejects.toMatchObject({ name });
  });

  it("fails the execution with the generic name on an unexpected 401, instead of retrying or catching it", async () => {
    const tasks = await setup({ idempotent: false });
    api.answer(() => ({ status: 401, body: { error: { message: "bad api key" } } }));
    const error = await tasks.shipOrder({ orderId: "ord_9" }).catch((e: Error) => e);
    expect(Object.values(TaskErrorName)).not.toContain((error as Error).name);
  });
});
