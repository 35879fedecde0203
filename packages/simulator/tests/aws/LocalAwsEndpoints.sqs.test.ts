import { createHash } from "node:crypto";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  TooManyEntriesInBatchRequest,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalAwsEndpoints } from "../../src/aws/LocalAwsEndpoints.js";
import { MemorySqs } from "./memoryBackends.js";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };

describe("LocalAwsEndpoints: SQS over the JSON protocol, with the real SDK client", () => {
  let endpoints: LocalAwsEndpoints;
  const sqs = new MemorySqs(["payments", "payments.fifo", "empty"]);
  let client: SQSClient;
  let queueUrl: string;

  beforeAll(async () => {
    endpoints = await LocalAwsEndpoints.start({ backends: { sqs } });
    sqs.baseUrl = endpoints.url;
    queueUrl = endpoints.queueUrl("payments");
    client = new SQSClient({ region: "us-east-1", endpoint: endpoints.url, credentials, maxAttempts: 1 });
  });

  afterAll(async () => {
    client.destroy();
    await endpoints.close();
  });

  it("resolves a queue URL by name", async () => {
    const out = await client.send(new GetQueueUrlCommand({ QueueName: "payments" }));
    expect(out.QueueUrl).toBe(`${endpoints.url}/123456789012/payments`);
  });

  it("sends a message with attributes and returns the digests the SDK verifies", async () => {
    const out = await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: '{"orderId":"o-1","amountCents":1200,"currency":"EUR"}',
        DelaySeconds: 5,
        MessageAttributes: {
          type: { DataType: "String", StringValue: "PaymentRequested" },
          attempt: { DataType: "Number", StringValue: "2" },
          raw: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );
    expect(out.MessageId).toMatch(/^m-\d+$/);
    expect(out.MD5OfMessageBody).toBe(
      createHash("md5").update('{"orderId":"o-1","amountCents":1200,"currency":"EUR"}').digest("hex"),
    );
    expect(out.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    const sent = sqs.sent.at(-1)!;
    expect(sent).toMatchObject({ queueUrl, delaySeconds: 5 });
    expect(sent.messageAttributes["type"]).toEqual({ dataType: "String", stringValue: "PaymentRequested" });
    expect([...sent.messageAttributes["raw"]!.binaryValue!]).toEqual([1, 2, 3]);
  });

  it("passes FIFO group and deduplication ids through and returns the sequence number", async () => {
    const fifoUrl = endpoints.queueUrl("payments.fifo");
    const out = await client.send(
      new SendMessageCommand({
        QueueUrl: fifoUrl,
        MessageBody: "{}",
        MessageGroupId: "order-7",
        MessageDeduplicationId: "dedup-7",
      }),
    );
    expect(out.SequenceNumber).toMatch(/^\d+$/);
    expect(sqs.sent.at(-1)).toMatchObject({ messageGroupId: "order-7", messageDeduplicationId: "dedup-7" });
  });

  it("reports each failed batch entry separately and keeps the successful ones", async () => {
    const out = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: "a", MessageBody: "first" },
          { Id: "b", MessageBody: "reject-me" },
          { Id: "c", MessageBody: "third" },
        ],
      }),
    );
    expect(out.Successful?.map((entry) => entry.Id)).toEqual(["a", "c"]);
    expect(out.Failed).toEqual([
      { Id: "b", SenderFault: true, Code: "InvalidMessageContents", Message: "Invalid characters found." },
    ]);
  });

  it("rejects a batch of more than ten entries with the SDK's TooManyEntriesInBatchRequest", async () => {
    const entries = Array.from({ length: 11 }, (_, index) => ({ Id: `e${index}`, MessageBody: "x" }));
    await expect(
      client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries })),
    ).rejects.toBeInstanceOf(TooManyEntriesInBatchRequest);
  });

  it("receives messages with only the requested system and message attributes", async () => {
    const out = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 1,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
        MessageAttributeNames: ["ty.*"],
      }),
    );
    const message = out.Messages?.[0];
    expect(message?.Body).toBe('{"orderId":"o-1","amountCents":1200,"currency":"EUR"}');
    expect(message?.Attributes).toEqual({ ApproximateReceiveCount: "1" });
    expect(Object.keys(message?.MessageAttributes ?? {})).toEqual(["type"]);
    expect(message?.ReceiptHandle).toBe("rh-1");
  });

  it("answers an empty receive without a Messages list", async () => {
    const out = await client.send(
      new ReceiveMessageCommand({ QueueUrl: endpoints.queueUrl("empty"), MaxNumberOfMessages: 10 }),
    );
    expect(out.Messages).toBeUndefined();
  });

  it("deletes a message and changes a message's visibility", async () => {
    await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: "rh-1" }));
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: "rh-2",
        VisibilityTimeout: 30,
      }),
    );
    expect(sqs.deleted).toContain("rh-1");
    expect(sqs.visibilityChanges).toContainEqual({ receiptHandle: "rh-2", visibilityTimeout: 30 });
  });

  it("returns queue attributes", async () => {
    const out = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
    );
    expect(Number(out.Attributes?.["ApproximateNumberOfMessages"])).toBeGreaterThan(0);
  });

  it.each([
    [
      "QueueDoesNotExist",
      () => new SendMessageCommand({ QueueUrl: "http://elsewhere/1/none", MessageBody: "x" }),
      QueueDoesNotExist,
    ],
    [
      "ReceiptHandleIsInvalid",
      () => new DeleteMessageCommand({ QueueUrl: "", ReceiptHandle: "bad" }),
      undefined,
    ],
  ])("maps the backend's %s to the SDK's exception class", async (code, command, errorClass) => {
    if (errorClass !== undefined) {
      const error = await client.send(command() as SendMessageCommand).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(errorClass);
      expect((error as { name: string }).name).toBe(code);
      expect((error as { Code?: string }).Code).toBe("AWS.SimpleQueueService.NonExistentQueue");
      expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
    } else {
      const error = await client
        .send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: "bad" }))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ReceiptHandleIsInvalid);
    }
  });
});

