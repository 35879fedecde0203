import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { FullBatchFailureError } from "@rebound/errors";
import {
  type AwsAnswer,
  type AwsCall,
  type FakeApi,
  type FakeAwsService,
  type LocalSqs,
  lambdaContext,
  sqsEvent,
  sqsRecord,
  startFakeApi,
  startJsonService,
  startSqs,
  TEST_AWS,
} from "@rebound/testing";
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { queueUrlOf } from "../src/arns.js";
import { createDlqAlerts } from "../src/createDlqAlerts.js";
import { SlackWebhook } from "../src/SlackWebhook.js";
import { StreamRecordsFetcher } from "../src/StreamRecordsFetcher.js";

const NOW = Date.UTC(2024, 0, 1, 13, 0, 0);
const ACCOUNT = "123456789012";
const queueArn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
const DDB_STREAM = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders/stream/2024-01-01T00:00:00.000`;
const KINESIS_STREAM = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/clicks`;

let slack: FakeApi;
let ssm: FakeAwsService;
let streams: FakeAwsService;
let kinesis: FakeAwsService;
let sqs: LocalSqs;

/** DynamoDB Streams shard holding sequence numbers 101..105. */
function ddbStreams(call: AwsCall): AwsAnswer {
  if (call.operation === "GetShardIterator") {
    return { output: { ShardIterator: `it:${call.input["SequenceNumber"]}` } };
  }
  const from = Number(String(call.input["ShardIterator"]).split(":")[1]);
  const Records = [0, 1, 2]
    .map((i) => from + i)
    .filter((n) => n <= 105)
    .map((n) => ({
      eventID: `ev-${n}`,
      eventName: "MODIFY",
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: "us-east-1",
      dynamodb: {
        ApproximateCreationDateTime: 1_704_110_400,
        Keys: { orderId: { S: `ord_${n}` } },
        NewImage: { orderId: { S: `ord_${n}` }, status: { S: "PAID" } },
        SequenceNumber: String(n),
        SizeBytes: 60,
        StreamViewType: "NEW_AND_OLD_IMAGES",
      },
    }));
  return { output: { Records, ...(from + 3 <= 105 ? { NextShardIterator: `it:${from + 3}` } : {}) } };
}

function kinesisService(call: AwsCall): AwsAnswer {
  if (call.operation === "GetShardIterator") return { output: { ShardIterator: "kit-1" } };
  return {
    output: {
      Records: [
        {
          SequenceNumber: "4950",
          PartitionKey: "user-1",
          Data: Buffer.from('{"click":1}').toString("base64"),
          ApproximateArrivalTimestamp: 1_704_110_400,
        },
        {
          SequenceNumber: "4951",
          PartitionKey: "user-2",
          Data: Buffer.from('{"click":2}').toString("base64"),
          ApproximateArrivalTimestamp: 1_704_110_401,
        },
      ],
      NextShardIterator: "kit-2",
      MillisBehindLatest: 0,
    },
  };
}

const ssmAnswer = (call: AwsCall): AwsAnswer =>
  call.input["Name"] === "/rebound/slack-webhook"
    ? {
        output: {
          Parameter: {
            Name: call.input["Name"],
            Type: "SecureString",
            Value: `${slack.url}/services/T000/B000/XXXX`,
            Version: 1,
          },
        },
      }
    : { error: { type: "ParameterNotFound", message: "not found", status: 400 } };

beforeAll(async () => {
  slack = await startFakeApi(() => ({ status: 200, body: "ok" }));
  ssm = await startJsonService(ssmAnswer);
  streams = await startJsonService(ddbStreams);
  kinesis = await startJsonService(kinesisService, { http2: true });
  sqs = await startSqs({ "payments-dlq": {}, payments: { dlq: "payments-dlq", maxReceiveCount: 1 } });
});
afterAll(async () => {
  await Promise.all([slack.stop(), ssm.stop(), streams.stop(), kinesis.stop(), sqs.stop()]);
});
beforeEach(() => {
  for (const fake of [ssm, streams, kinesis]) fake.calls.length = 0;
  slack.requests.length = 0;
  slack.answer(() => ({ status: 200, body: "ok" }));
  streams.answer(ddbStreams);
});

