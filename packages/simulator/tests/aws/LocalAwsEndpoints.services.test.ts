import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import {
  KinesisClient,
  GetRecordsCommand as KinesisGetRecordsCommand,
  GetShardIteratorCommand as KinesisGetShardIteratorCommand,
  ResourceNotFoundException as KinesisResourceNotFound,
  PutRecordCommand,
  PutRecordsCommand,
} from "@aws-sdk/client-kinesis";
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  InvalidName,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
} from "@aws-sdk/client-sfn";
import { NotFoundException, PublishBatchCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetParameterCommand, GetParametersCommand, ParameterNotFound, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsServiceError } from "../../src/aws/errors.js";
import { InMemoryParameterStore } from "../../src/aws/InMemoryParameterStore.js";
import { LocalAwsEndpoints } from "../../src/aws/LocalAwsEndpoints.js";
import type { DynamoDbStreamRecord } from "../../src/aws/ServiceBackends.js";
import { MemoryDynamoDbStreams, MemoryKinesis, MemorySfn, MemorySns } from "./memoryBackends.js";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const region = "us-east-1";
const topicArn = "arn:aws:sns:us-east-1:123456789012:order-events";
const stateMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:fulfillment";
const streamArn = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000";

const streamRecord: DynamoDbStreamRecord = {
  eventID: "ev-1",
  eventName: "MODIFY",
  awsRegion: region,
  dynamodb: {
    approximateCreationDateTimeMs: Date.UTC(2026, 0, 1, 0, 0, 5),
    keys: { orderId: { S: "o-1" } },
    oldImage: { orderId: { S: "o-1" }, status: { S: "PENDING" } },
    newImage: { orderId: { S: "o-1" }, status: { S: "PAID" } },
    sequenceNumber: "100",
    sizeBytes: 42,
    streamViewType: "NEW_AND_OLD_IMAGES",
  },
};

