import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBStore } from "@rebound/idempotency/dynamodb";
import {
  drainQueue,
  type LocalServer,
  type LocalSqs,
  startDynamo,
  startSqs,
  TEST_AWS,
} from "@rebound/testing";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOrdersApi } from "../src/createOrdersApi.js";
import { OrderRepository } from "../src/OrderRepository.js";
import { OrdersService } from "../src/OrdersService.js";
import { PaymentQueue } from "../src/PaymentQueue.js";
import { httpApiEvent, lambdaContext } from "./support/events.js";

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const validOrder = {
  customerEmail: "ada@example.com",
  currency: "EUR",
  items: [
    { sku: "BOOK-1", quantity: 2, unitPriceCents: 1250 },
    { sku: "PEN-7", quantity: 1, unitPriceCents: 300 },
  ],
};

let dynamo: LocalServer;
let sqs: LocalSqs;
let dynamodb: DynamoDBClient;
let tableSuffix = 0;

beforeAll(async () => {
  dynamo = await startDynamo({});
  sqs = await startSqs({ payments: {} });
  dynamodb = new DynamoDBClient({ ...TEST_AWS, endpoint: dynamo.endpoint });
});
afterAll(async () => {
  dynamodb.destroy();
  await Promise.all([dynamo.stop(), sqs.stop()]);
});

