import { KinesisClient, PutRecordCommand, ResourceNotFoundException } from "@aws-sdk/client-kinesis";
import { NotFoundException, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { QueueDoesNotExist, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type InMemoryRequest,
  installInProcessTransport,
  serveInProcess,
} from "../../src/aws/inProcessTransport.js";
import { LocalAwsEndpoints } from "../../src/aws/LocalAwsEndpoints.js";
import { runtimeModules } from "../../src/run/runtimeModules.js";
import { MemoryKinesis, MemorySns, MemorySqs } from "./memoryBackends.js";

// The real SDK clients, served once over the loopback socket and once in memory: the same answers,
// the same errors, and requests that really skipped the socket.
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const topicArn = "arn:aws:sns:us-east-1:123456789012:orders";

describe("in-process transport for the SDK the simulator hands to functions", () => {
  let endpoints: LocalAwsEndpoints;
  const sqs = new MemorySqs(["payments"]);
  const sns = new MemorySns(topicArn);
  const kinesis = new MemoryKinesis();
  let timedOut = false;
  const seen: InMemoryRequest[] = [];
  let stop: () => void = () => undefined;
  const config = () => ({ region: "us-east-1", endpoint: endpoints.url, credentials, maxAttempts: 1 });

  beforeAll(async () => {
    endpoints = await LocalAwsEndpoints.start({
      backends: { sqs, sns, kinesis },
      invocations: { current: () => (timedOut ? ({ timedOut: true } as never) : undefined) },
    });
    sqs.baseUrl = endpoints.url;
    installInProcessTransport(runtimeModules());
    installInProcessTransport(runtimeModules()); // twice is once
  });

  afterAll(async () => {
    stop();
    await endpoints.close();
  });

  /** Runs `call` over the socket, then in memory, and returns both results. */
  async function bothWays<T>(
    call: () => Promise<T>,
  ): Promise<{ socket: T; memory: T; inMemoryRequests: number }> {
    stop();
    const socket = await call();
    const before = seen.length;
    stop = serveInProcess(endpoints.url, (request) => {
      seen.push(request);
      return endpoints.serveInMemory(request);
    });
    const memory = await call();
    const inMemoryRequests = seen.length - before;
    stop();
    stop = () => undefined;
    return { socket, memory, inMemoryRequests };
  }

  it("answers SQS (JSON 1.0) the same way, with the request's own headers and body", async () => {
    const client = new SQSClient(config());
    const send = () =>
      client.send(
        new SendMessageCommand({ QueueUrl: endpoints.queueUrl("payments"), MessageBody: '{"n":1}' }),
      );
    const { socket, memory, inMemoryRequests } = await bothWays(send);
    client.destroy();
    expect(inMemoryRequests).toBe(1);
    expect(memory.MD5OfMessageBody).toBe(socket.MD5OfMessageBody);
    expect(memory.MessageId).toMatch(/^m-\d+$/);
    expect(sqs.sent.map((message) => message.body)).toEqual(['{"n":1}', '{"n":1}']);
    const request = seen.at(-1)!;
    expect(request).toMatchObject({
      method: "POST",
      url: "/",
      headers: { "x-amz-target": "AmazonSQS.SendMessage" },
    });
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test\//);
    expect(JSON.parse(request.body.toString())).toMatchObject({ MessageBody: '{"n":1}' });
  });

  it("gives the SDK the same exception classes", async () => {
    const client = new SQSClient(config());
    const missing = () =>
      client
        .send(new SendMessageCommand({ QueueUrl: `${endpoints.url}/123456789012/nope`, MessageBody: "x" }))
        .catch((error: unknown) => error);
    const { socket, memory } = await bothWays(missing);
    client.destroy();
    expect(socket).toBeInstanceOf(QueueDoesNotExist);
    expect(memory).toBeInstanceOf(QueueDoesNotExist);
    expect((memory as Error).message).toBe((socket as Error).message);
  });

  it("serves the query protocol (SNS, XML) and the HTTP/2 client (Kinesis)", async () => {
    const snsClient = new SNSClient(config());
    const publish = await bothWays(() =>
      snsClient.send(new PublishCommand({ TopicArn: topicArn, Message: "paid", Subject: "a & b" })),
    );
    const notFound = await bothWays(() =>
      snsClient
        .send(new PublishCommand({ TopicArn: `${topicArn}-x`, Message: "x" }))
        .catch((error: unknown) => error),
    );
    snsClient.destroy();
    expect(publish.inMemoryRequests).toBe(1);
    expect(sns.published.slice(-2).map((message) => message.subject)).toEqual(["a & b", "a & b"]);
    expect(notFound.memory).toBeInstanceOf(NotFoundException);

    const kinesisClient = new KinesisClient(config());
    const put = await bothWays(() =>
      kinesisClient.send(
        new PutRecordCommand({ StreamName: "clicks", PartitionKey: "k", Data: Buffer.from("x") }),
      ),
    );
    const missing = await bothWays(() =>
      kinesisClient
        .send(new PutRecordCommand({ StreamName: "missing", PartitionKey: "k", Data: Buffer.from("x") }))
        .catch((error: unknown) => error),
    );
    kinesisClient.destroy();
    expect(put.inMemoryRequests).toBe(1);
    expect(put.memory.ShardId).toBe(put.socket.ShardId);
    expect(missing.memory).toBeInstanceOf(ResourceNotFoundException);
  });

  it("drops a call from an invocation that has timed out, as the socket does", async () => {
    const client = new SQSClient(config());
    timedOut = true;
    const before = sqs.sent.length;
    const { socket, memory } = await bothWays(() =>
      client
        .send(new SendMessageCommand({ QueueUrl: endpoints.queueUrl("payments"), MessageBody: "late" }))
        .catch((error: unknown) => error),
    );
    timedOut = false;
    client.destroy();
    expect(sqs.sent.length).toBe(before);
    expect((socket as { code?: string }).code).toBe("ECONNRESET");
    expect((memory as { code?: string }).code).toBe("ECONNRESET");
  });
});
