import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { FullBatchFailureError } from "@rebound/errors";
import { DynamoDBStore } from "@rebound/idempotency/dynamodb";
import {
  drainQueue,
  type FakeApi,
  type LocalServer,
  type LocalSqs,
  lambdaContext,
  type ScriptedAnswer,
  type SeenRequest,
  sqsEvent,
  sqsRecord,
  startDynamo,
  startFakeApi,
  startSqs,
  TEST_AWS,
} from "@rebound/testing";
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPaymentsWorker } from "../src/createPaymentsWorker.js";
import { OrderPayments } from "../src/OrderPayments.js";
import { PaymentProvider } from "../src/PaymentProvider.js";

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
let dynamo: LocalServer;
let sqs: LocalSqs;
let dynamodb: DynamoDBClient;
let provider: FakeApi;
let table = 0;

/** A payment provider that behaves like a real one: it charges once per Idempotency-Key. */
type Mode = "ok" | "down" | "throttled" | "slow" | "declined";
let mode: Mode = "ok";
const charges = new Map<string, string>();
function providerAnswer(request: SeenRequest): ScriptedAnswer {
  const key = String(request.headers["idempotency-key"]);
  switch (mode) {
    case "down":
      return { status: 503, body: { error: { code: "unavailable", message: "maintenance" } } };
    case "throttled":
      return { status: 429, headers: { "retry-after": "7" }, body: { error: { code: "rate_limited" } } };
    case "declined":
      return { status: 402, body: { error: { code: "card_declined", message: "Insufficient funds" } } };
    case "slow":
      // The charge happens, the answer comes too late for the client (timeout 300 ms).
      if (!charges.has(key)) charges.set(key, `ch_${charges.size + 1}`);
      return { status: 201, body: { chargeId: charges.get(key) }, delayMs: 5_000 };
    default:
      if (!charges.has(key)) charges.set(key, `ch_${charges.size + 1}`);
      return { status: 201, body: { chargeId: charges.get(key), status: "succeeded" } };
  }
}

beforeAll(async () => {
  dynamo = await startDynamo({});
  sqs = await startSqs({ "payments-dlq": {} });
  dynamodb = new DynamoDBClient({ ...TEST_AWS, endpoint: dynamo.endpoint });
  provider = await startFakeApi(providerAnswer);
  process.env["AWS_ENDPOINT_URL_SQS"] = sqs.endpoint;
  process.env["AWS_REGION"] = TEST_AWS.region;
  process.env["AWS_ACCESS_KEY_ID"] = "test";
  process.env["AWS_SECRET_ACCESS_KEY"] = "test";
});
afterAll(async () => {
  dynamodb.destroy();
  await Promise.all([dynamo.stop(), sqs.stop(), provider.stop()]);
});
beforeEach(async () => {
  mode = "ok";
  charges.clear();
  provider.requests.length = 0;
  await drainQueue(sqs.endpoint, sqs.queueUrls["payments-dlq"]!);
});