describe("LocalAwsEndpoints: SNS, Step Functions, DynamoDB Streams, Kinesis and SSM with the real SDK clients", () => {
  let endpoints: LocalAwsEndpoints;
  const sns = new MemorySns(topicArn);
  const sfn = new MemorySfn(stateMachineArn);
  const kinesis = new MemoryKinesis();
  const ssm = new InMemoryParameterStore([
    { name: "/orders/slack-webhook", type: "SecureString", value: "http://127.0.0.1:9/hook" },
    { name: "/orders/stage", value: "test" },
  ]);
  const config = () => ({ region, endpoint: endpoints.url, credentials, maxAttempts: 1 });

  beforeAll(async () => {
    endpoints = await LocalAwsEndpoints.start({
      backends: {
        sns,
        sfn,
        kinesis,
        ssm,
        dynamodbStreams: new MemoryDynamoDbStreams(streamArn, [streamRecord]),
      },
    });
  });

  afterAll(async () => {
    await endpoints.close();
  });

  describe("SNS (query protocol, XML)", () => {
    it("publishes a message with its attributes and subject", async () => {
      const client = new SNSClient(config());
      const out = await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: '{"type":"OrderPaid","orderId":"o-1"}',
          Subject: "order <paid> & done",
          MessageAttributes: { type: { DataType: "String", StringValue: "OrderPaid" } },
        }),
      );
      client.destroy();
      expect(out.MessageId).toBe("sns-1");
      expect(sns.published[0]).toEqual({
        topicArn,
        message: '{"type":"OrderPaid","orderId":"o-1"}',
        subject: "order <paid> & done",
        messageAttributes: { type: { dataType: "String", stringValue: "OrderPaid" } },
      });
    });

    it("publishes a batch and reports the failed entry apart", async () => {
      const client = new SNSClient(config());
      const out = await client.send(
        new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: [
            {
              Id: "one",
              Message: "first",
              MessageAttributes: { type: { DataType: "String", StringValue: "OrderFailed" } },
            },
            { Id: "two", Message: "fail-entry" },
          ],
        }),
      );
      client.destroy();
      expect(out.Successful).toEqual([{ Id: "one", MessageId: expect.stringMatching(/^sns-/) }]);
      expect(out.Failed).toEqual([
        { Id: "two", Code: "InvalidParameter", Message: "Invalid parameter: Message", SenderFault: true },
      ]);
      expect(sns.published.at(-1)?.messageAttributes).toEqual({
        type: { dataType: "String", stringValue: "OrderFailed" },
      });
    });

    it("maps the backend's NotFound to the SDK's NotFoundException", async () => {
      const client = new SNSClient(config());
      const error = await client
        .send(new PublishCommand({ TopicArn: `${topicArn}-missing`, Message: "x" }))
        .catch((caught: unknown) => caught);
      client.destroy();
      expect(error).toBeInstanceOf(NotFoundException);
      expect((error as Error).message).toBe("Topic does not exist");
    });
  });

  describe("Step Functions (JSON 1.0)", () => {
    it("starts an execution and describes it", async () => {
      const client = new SFNClient(config());
      const started = await client.send(
        new StartExecutionCommand({ stateMachineArn, name: "msg-1", input: '{"orderId":"o-1"}' }),
      );
      expect(started.executionArn).toBe("arn:aws:states:us-east-1:123456789012:execution:fulfillment:msg-1");
      expect(started.startDate).toEqual(new Date(Date.UTC(2026, 0, 1, 0, 0, 1, 500)));
      const described = await client.send(
        new DescribeExecutionCommand({ executionArn: started.executionArn }),
      );
      client.destroy();
      expect(described).toMatchObject({
        status: "RUNNING",
        name: "msg-1",
        input: '{"orderId":"o-1"}',
        stateMachineArn,
      });
    });

    it("pages GetExecutionHistory through the SDK, oldest or newest first, and refuses maxResults over 1000", async () => {
      const client = new SFNClient(config());
      const { executionArn } = await client.send(
        new StartExecutionCommand({ stateMachineArn, name: "history-1", input: '{"orderId":"o-9"}' }),
      );
      const first = await client.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(first.events).toHaveLength(100);
      expect(first.events?.[0]).toMatchObject({
        id: 1,
        previousEventId: 0,
        type: "ExecutionStarted",
        executionStartedEventDetails: { input: '{"orderId":"o-9"}', inputDetails: { truncated: false } },
      });
      expect(first.events?.[0]?.timestamp).toEqual(new Date(Date.UTC(2026, 0, 1, 0, 0, 1, 500)));
      const second = await client.send(
        new GetExecutionHistoryCommand({ executionArn, nextToken: first.nextToken }),
      );
      expect(second.events?.map((event) => event.id)).toEqual(
        Array.from({ length: 50 }, (_, index) => 101 + index),
      );
      expect(second.nextToken).toBeUndefined();
      const newest = await client.send(
        new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 2 }),
      );
      expect(newest.events?.map((event) => event.id)).toEqual([150, 149]);
      const error = await client
        .send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1001 }))
        .catch((thrown: unknown) => thrown);
      client.destroy();
      expect(error).toMatchObject({ name: "ValidationException", $metadata: { httpStatusCode: 400 } });
    });

    it("throws the SDK's ExecutionAlreadyExists for a second start with the same name", async () => {
      const client = new SFNClient(config());
      await client.send(new StartExecutionCommand({ stateMachineArn, name: "msg-2" }));
      const error = await client
        .send(new StartExecutionCommand({ stateMachineArn, name: "msg-2" }))
        .catch((caught: unknown) => caught);
      client.destroy();
      expect(error).toBeInstanceOf(ExecutionAlreadyExists);
      expect((error as Error).name).toBe("ExecutionAlreadyExists");
      expect((error as Error).message).toContain("execution:fulfillment:msg-2");
    });

    it.each([
      ["a name with a space", { stateMachineArn, name: "bad name" }, InvalidName],
      [
        "an unknown state machine",
        { stateMachineArn: `${stateMachineArn}-x`, name: "ok" },
        StateMachineDoesNotExist,
      ],
    ])("rejects %s with the SDK's exception class", async (_label, input, errorClass) => {
      const client = new SFNClient(config());
      const error = await client.send(new StartExecutionCommand(input)).catch((caught: unknown) => caught);
      client.destroy();
      expect(error).toBeInstanceOf(errorClass);
    });
  });

  describe("DynamoDB Streams (JSON 1.0)", () => {
    it("describes the stream, gets an iterator at a sequence number and reads the record", async () => {
      const client = new DynamoDBStreamsClient(config());
      const described = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      const shardId = described.StreamDescription?.Shards?.[0]?.ShardId;
      expect(described.StreamDescription).toMatchObject({
        StreamArn: streamArn,
        TableName: "orders",
        StreamViewType: "NEW_AND_OLD_IMAGES",
        KeySchema: [{ AttributeName: "orderId", KeyType: "HASH" }],
      });
      const iterator = await client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: "AT_SEQUENCE_NUMBER",
          SequenceNumber: "100",
        }),
      );
      const records = await client.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator }));
      client.destroy();
      expect(records.Records?.[0]).toMatchObject({
        eventID: "ev-1",
        eventName: "MODIFY",
        eventSource: "aws:dynamodb",
        dynamodb: {
          Keys: { orderId: { S: "o-1" } },
          NewImage: { status: { S: "PAID" } },
          OldImage: { status: { S: "PENDING" } },
          SequenceNumber: "100",
          SizeBytes: 42,
        },
      });
      expect(records.Records?.[0]?.dynamodb?.ApproximateCreationDateTime).toEqual(
        new Date(Date.UTC(2026, 0, 1, 0, 0, 5)),
      );
    });
  });

  describe("Kinesis (JSON 1.1)", () => {
    it("puts records and reads them back with their bytes intact", async () => {
      const client = new KinesisClient(config());
      const put = await client.send(
        new PutRecordCommand({
          StreamName: "clicks",
          PartitionKey: "k1",
          Data: new TextEncoder().encode("hello"),
        }),
      );
      expect(put).toMatchObject({ ShardId: "shardId-000000000000", SequenceNumber: expect.any(String) });
      const iterator = await client.send(
        new KinesisGetShardIteratorCommand({
          StreamName: "clicks",
          ShardId: "shardId-000000000000",
          ShardIteratorType: "AT_SEQUENCE_NUMBER",
          StartingSequenceNumber: put.SequenceNumber,
        }),
      );
      const read = await client.send(new KinesisGetRecordsCommand({ ShardIterator: iterator.ShardIterator }));
      client.destroy();
      expect(new TextDecoder().decode(read.Records?.[0]?.Data)).toBe("hello");
      expect(read.Records?.[0]?.PartitionKey).toBe("k1");
      expect(read.MillisBehindLatest).toBe(0);
    });

    it("fails only the throttled record of a PutRecords call", async () => {
      const client = new KinesisClient(config());
      const out = await client.send(
        new PutRecordsCommand({
          StreamName: "clicks",
          Records: [
            { PartitionKey: "a", Data: new Uint8Array([1]) },
            { PartitionKey: "throttle-me", Data: new Uint8Array([2]) },
          ],
        }),
      );
      client.destroy();
      expect(out.FailedRecordCount).toBe(1);
      expect(out.Records?.[1]).toEqual({
        ErrorCode: "ProvisionedThroughputExceededException",
        ErrorMessage: "Rate exceeded for shard shardId-000000000000",
      });
    });

    it("maps a missing stream to the SDK's ResourceNotFoundException", async () => {
      const client = new KinesisClient(config());
      const error = await client
        .send(new PutRecordCommand({ StreamName: "missing", PartitionKey: "k", Data: new Uint8Array([1]) }))
        .catch((caught: unknown) => caught);
      client.destroy();
      expect(error).toBeInstanceOf(KinesisResourceNotFound);
    });
  });

  describe("SSM (JSON 1.1)", () => {
    it("decrypts a SecureString only when asked to", async () => {
      const client = new SSMClient(config());
      const clear = await client.send(
        new GetParameterCommand({ Name: "/orders/slack-webhook", WithDecryption: true }),
      );
      const hidden = await client.send(new GetParameterCommand({ Name: "/orders/slack-webhook" }));
      client.destroy();
      expect(clear.Parameter).toMatchObject({
        Name: "/orders/slack-webhook",
        Type: "SecureString",
        Value: "http://127.0.0.1:9/hook",
        Version: 1,
        ARN: "arn:aws:ssm:us-east-1:123456789012:parameter/orders/slack-webhook",
      });
      expect(hidden.Parameter?.Value).not.toContain("127.0.0.1");
    });

    it("lists missing names of GetParameters as invalid instead of failing", async () => {
      const client = new SSMClient(config());
      const out = await client.send(new GetParametersCommand({ Names: ["/orders/stage", "/orders/none"] }));
      client.destroy();
      expect(out.Parameters?.map((parameter) => parameter.Value)).toEqual(["test"]);
      expect(out.InvalidParameters).toEqual(["/orders/none"]);
    });

    it("maps a missing parameter to the SDK's ParameterNotFound", async () => {
      const client = new SSMClient(config());
      const error = await client
        .send(new GetParameterCommand({ Name: "/none" }))
        .catch((caught: unknown) => caught);
      client.destroy();
      expect(error).toBeInstanceOf(ParameterNotFound);
    });
  });
});

