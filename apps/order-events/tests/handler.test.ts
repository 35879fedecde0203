import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBStore } from "@rebound/idempotency/dynamodb";
import {
  drainQueue,
  type FakeAwsService,
  type LocalServer,
  type LocalSqs,
  lambdaContext,
  startDynamo,
  startQueryService,
  startSqs,
  TEST_AWS,
} from "@rebound/testing";
import type { DynamoDBRecord } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOrderEvents } from "../src/createOrderEvents.js";
import { FulfillmentQueue } from "../src/FulfillmentQueue.js";
import { OrderEventPublisher } from "../src/OrderEventPublisher.js";
import { orderImage, streamEvent, streamRecord, transition } from "./support/streamEvents.js";

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:order-events";
let dynamo: LocalServer;
let sqs: LocalSqs;
let sns: FakeAwsService;
let dynamodb: DynamoDBClient;
let table = 0;
let snsDown = false;

beforeAll(async () => {
  dynamo = await startDynamo({});
  sqs = await startSqs({ fulfillment: {}, "parked-events": {} });
  sns = await startQueryService(() =>
    snsDown
      ? { error: { type: "InternalError", message: "SNS is having a bad day", status: 500 } }
      : { output: { MessageId: crypto.randomUUID() } },
  );
  dynamodb = new DynamoDBClient({ ...TEST_AWS, endpoint: dynamo.endpoint });
  process.env["AWS_ENDPOINT_URL_SQS"] = sqs.endpoint;
  process.env["AWS_REGION"] = TEST_AWS.region;
  process.env["AWS_ACCESS_KEY_ID"] = "test";
  process.env["AWS_SECRET_ACCESS_KEY"] = "test";
});
afterAll(async () => {
  dynamodb.destroy();
  await Promise.all([dynamo.stop(), sqs.stop(), sns.stop()]);
});
beforeEach(async () => {
  snsDown = false;
  sns.calls.length = 0;
  await drainQueue(sqs.endpoint, sqs.queueUrls["fulfillment"]!);
  await drainQueue(sqs.endpoint, sqs.queueUrls["parked-events"]!);
});