describe("LocalAwsEndpoints: SQS over the query protocol (older clients)", () => {
  let endpoints: LocalAwsEndpoints;
  const sqs = new MemorySqs(["alerts"]);

  beforeAll(async () => {
    endpoints = await LocalAwsEndpoints.start({ backends: { sqs } });
    sqs.baseUrl = endpoints.url;
  });

  afterAll(async () => {
    await endpoints.close();
  });

  const post = async (path: string, form: Record<string, string>) => {
    const response = await fetch(`${endpoints.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
    return { status: response.status, text: await response.text() };
  };

  it("sends a message posted to the queue URL's path, with attributes, and answers XML", async () => {
    const out = await post("/123456789012/alerts", {
      Action: "SendMessage",
      Version: "2012-11-05",
      MessageBody: "<alert & 1>",
      "MessageAttribute.1.Name": "type",
      "MessageAttribute.1.Value.DataType": "String",
      "MessageAttribute.1.Value.StringValue": "Parked",
    });
    expect(out.status).toBe(200);
    expect(out.text).toContain("<SendMessageResponse");
    expect(out.text).toContain(
      `<MD5OfMessageBody>${createHash("md5").update("<alert & 1>").digest("hex")}</MD5OfMessageBody>`,
    );
    expect(sqs.sent.at(-1)).toMatchObject({
      queueUrl: `${endpoints.url}/123456789012/alerts`,
      body: "<alert & 1>",
      messageAttributes: { type: { dataType: "String", stringValue: "Parked" } },
    });
  });

  it("receives with escaped bodies and the requested attributes", async () => {
    const out = await post("/", {
      Action: "ReceiveMessage",
      Version: "2012-11-05",
      QueueUrl: `${endpoints.url}/123456789012/alerts`,
      "AttributeName.1": "All",
      "MessageAttributeName.1": "All",
    });
    expect(out.text).toContain("<Body>&lt;alert &amp; 1&gt;</Body>");
    expect(out.text).toContain("<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>");
    expect(out.text).toContain("<MessageAttribute><Name>type</Name><Value><StringValue>Parked</StringValue>");
  });

  it("answers a missing queue with the legacy error code in an ErrorResponse", async () => {
    const out = await post("/", {
      Action: "SendMessage",
      Version: "2012-11-05",
      QueueUrl: "http://x/1/none",
      MessageBody: "b",
    });
    expect(out.status).toBe(400);
    expect(out.text).toContain("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>");
    expect(out.text).toContain("<Type>Sender</Type>");
  });

  it("answers an action it does not implement with an error naming it", async () => {
    const out = await post("/", { Action: "PurgeQueue", Version: "2012-11-05", QueueUrl: "x" });
    expect(out.status).toBe(400);
    expect(out.text).toContain("PurgeQueue");
  });
});
