import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStore } from "@rebound/idempotency/dynamodb";
import {
  drainQueue,
  type FakeApi,
  type LocalServer,
  type LocalSqs,
  lambdaContext,
  startDynamo,
  startFakeApi,
  startSqs,
  TEST_AWS,
} from "@rebound/testing";
import type { SNSEvent } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createReceipts } from "../src/createReceipts.js";
import { MailProvider } from "../src/MailProvider.js";

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
let dynamo: LocalServer;
let sqs: LocalSqs;
let mail: FakeApi;
let dynamodb: DynamoDBClient;
let table = 0;

const paid = {
  type: "OrderPaid",
  orderId: "ord_1",
  customerEmail: "ada@example.com",
  amountCents: 2800,
  currency: "EUR",
  occurredAt: "2024-01-01T12:00:00.000Z",
};

/** An SNS → Lambda event, as SNS delivers it (one record). */
function snsEvent(message: string): SNSEvent {
  return {
    Records: [
      {
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn:
          "arn:aws:sns:us-east-1:123456789012:order-events:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55",
        Sns: {
          Type: "Notification",
          MessageId: crypto.randomUUID(),
          TopicArn: "arn:aws:sns:us-east-1:123456789012:order-events",
          Subject: "",
          Message: message,
          Timestamp: "2024-01-01T12:00:01.000Z",
          SignatureVersion: "1",
          Signature: "EXAMPLE",
          SigningCertUrl: "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000.pem",
          UnsubscribeUrl: "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
          MessageAttributes: { type: { Type: "String", Value: "OrderPaid" } },
        },
      },
    ],
  };
}

beforeAll(async () => {
  dynamo = await startDynamo({});
  sqs = await startSqs({ "parked-events": {} });
  mail = await startFakeApi(() => ({ status: 202, body: { messageId: "msg_1" } }));
  dynamodb = new DynamoDBClient({ ...TEST_AWS, endpoint: dynamo.endpoint });
  process.env["AWS_ENDPOINT_URL_SQS"] = sqs.endpoint;
  process.env["AWS_REGION"] = TEST_AWS.region;
  process.env["AWS_ACCESS_KEY_ID"] = "test";
  process.env["AWS_SECRET_ACCESS_KEY"] = "test";
});
afterAll(async () => {
  dynamodb.destroy();
  await Promise.all([dynamo.stop(), sqs.stop(), mail.stop()]);
});
beforeEach(async () => {
  mail.requests.length = 0;
  mail.answer(() => ({ status: 202, body: { messageId: "msg_1" } }));
  await drainQueue(sqs.endpoint, sqs.queueUrls["parked-events"]!);
});

async function setup() {
  const { CreateTableCommand } = await import("@aws-sdk/client-dynamodb");
  table += 1;
  await dynamodb.send(
    new CreateTableCommand({
      TableName: `idempotency-${table}`,
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  return sameTable(10_000);
}

/**
 * A handler on the table of the last setup(). The client timeout is generous by default (a loaded
 * CI machine must not turn a normal answer into a timeout); only the timeout test shortens it.
 */
function sameTable(timeoutMs: number) {
  return createReceipts({
    mail: new MailProvider({ baseUrl: mail.url, timeoutMs, clock: () => NOW }),
    idempotencyStore: new DynamoDBStore({
      tableName: `idempotency-${table}`,
      client: dynamodb,
      clock: () => NOW,
    }),
    parking: { queueUrl: sqs.queueUrls["parked-events"]! },
    clock: () => NOW,
  });
}

const parked = async () =>
  (await drainQueue(sqs.endpoint, sqs.queueUrls["parked-events"]!)).map((m) => JSON.parse(m.body));

describe("receipts", () => {
  it("mails a receipt for a paid order with the amount in its currency", async () => {
    const handler = await setup();
    await handler(snsEvent(JSON.stringify(paid)), lambdaContext("receipts"));

    expect(mail.requests).toHaveLength(1);
    expect(mail.requests[0]).toMatchObject({
      path: "/messages",
      headers: { "idempotency-key": "receipt-OrderPaid-ord_1" },
      body: {
        to: "ada@example.com",
        subject: "Receipt for order ord_1",
        text: "Thank you! We received €28.00 for order ord_1 on 2024-01-01T12:00:00.000Z.",
      },
    });
  });

  it("mails a payment-failed notice for OrderFailed", async () => {
    const handler = await setup();
    await handler(snsEvent(JSON.stringify({ ...paid, type: "OrderFailed" })), lambdaContext("receipts"));
    expect(mail.requests[0]?.body.subject).toBe("Payment failed for order ord_1");
  });

  it("mails once when SNS delivers the same event twice (new request id each time)", async () => {
    const handler = await setup();
    await handler(snsEvent(JSON.stringify(paid)), lambdaContext("receipts"));
    await handler(snsEvent(JSON.stringify(paid)), lambdaContext("receipts"));
    expect(mail.requests).toHaveLength(1);
  });

  it.each([
    ["is down (503)", { status: 503, body: { error: "maintenance" } }],
    ["throttles (429)", { status: 429, headers: { "retry-after": "30" }, body: { error: "slow down" } }],
    ["is too slow", { status: 202, body: { messageId: "late" }, delayMs: 5_000 }],
  ])(
    "throws for Lambda's async retry when the mail provider %s, then mails once on the retry",
    async (_n, answer) => {
      const handler = await setup();
      const event = snsEvent(JSON.stringify(paid));
      const context = lambdaContext("receipts");
      mail.answer(() => answer);

      await expect(("delayMs" in answer ? sameTable(300) : handler)(event, context)).rejects.toMatchObject({
        name: "RetryableError",
      });
      expect(await parked()).toEqual([]);

      mail.answer(() => ({ status: 202, body: { messageId: "msg_2" } }));
      // Async retries keep the same request id.
      await handler(event, context);
      await handler(event, lambdaContext("receipts"));
      expect(mail.requests.filter((r) => r.body.to === "ada@example.com")).toHaveLength(2);
      expect(mail.requests.every((r) => r.headers["idempotency-key"] === "receipt-OrderPaid-ord_1")).toBe(
        true,
      );
    },
  );

  it("parks the event when the mail provider rejects the address, and succeeds so Lambda does not retry", async () => {
    const handler = await setup();
    mail.answer(() => ({
      status: 422,
      body: { error: { code: "invalid_recipient", message: "mailbox does not exist" } },
    }));
    const event = snsEvent(JSON.stringify(paid));

    await handler(event, lambdaContext("receipts")); // resolves: parked, not thrown
    const [entry, ...rest] = await parked();
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      kind: "rebound.parked-event",
      trigger: "async",
      errorCode: "MAIL_REJECTED",
      event: { Records: [{ Sns: { Message: JSON.stringify(paid) } }] },
    });
    expect(entry.errorMessage).toContain("invalid_recipient: mailbox does not exist");
  });

  it.each([
    ["a message that is not JSON", "OrderPaid ord_1"],
    ["an unknown event type", JSON.stringify({ ...paid, type: "OrderShipped" })],
    ["a missing email", JSON.stringify({ ...paid, customerEmail: undefined })],
  ])("parks %s without mailing anyone", async (_n, message) => {
    const handler = await setup();
    await handler(snsEvent(message), lambdaContext("receipts"));
    expect(mail.requests).toEqual([]);
    const [entry] = await parked();
    expect(entry).toMatchObject({ trigger: "async", errorName: "ValidationError" });
  });
});