function setup(parameterName = "/rebound/slack-webhook") {
  const handler = createDlqAlerts({
    slack: new SlackWebhook({
      ssm: new SSMClient({ ...TEST_AWS, endpoint: ssm.endpoint, maxAttempts: 1 }),
      parameterName,
      clock: () => NOW,
      timeoutMs: 10_000,
    }),
    streams: new StreamRecordsFetcher({
      dynamodbStreams: new DynamoDBStreamsClient({ ...TEST_AWS, endpoint: streams.endpoint, maxAttempts: 1 }),
      kinesis: new KinesisClient({ ...TEST_AWS, endpoint: kinesis.endpoint, maxAttempts: 1 }),
    }),
    clock: () => NOW,
  });
  return {
    run: (...records: SQSRecord[]) =>
      handler(sqsEvent(...records), lambdaContext("dlq-alerts")) as Promise<SQSBatchResponse>,
    async redelivered(...records: SQSRecord[]): Promise<string[]> {
      try {
        const response = (await handler(
          sqsEvent(...records),
          lambdaContext("dlq-alerts"),
        )) as SQSBatchResponse;
        return response.batchItemFailures.map((f) => f.itemIdentifier);
      } catch (error) {
        expect(error).toBeInstanceOf(FullBatchFailureError);
        return records.map((r) => r.messageId);
      }
    },
  };
}

/** Everything a person reads in the Slack message, as one string. */
function slackText(index = 0): string {
  const body = slack.requests[index]?.body as { text: string; blocks: { text: { text: string } }[] };
  return [body.text, ...body.blocks.map((b) => b.text.text)].join("\n");
}

const asyncFailure = {
  version: "1.0",
  timestamp: "2024-01-01T12:03:30.123Z",
  requestContext: {
    requestId: "c7d1d1a0-6a55-4c1f-9d0e-0a1b2c3d4e5f",
    functionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:receipts:$LATEST`,
    condition: "RetriesExhausted",
    approximateInvokeCount: 3,
  },
  requestPayload: {
    Records: [{ EventSource: "aws:sns", Sns: { Message: '{"type":"OrderPaid","orderId":"ord_1"}' } }],
  },
  responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
  responsePayload: {
    errorMessage: "mail provider answered 503: maintenance",
    errorType: "RetryableError",
    requestId: "c7d1d1a0",
    stackTrace: [],
  },
};

const ddbFailure = {
  requestContext: {
    requestId: "1f2e3d4c",
    functionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:order-events`,
    condition: "RetryAttemptsExhausted",
    approximateInvokeCount: 4,
  },
  responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: null },
  version: "1.0",
  timestamp: "2024-01-01T12:10:00.000Z",
  DDBStreamBatchInfo: {
    shardId: "shardId-00000001704110400000-abcdef01",
    startSequenceNumber: "102",
    endSequenceNumber: "104",
    approximateArrivalOfFirstRecord: "2024-01-01T12:00:00Z",
    approximateArrivalOfLastRecord: "2024-01-01T12:00:02Z",
    batchSize: 3,
    streamArn: DDB_STREAM,
  },
};