interface Harness {
  call(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<{
    statusCode: number;
    // biome-ignore lint/suspicious/noExplicitAny: parsed JSON, read by assertions
    body: any;
    headers: Record<string, unknown>;
  }>;
  ordersTable: string;
}

async function harness(options: { sqsEndpoint?: string; newOrderId?: () => string } = {}): Promise<Harness> {
  const { CreateTableCommand } = await import("@aws-sdk/client-dynamodb");
  tableSuffix += 1;
  const ordersTable = `orders-${tableSuffix}`;
  const idempotencyTable = `idempotency-${tableSuffix}`;
  for (const [TableName, key] of [
    [ordersTable, "orderId"],
    [idempotencyTable, "id"],
  ] as const) {
    await dynamodb.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: key, AttributeType: "S" }],
        KeySchema: [{ AttributeName: key, KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  }
  return harnessOn(ordersTable, idempotencyTable, options);
}

function harnessOn(
  ordersTable: string,
  idempotencyTable: string,
  options: { sqsEndpoint?: string; newOrderId?: () => string } = {},
): Harness {
  const sqsClient = new SQSClient({
    ...TEST_AWS,
    endpoint: options.sqsEndpoint ?? sqs.endpoint,
    maxAttempts: 1,
  });
  const api = createOrdersApi({
    service: new OrdersService({
      repository: new OrderRepository({ client: dynamodb, tableName: ordersTable }),
      paymentQueue: new PaymentQueue({ client: sqsClient, queueUrl: sqs.queueUrls["payments"]! }),
      clock: () => NOW,
      ...(options.newOrderId ? { newOrderId: options.newOrderId } : {}),
    }),
    idempotencyStore: new DynamoDBStore({ tableName: idempotencyTable, client: dynamodb, clock: () => NOW }),
    clock: () => NOW,
  });
  return {
    ordersTable,
    async call(method, path, callOptions = {}) {
      const body =
        callOptions.body === undefined
          ? undefined
          : typeof callOptions.body === "string"
            ? callOptions.body
            : JSON.stringify(callOptions.body);
      const result = (await api(
        httpApiEvent(method, path, {
          ...(body === undefined ? {} : { body }),
          headers: callOptions.headers ?? {},
        }),
        lambdaContext(),
      )) as APIGatewayProxyStructuredResultV2;
      return {
        statusCode: result.statusCode ?? 200,
        body: typeof result.body === "string" && result.body.length > 0 ? JSON.parse(result.body) : undefined,
        headers: (result.headers ?? {}) as Record<string, unknown>,
      };
    },
  };
}

async function paymentMessages() {
  return (await drainQueue(sqs.endpoint, sqs.queueUrls["payments"]!)).map((m) => JSON.parse(m.body));
}

async function countOrders(table: string): Promise<number> {
  const { Count } = await dynamodb.send(new ScanCommand({ TableName: table, Select: "COUNT" }));
  return Count ?? 0;
}

beforeEach(async () => {
  await drainQueue(sqs.endpoint, sqs.queueUrls["payments"]!);
});

describe("POST /orders", () => {
  it("stores a PENDING order with the amount computed from its items and enqueues one payment request", async () => {
    const api = await harness({ newOrderId: () => "ord_fixed_1" });
    const response = await api.call("POST", "/orders", { body: validOrder });

    expect(response.statusCode).toBe(201);
    expect(response.headers["location"]).toBe("/orders/ord_fixed_1");
    expect(response.body).toEqual({
      orderId: "ord_fixed_1",
      ...validOrder,
      amountCents: 2800,
      status: "PENDING",
      createdAt: "2024-01-01T12:00:00.000Z",
      updatedAt: "2024-01-01T12:00:00.000Z",
    });
    expect(await paymentMessages()).toEqual([{ orderId: "ord_fixed_1", amountCents: 2800, currency: "EUR" }]);
    expect((await api.call("GET", "/orders/ord_fixed_1")).body).toEqual(response.body);
  });

  it("returns the same order for a repeated Idempotency-Key and enqueues its payment only once", async () => {
    const api = await harness();
    const headers = { "idempotency-key": "6f1f3a8e-0b9e-4d2a-9a53-2f0b8f9d7c11" };
    const first = await api.call("POST", "/orders", { body: validOrder, headers });
    const second = await api.call("POST", "/orders", { body: validOrder, headers });

    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await countOrders(api.ordersTable)).toBe(1);
    expect(await paymentMessages()).toHaveLength(1);
  });

  it("rejects the same Idempotency-Key with a different body with 409 and writes nothing", async () => {
    const api = await harness();
    const headers = { "idempotency-key": "key-reused-1" };
    await api.call("POST", "/orders", { body: validOrder, headers });
    const conflicting = await api.call("POST", "/orders", {
      body: { ...validOrder, currency: "USD" },
      headers,
    });

    expect(conflicting.statusCode).toBe(409);
    expect(conflicting.body.error.message).toContain("key-reused-1");
    expect(await countOrders(api.ordersTable)).toBe(1);
    expect(await paymentMessages()).toHaveLength(1);
  });

  it("answers 503 when the payments queue is down and completes the same order when the client retries", async () => {
    const { ordersTable, call } = await harness();
    const idempotencyTable = ordersTable.replace("orders", "idempotency");
    const broken = harnessOn(ordersTable, idempotencyTable, { sqsEndpoint: "http://127.0.0.1:9" });
    const headers = { "idempotency-key": "retry-after-outage" };

    const failed = await broken.call("POST", "/orders", { body: validOrder, headers });
    expect(failed.statusCode).toBe(503);
    expect(failed.body.error.message).not.toContain("ECONNREFUSED");

    const retried = await call("POST", "/orders", { body: validOrder, headers });
    expect(retried.statusCode).toBe(201);
    expect(await countOrders(ordersTable)).toBe(1);
    expect(await paymentMessages()).toEqual([
      { orderId: retried.body.orderId, amountCents: 2800, currency: "EUR" },
    ]);
  });

  it.each([
    ["a missing email", { ...validOrder, customerEmail: undefined }, "customerEmail"],
    ["an invalid email", { ...validOrder, customerEmail: "not-an-email" }, "customerEmail"],
    ["a lower-case currency", { ...validOrder, currency: "eur" }, "currency"],
    ["no items", { ...validOrder, items: [] }, "items"],
    [
      "a zero quantity",
      { ...validOrder, items: [{ sku: "A", quantity: 0, unitPriceCents: 1 }] },
      "items.0.quantity",
    ],
    [
      "a fractional price",
      { ...validOrder, items: [{ sku: "A", quantity: 1, unitPriceCents: 1.5 }] },
      "items.0.unitPriceCents",
    ],
    ["an unknown key", { ...validOrder, amountCents: 1 }, "amountCents"],
    ["an array body", [validOrder], "body"],
  ])("answers 400 naming the field for %s, and stores nothing", async (_name, body, field) => {
    const api = await harness();
    const response = await api.call("POST", "/orders", { body });

    expect(response.statusCode).toBe(400);
    expect(response.body.error.code).toBe("VALIDATION_FAILED");
    expect(JSON.stringify(response.body.error)).toContain(field);
    expect(await countOrders(api.ordersTable)).toBe(0);
    expect(await paymentMessages()).toEqual([]);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const api = await harness();
    const response = await api.call("POST", "/orders", { body: '{"customerEmail": ' });
    expect(response.statusCode).toBe(400);
    expect(await countOrders(api.ordersTable)).toBe(0);
  });

  it("answers 400 for an Idempotency-Key with spaces", async () => {
    const api = await harness();
    const response = await api.call("POST", "/orders", {
      body: validOrder,
      headers: { "idempotency-key": "a b" },
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.body)).toContain("idempotency-key");
  });
});

describe("GET /orders/{id}", () => {
  it("answers 404 with a clear message for an unknown order", async () => {
    const api = await harness();
    const response = await api.call("GET", "/orders/ord_missing");
    expect(response.statusCode).toBe(404);
    expect(response.body.error).toMatchObject({
      code: "ORDER_NOT_FOUND",
      message: "order ord_missing not found",
    });
  });

  it.each([
    ["DELETE", "/orders/ord_1", 405],
    ["GET", "/orders", 405],
    ["GET", "/customers", 404],
    ["GET", "/orders/has spaces", 404],
  ])("answers %s %s with %i", async (method, path, status) => {
    const api = await harness();
    expect((await api.call(method, path)).statusCode).toBe(status);
  });
});