async function setup(options: { fulfillmentEndpoint?: string; reuseTable?: boolean } = {}) {
  const { CreateTableCommand } = await import("@aws-sdk/client-dynamodb");
  if (!options.reuseTable) table += 1;
  const idempotencyTable = `idempotency-${table}`;
  if (!options.reuseTable)
    await dynamodb.send(
      new CreateTableCommand({
        TableName: idempotencyTable,
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  return createOrderEvents({
    publisher: new OrderEventPublisher({
      client: new SNSClient({ ...TEST_AWS, endpoint: sns.endpoint, maxAttempts: 1 }),
      topicArn: TOPIC_ARN,
    }),
    fulfillment: new FulfillmentQueue({
      client: new SQSClient({
        ...TEST_AWS,
        endpoint: options.fulfillmentEndpoint ?? sqs.endpoint,
        maxAttempts: 1,
      }),
      queueUrl: sqs.queueUrls["fulfillment"]!,
    }),
    idempotencyStore: new DynamoDBStore({ tableName: idempotencyTable, client: dynamodb, clock: () => NOW }),
    parking: { queueUrl: sqs.queueUrls["parked-events"]! },
    clock: () => NOW,
  });
}

const published = () =>
  sns.calls.map((call) => ({
    message: JSON.parse(call.input["Message"]),
    type: call.input["MessageAttributes.entry.1.Value.StringValue"],
    topic: call.input["TopicArn"],
  }));
const fulfillmentBodies = async () =>
  (await drainQueue(sqs.endpoint, sqs.queueUrls["fulfillment"]!)).map((m) => JSON.parse(m.body));
const seq = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber;

describe("order events", () => {
  it("publishes OrderPaid with its type attribute and enqueues the order for fulfillment", async () => {
    const handler = await setup();
    const response = await handler(streamEvent(transition("ord_1", "PAID")), lambdaContext("order-events"));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(published()).toEqual([
      {
        topic: TOPIC_ARN,
        type: "OrderPaid",
        message: {
          type: "OrderPaid",
          orderId: "ord_1",
          customerEmail: "ada@example.com",
          amountCents: 2800,
          currency: "EUR",
          occurredAt: "2024-01-01T12:00:00.000Z",
        },
      },
    ]);
    expect(await fulfillmentBodies()).toEqual([{ orderId: "ord_1" }]);
  });

  it("publishes OrderFailed for a failed payment and enqueues nothing", async () => {
    const handler = await setup();
    await handler(streamEvent(transition("ord_2", "PAYMENT_FAILED")), lambdaContext("order-events"));

    expect(published().map((p) => [p.type, p.message.orderId])).toEqual([["OrderFailed", "ord_2"]]);
    expect(await fulfillmentBodies()).toEqual([]);
  });

  it.each([
    ["the insert of a PENDING order", streamRecord("INSERT", { newImage: orderImage("o", "PENDING") })],
    ["an edit that keeps PAID", transition("o", "PAID", "PAID")],
    ["a removal", streamRecord("REMOVE", { oldImage: orderImage("o", "PAID") })],
    ["fulfilment", transition("o", "FULFILLED", "PAID")],
  ])("announces nothing for %s", async (_name, record) => {
    const handler = await setup();
    expect(await handler(streamEvent(record), lambdaContext("order-events"))).toEqual({
      batchItemFailures: [],
    });
    expect(sns.calls).toEqual([]);
    expect(await fulfillmentBodies()).toEqual([]);
  });

  it("announces each record once when Lambda retries the whole batch", async () => {
    const handler = await setup();
    const batch = streamEvent(transition("ord_a", "PAID"), transition("ord_b", "PAYMENT_FAILED"));
    await handler(batch, lambdaContext("order-events"));
    await handler(batch, lambdaContext("order-events"));

    expect(published().map((p) => p.message.orderId)).toEqual(["ord_a", "ord_b"]);
    expect(await fulfillmentBodies()).toEqual([{ orderId: "ord_a" }]);
  });

  it("checkpoints at the first record SNS refused, keeps order, and resumes without repeating earlier records", async () => {
    const handler = await setup();
    const [first, second, third] = [
      transition("ord_1", "PAID"),
      transition("ord_2", "PAID"),
      transition("ord_3", "PAID"),
    ];
    let calls = 0;
    sns.answer(() => {
      calls += 1;
      return calls === 2
        ? { error: { type: "InternalError", message: "try again", status: 500 } }
        : { output: { MessageId: crypto.randomUUID() } };
    });
    try {
      const response = await handler(streamEvent(first, second, third), lambdaContext("order-events"));
      expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([seq(second)]);
      // Lambda retries from the checkpoint: the failed record and everything after it.
      expect(await handler(streamEvent(second, third), lambdaContext("order-events"))).toEqual({
        batchItemFailures: [],
      });
    } finally {
      sns.answer(() => ({ output: { MessageId: crypto.randomUUID() } }));
    }
    const succeeded = sns.calls.filter((_c, i) => i !== 1).map((c) => JSON.parse(c.input["Message"]).orderId);
    expect(succeeded).toEqual(["ord_1", "ord_2", "ord_3"]);
    expect((await fulfillmentBodies()).map((b) => b.orderId).sort()).toEqual(["ord_1", "ord_2", "ord_3"]);
  });

  it("does not publish again when only the fulfillment enqueue failed", async () => {
    const record = transition("ord_q", "PAID");
    const broken = await setup({ fulfillmentEndpoint: "http://127.0.0.1:9" });
    const response = await broken(streamEvent(record), lambdaContext("order-events"));
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([seq(record)]);
    expect(sns.calls).toHaveLength(1);

    const repaired = await setup({ reuseTable: true });
    expect(await repaired(streamEvent(record), lambdaContext("order-events"))).toEqual({
      batchItemFailures: [],
    });
    expect(sns.calls).toHaveLength(1);
    expect(await fulfillmentBodies()).toEqual([{ orderId: "ord_q" }]);
  });

  it("parks a record whose image is not an order and moves on to the next record", async () => {
    const handler = await setup();
    const malformed = streamRecord("MODIFY", {
      oldImage: orderImage("ord_bad", "PENDING"),
      newImage: orderImage("ord_bad", "PAID", { amountCents: { S: "lots" } }),
    });
    const good = transition("ord_good", "PAID");

    expect(await handler(streamEvent(malformed, good), lambdaContext("order-events"))).toEqual({
      batchItemFailures: [],
    });

    expect(published().map((p) => p.message.orderId)).toEqual(["ord_good"]);
    const parked = await drainQueue(sqs.endpoint, sqs.queueUrls["parked-events"]!);
    expect(parked).toHaveLength(1);
    expect(JSON.parse(parked[0]!.body)).toMatchObject({
      kind: "rebound.parked-event",
      trigger: "dynamodb-stream",
      sequenceNumber: seq(malformed),
      record: { eventID: malformed.eventID },
      errorName: "ValidationError",
    });
  });
});