describe("LocalAwsEndpoints: what it does not serve", () => {
  let endpoints: LocalAwsEndpoints;
  const config = () => ({ region, endpoint: endpoints.url, credentials, maxAttempts: 1 });

  beforeAll(async () => {
    endpoints = await LocalAwsEndpoints.start({ backends: { sfn: new MemorySfn(stateMachineArn) } });
  });

  afterAll(async () => {
    await endpoints.close();
  });

  it("answers an operation it does not implement with an error naming it", async () => {
    const response = await fetch(endpoints.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "AWSStepFunctions.StopExecution",
      },
      body: "{}",
    });
    const body = (await response.json()) as { __type: string; message: string };
    expect(response.status).toBe(400);
    expect(body.__type).toBe("UnknownOperationException");
    expect(body.message).toContain("StopExecution");
  });

  it("answers a call to a service without a backend with an error naming the service and the fix", async () => {
    const client = new SSMClient(config());
    const error = await client
      .send(new GetParameterCommand({ Name: "/x" }))
      .catch((caught: unknown) => caught);
    client.destroy();
    expect((error as Error).name).toBe("UnknownOperationException");
    expect((error as Error).message).toContain("backends.ssm");
  });

  it("answers a query-protocol SNS action it does not implement with InvalidAction in XML", async () => {
    const response = await fetch(endpoints.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=Subscribe&Version=2010-03-31&TopicArn=x",
    });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text).toContain("<Code>InvalidAction</Code>");
    expect(text).toContain("Subscribe");
  });

  it("answers a backend bug as a 500 and keeps the error for the run to report", async () => {
    const broken = await LocalAwsEndpoints.start({
      backends: {
        ssm: {
          getParameter: () => {
            throw new TypeError("model exploded");
          },
        },
      },
    });
    const client = new SSMClient({ region, endpoint: broken.url, credentials, maxAttempts: 1 });
    const error = await client
      .send(new GetParameterCommand({ Name: "/x" }))
      .catch((caught: unknown) => caught);
    client.destroy();
    await broken.close();
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(500);
    expect(broken.internalErrors.map((e) => e.message)).toEqual(["model exploded"]);
  });

  it("counts the operations it served", () => {
    expect(endpoints.operationCounts()).toMatchObject({
      "SFN.StopExecution": 1,
      "SSM.GetParameter": 1,
      "SNS.Subscribe": 1,
    });
  });

  it("builds the environment that points every SDK client at it", () => {
    expect(endpoints.env()).toEqual({
      AWS_ENDPOINT_URL_SQS: endpoints.url,
      AWS_ENDPOINT_URL_SNS: endpoints.url,
      AWS_ENDPOINT_URL_SFN: endpoints.url,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.url,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: endpoints.url,
      AWS_ENDPOINT_URL_KINESIS: endpoints.url,
      AWS_ENDPOINT_URL_SSM: endpoints.url,
      AWS_ENDPOINT_URL_LAMBDA: endpoints.url,
      AWS_ACCESS_KEY_ID: "AKIAREBOUNDLOCAL0000",
      AWS_SECRET_ACCESS_KEY: "rebound-local-secret",
      AWS_REGION: "us-east-1",
      AWS_DEFAULT_REGION: "us-east-1",
    });
  });

  it.each([
    [{ regoin: "eu-west-1" }, "LocalAwsEndpoints options.regoin"],
    [{ accountId: "42" }, "accountId"],
    [{ backends: { sqs: {}, stepfunctions: {} } }, "backends.stepfunctions"],
    [{ dynamodb: { endpoint: "http://127.0.0.1:1", streamTables: ["orders"] } }, "dynamodb.onTableWrite"],
  ])("rejects the invalid options %j naming %s", async (options, key) => {
    await expect(LocalAwsEndpoints.start(options as never)).rejects.toMatchObject({ key });
  });

  it("keeps AwsServiceError's sender fault from the status code", () => {
    expect(new AwsServiceError("X", "m", 400).senderFault).toBe(true);
    expect(new AwsServiceError("X", "m", 503).senderFault).toBe(false);
  });
});