async function setup(options: { orders?: (tableName: string) => OrderPayments } = {}) {
  const { CreateTableCommand } = await import("@aws-sdk/client-dynamodb");
  table += 1;
  const ordersTable = `orders-${table}`;
  const idempotencyTable = `idempotency-${table}`;
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
  const orders =
    options.orders?.(ordersTable) ?? new OrderPayments({ client: dynamodb, tableName: ordersTable });
  // A generous client timeout by default (a loaded CI machine must not turn a normal answer into a
  // timeout); the timeout test shortens it with withTimeout().
  const build = (timeoutMs: number) =>
    createPaymentsWorker({
      orders,
      provider: new PaymentProvider({ baseUrl: provider.url, timeoutMs, clock: () => NOW }),
      idempotencyStore: new DynamoDBStore({
        tableName: idempotencyTable,
        client: dynamodb,
        clock: () => NOW,
      }),
      parking: { queueUrl: sqs.queueUrls["payments-dlq"]! },
      clock: () => NOW,
    });
  let worker = build(10_000);
  return {
    ordersTable,
    withTimeout(timeoutMs: number) {
      worker = build(timeoutMs);
    },
    async putOrder(orderId: string, amountCents = 2800) {
      await dynamodb.send(
        new PutItemCommand({
          TableName: ordersTable,
          Item: {
            orderId: { S: orderId },
            customerEmail: { S: "ada@example.com" },
            items: {
              L: [
                {
                  M: {
                    sku: { S: "BOOK-1" },
                    quantity: { N: "1" },
                    unitPriceCents: { N: String(amountCents) },
                  },
                },
              ],
            },
            amountCents: { N: String(amountCents) },
            currency: { S: "EUR" },
            status: { S: "PENDING" },
            createdAt: { S: "2024-01-01T11:59:00.000Z" },
            updatedAt: { S: "2024-01-01T11:59:00.000Z" },
          },
        }),
      );
    },
    async order(orderId: string) {
      const { Item } = await dynamodb.send(
        new GetItemCommand({
          TableName: ordersTable,
          Key: { orderId: { S: orderId } },
          ConsistentRead: true,
        }),
      );
      return {
        status: Item?.["status"]?.S,
        chargeId: Item?.["chargeId"]?.S,
        paymentFailureReason: Item?.["paymentFailureReason"]?.S,
      };
    },
    run(...records: SQSRecord[]) {
      return worker(sqsEvent(...records), lambdaContext("payments-worker")) as Promise<SQSBatchResponse>;
    },
    /** The ids SQS will deliver again: reported failures, or the whole batch when the invocation failed. */
    async redelivered(...records: SQSRecord[]): Promise<string[]> {
      try {
        const response = (await worker(
          sqsEvent(...records),
          lambdaContext("payments-worker"),
        )) as SQSBatchResponse;
        return response.batchItemFailures.map((f) => f.itemIdentifier);
      } catch (error) {
        // Every record failed retryably: the wrapper fails the invocation (Lambda then backs off).
        expect(error).toBeInstanceOf(FullBatchFailureError);
        return records.map((r) => r.messageId);
      }
    },
  };
}

const request = (orderId: string, amountCents = 2800) =>
  JSON.stringify({ orderId, amountCents, currency: "EUR" });