describe("dlq-alerts", () => {
  it("alerts on a parked SQS record with its error, attempts, times and a move-task redrive to the source queue", async () => {
    const original = sqsRecord('{"orderId":"ord_9","amountCents":-1,"currency":"EUR"}', {
      queue: "payments",
      receiveCount: 1,
      sentAtMs: Date.UTC(2024, 0, 1, 12, 0, 0),
    });
    const parked = {
      kind: "rebound.parked-event",
      version: 1,
      trigger: "sqs",
      record: original,
      errorName: "ValidationError",
      errorMessage: "payment request is invalid",
      errorCode: "VALIDATION_FAILED",
      attempt: 1,
      receiveCount: 1,
      requestId: "req-1",
      messageId: original.messageId,
      eventSourceARN: queueArn("payments"),
      functionName: "payments-worker",
      parkedAt: "2024-01-01T12:00:01.000Z",
    };
    const { run } = setup();
    expect(await run(sqsRecord(JSON.stringify(parked), { queue: "payments-dlq" }))).toEqual({
      batchItemFailures: [],
    });

    const text = slackText();
    expect(text).toContain("payments-worker");
    expect(text).toContain("ValidationError: payment request is invalid (VALIDATION_FAILED)");
    expect(text).toContain("*Attempts:* 1 (SQS receive count), then parked as permanent");
    expect(text).toContain("*First seen:* 2024-01-01T12:00:00.000Z");
    expect(text).toContain("*Last seen:* 2024-01-01T12:00:01.000Z");
    expect(text).toContain("ord_9");
    expect(text).toContain(
      `aws sqs send-message --queue-url ${queueUrlOf(queueArn("payments"))} --message-body`,
    );
  });

  it("alerts on an async on-failure record with the original event and an async re-invoke command", async () => {
    const { run } = setup();
    await run(sqsRecord(JSON.stringify(asyncFailure), { queue: "receipts-failures" }));

    const text = slackText();
    expect(text).toContain("receipts (async, request c7d1d1a0-6a55-4c1f-9d0e-0a1b2c3d4e5f)");
    expect(text).toContain("RetryableError: mail provider answered 503: maintenance [RetriesExhausted]");
    expect(text).toContain("*Attempts:* 3 (Lambda's approximateInvokeCount)");
    expect(text).toContain("*Last seen:* 2024-01-01T12:03:30.123Z");
    expect(text).toContain("OrderPaid");
    expect(text).toContain("aws lambda invoke --function-name receipts --invocation-type Event");
  });

  it("fetches the original records of a DynamoDB stream failure (AT_SEQUENCE_NUMBER, up to the end sequence) and includes them", async () => {
    const { run } = setup();
    await run(sqsRecord(JSON.stringify(ddbFailure), { queue: "order-events-failures" }));

    expect(streams.calls[0]).toEqual({
      operation: "GetShardIterator",
      input: {
        StreamArn: DDB_STREAM,
        ShardId: ddbFailure.DDBStreamBatchInfo.shardId,
        ShardIteratorType: "AT_SEQUENCE_NUMBER",
        SequenceNumber: "102",
      },
    });
    const text = slackText();
    expect(text).toContain("*Original records (3):*");
    for (const id of ["ord_102", "ord_103", "ord_104"]) expect(text).toContain(id);
    expect(text).not.toContain("ord_105");
    expect(text).toContain("RetryAttemptsExhausted (records reported in batchItemFailures)");
    expect(text).toContain("*First seen:* 2024-01-01T12:00:00Z");
    expect(text).toContain(
      "aws lambda invoke --function-name order-events --invocation-type RequestResponse",
    );
  });

  it("fetches Kinesis records and shows their data as text", async () => {
    const { run } = setup();
    const failure = {
      ...ddbFailure,
      DDBStreamBatchInfo: undefined,
      KinesisBatchInfo: {
        ...ddbFailure.DDBStreamBatchInfo,
        shardId: "shardId-000000000000",
        startSequenceNumber: "4950",
        endSequenceNumber: "4951",
        batchSize: 2,
        streamArn: KINESIS_STREAM,
      },
    };
    await run(sqsRecord(JSON.stringify(failure), { queue: "clicks-failures" }));

    expect(kinesis.calls[0]?.input).toMatchObject({
      StreamARN: KINESIS_STREAM,
      ShardIteratorType: "AT_SEQUENCE_NUMBER",
      StartingSequenceNumber: "4950",
    });
    const text = slackText();
    expect(text).toContain('{\\"click\\":1}');
    expect(text).toContain("user-2");
  });

  it("still alerts, saying so, when the stream no longer retains the records", async () => {
    const { run } = setup();
    streams.answer(() => ({
      error: { type: "TrimmedDataAccessException", message: "trimmed", status: 400 },
    }));
    expect(await run(sqsRecord(JSON.stringify(ddbFailure)))).toEqual({ batchItemFailures: [] });
    expect(slackText()).toContain("no longer retained (TrimmedDataAccessException)");
  });

  it("retries a throttled stream fetch twice, then alerts without the originals", async () => {
    const { redelivered } = setup();
    streams.answer(() => ({ error: { type: "ThrottlingException", message: "slow down", status: 400 } }));
    const record = sqsRecord(JSON.stringify(ddbFailure));

    expect(await redelivered(record)).toEqual([record.messageId]);
    expect(slack.requests).toHaveLength(0);
    expect(
      await redelivered({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: "3" } }),
    ).toEqual([]);
    expect(slackText()).toContain("fetching the originals failed 3 times");
  });

  it("recognises a stream failure record delivered through SNS", async () => {
    const { run } = setup();
    const envelope = {
      Type: "Notification",
      MessageId: "m-1",
      TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:failures`,
      Message: JSON.stringify(ddbFailure),
    };
    await run(sqsRecord(JSON.stringify(envelope)));
    expect(slackText()).toContain("*Original records (3):*");
  });

  it("alerts on a function DLQ message from its RequestID and ErrorMessage attributes", async () => {
    const { run } = setup();
    const record = sqsRecord('{"Records":[{"Sns":{"Message":"{}"}}]}', { queue: "receipts-dlq" });
    record.messageAttributes = {
      RequestID: { dataType: "String", stringValue: "abc-123", stringListValues: [], binaryListValues: [] },
      ErrorCode: { dataType: "Number", stringValue: "200", stringListValues: [], binaryListValues: [] },
      ErrorMessage: {
        dataType: "String",
        stringValue: "Task timed out after 30.00 seconds",
        stringListValues: [],
        binaryListValues: [],
      },
    };
    await run(record);
    const text = slackText();
    expect(text).toContain("async invocation abc-123");
    expect(text).toContain("Task timed out after 30.00 seconds");
  });

  it("alerts on a message SQS moved to a DLQ by its redrive policy, with a move-task redrive", async () => {
    // A real redrive on the local SQS server: maxReceiveCount 1, received once and not deleted.
    const client = new SQSClient({ ...TEST_AWS, endpoint: sqs.endpoint });
    await client.send(
      new SendMessageCommand({ QueueUrl: sqs.queueUrls["payments"], MessageBody: '{"orderId":"ord_dead"}' }),
    );
    await client.send(
      new ReceiveMessageCommand({ QueueUrl: sqs.queueUrls["payments"], VisibilityTimeout: 0 }),
    );
    await client.send(
      new ReceiveMessageCommand({ QueueUrl: sqs.queueUrls["payments"], VisibilityTimeout: 0 }),
    );
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: sqs.queueUrls["payments-dlq"],
        MessageSystemAttributeNames: ["All"],
      }),
    );
    client.destroy();
    expect(Messages).toHaveLength(1);
    const moved = Messages[0]!;
    const record = sqsRecord(moved.Body ?? "", {
      queue: "payments-dlq",
      messageId: moved.MessageId!,
      receiveCount: Number(moved.Attributes?.ApproximateReceiveCount ?? 1),
      sentAtMs: Number(moved.Attributes?.SentTimestamp),
    });

    const { run } = setup();
    await run(record);
    const text = slackText();
    expect(text).toContain("SQS queue payments (redrive policy)");
    expect(text).toContain("ord_dead");
    // The alert consumed the DLQ message: the command sends its body back to the source queue.
    expect(text).toContain(
      `aws sqs send-message --queue-url ${queueUrlOf(queueArn("payments"))} --message-body`,
    );
  });

  it("alerts even on a body it does not recognise", async () => {
    const { run } = setup();
    expect(await run(sqsRecord("plain text, not JSON", { queue: "parked-events" }))).toEqual({
      batchItemFailures: [],
    });
    expect(slackText()).toContain("plain text, not JSON");
  });

  it.each([
    [429, { "retry-after": "30" }],
    [500, {}],
    [404, {}],
  ])(
    "keeps the message for redelivery when Slack answers %i (an alert is never dropped)",
    async (status, headers) => {
      const { redelivered } = setup();
      slack.answer(() => ({ status, headers, body: "no_service" }));
      const [first, second] = [sqsRecord("a"), sqsRecord("b")];
      expect(await redelivered(first, second)).toEqual([first.messageId, second.messageId]);
    },
  );

  it("reads the webhook from SSM with decryption once per container, and sends one message per failed event", async () => {
    const { run } = setup();
    await run(sqsRecord("one"), sqsRecord("two"), sqsRecord("three"));
    await run(sqsRecord("four"));

    expect(ssm.calls).toEqual([
      { operation: "GetParameter", input: { Name: "/rebound/slack-webhook", WithDecryption: true } },
    ]);
    expect(slack.requests).toHaveLength(4);
    expect(slack.requests.every((r) => r.path === "/services/T000/B000/XXXX")).toBe(true);
  });

  it("keeps the messages when the SSM parameter is missing", async () => {
    const { redelivered } = setup("/rebound/missing");
    const record = sqsRecord("x");
    expect(await redelivered(record)).toEqual([record.messageId]);
    expect(slack.requests).toEqual([]);
  });
});