describe("payments worker", () => {
  it("charges a pending order once and marks it PAID", async () => {
    const app = await setup();
    await app.putOrder("ord_1");

    expect(await app.run(sqsRecord(request("ord_1")))).toEqual({ batchItemFailures: [] });
    expect(await app.order("ord_1")).toMatchObject({ status: "PAID", chargeId: "ch_1" });
    expect(provider.requests).toHaveLength(1);
    expect(provider.requests[0]).toMatchObject({
      method: "POST",
      path: "/charges",
      body: { orderId: "ord_1", amountCents: 2800, currency: "EUR" },
      headers: { "idempotency-key": "charge-ord_1" },
    });
  });

  it("never calls the provider again for a redelivered message or a second request for the same order", async () => {
    const app = await setup();
    await app.putOrder("ord_dup");
    const message = sqsRecord(request("ord_dup"));

    await app.run(message);
    await app.run({ ...message, attributes: { ...message.attributes, ApproximateReceiveCount: "2" } });
    await app.run(sqsRecord(request("ord_dup")));

    expect(provider.requests).toHaveLength(1);
    expect(await app.order("ord_dup")).toMatchObject({ status: "PAID", chargeId: "ch_1" });
  });

  it("replays the stored charge after a crash between charging and marking the order, without charging again", async () => {
    let crashes = 1;
    class CrashingOrders extends OrderPayments {
      public override async markPaid(orderId: string, chargeId: string, at: string) {
        if (crashes-- > 0) throw Object.assign(new Error("connect ECONNRESET"), { code: "ECONNRESET" });
        return super.markPaid(orderId, chargeId, at);
      }
    }
    const app = await setup({ orders: (tableName) => new CrashingOrders({ client: dynamodb, tableName }) });
    await app.putOrder("ord_crash");
    const message = sqsRecord(request("ord_crash"));

    expect(await app.redelivered(message)).toEqual([message.messageId]);
    expect(await app.order("ord_crash")).toMatchObject({ status: "PENDING" });
    expect(await app.run(message)).toEqual({ batchItemFailures: [] });

    expect(provider.requests).toHaveLength(1);
    expect(await app.order("ord_crash")).toMatchObject({ status: "PAID", chargeId: "ch_1" });
  });

  it.each([
    ["an outage (503)", "down"],
    ["throttling (429)", "throttled"],
    ["a timeout", "slow"],
  ] as const)(
    "leaves the message for SQS to redeliver on %s and charges exactly once when it recovers",
    async (_n, failure) => {
      const app = await setup();
      await app.putOrder("ord_retry");
      const message = sqsRecord(request("ord_retry"));

      mode = failure;
      if (failure === "slow") app.withTimeout(300);
      expect(await app.redelivered(message)).toEqual([message.messageId]);
      expect(await app.order("ord_retry")).toMatchObject({ status: "PENDING" });

      mode = "ok";
      app.withTimeout(10_000);
      expect(
        await app.run({ ...message, attributes: { ...message.attributes, ApproximateReceiveCount: "2" } }),
      ).toEqual({
        batchItemFailures: [],
      });
      expect(await app.order("ord_retry")).toMatchObject({ status: "PAID", chargeId: "ch_1" });
      expect(charges.size).toBe(1);
      expect(await drainQueue(sqs.endpoint, sqs.queueUrls["payments-dlq"]!)).toEqual([]);
    },
  );

  it("marks the order PAYMENT_FAILED on a declined card, does not retry or park, and never calls again", async () => {
    const app = await setup();
    await app.putOrder("ord_declined");
    mode = "declined";

    const message = sqsRecord(request("ord_declined"));
    expect(await app.run(message)).toEqual({ batchItemFailures: [] });
    expect(await app.run(message)).toEqual({ batchItemFailures: [] });

    expect(await app.order("ord_declined")).toMatchObject({
      status: "PAYMENT_FAILED",
      paymentFailureReason: "card_declined: Insufficient funds",
    });
    expect(provider.requests).toHaveLength(1);
    expect(await drainQueue(sqs.endpoint, sqs.queueUrls["payments-dlq"]!)).toEqual([]);
  });

  it.each([
    ["a body that is not JSON", "orderId=ord_1"],
    ["a negative amount", JSON.stringify({ orderId: "ord_1", amountCents: -1, currency: "EUR" })],
    ["an order that does not exist", request("ord_ghost")],
    ["an amount that differs from the order", request("ord_1", 1)],
  ])(
    "parks %s in the DLQ at once, with the original record, and processes the rest of the batch",
    async (_n, body) => {
      const app = await setup();
      await app.putOrder("ord_1");
      await app.putOrder("ord_2");
      const bad = sqsRecord(body);
      const good = sqsRecord(request("ord_2"));

      expect(await app.run(bad, good)).toEqual({ batchItemFailures: [] });

      expect(await app.order("ord_2")).toMatchObject({ status: "PAID" });
      const parked = await drainQueue(sqs.endpoint, sqs.queueUrls["payments-dlq"]!);
      expect(parked).toHaveLength(1);
      expect(JSON.parse(parked[0]!.body)).toMatchObject({
        kind: "rebound.parked-event",
        trigger: "sqs",
        messageId: bad.messageId,
        record: { body },
      });
      expect(provider.requests.map((r) => r.body.orderId)).toEqual(["ord_2"]);
    },
  );

  it("processes a parked message that an operator moved back from the DLQ", async () => {
    const app = await setup();
    await app.putOrder("ord_late");
    const original = sqsRecord(request("ord_late"));
    const envelope = JSON.stringify({
      kind: "rebound.parked-event",
      version: 1,
      trigger: "sqs",
      record: original,
    });

    expect(await app.run(sqsRecord(envelope))).toEqual({ batchItemFailures: [] });
    expect(await app.order("ord_late")).toMatchObject({ status: "PAID" });
  });
});
