import {
  DeleteFunctionConcurrencyCommand,
  GetEventSourceMappingCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  PutFunctionConcurrencyCommand,
  UpdateEventSourceMappingCommand,
} from "@aws-sdk/client-lambda";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InMemoryParameterStore } from "../../src/aws/InMemoryParameterStore.js";
import { LocalAwsEndpoints } from "../../src/aws/LocalAwsEndpoints.js";
import { StreamSources, scripted, Topology } from "../../src/index.js";
import { topologyBackends } from "../../src/run/topologyBackends.js";

// The Lambda API's configuration calls and SQS GetQueueAttributes, through the real SDK clients, on
// a topology with a queue worker, a stream consumer and an async function.
let endpoints: LocalAwsEndpoints;
let topology: Topology;
let sqsMappingUuid: string;

beforeAll(async () => {
  topology = new Topology({ region: "eu-west-1" });
  const streams = new StreamSources(topology);
  const clicks = streams.addKinesisStream({ streamName: "clicks" });
  const dlq = topology.addQueue({ queueName: "jobs-dlq" });
  const jobs = topology.addQueue({
    queueName: "jobs",
    visibilityTimeoutSeconds: 60,
    redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 },
  });
  topology.addFunction({
    functionName: "worker",
    handler: scripted.succeed(),
    timeoutSeconds: 10,
    runtime: "python3.13",
    roleArn: "arn:aws:iam::123456789012:role/worker-role",
  });
  topology.addFunction({ functionName: "notifier", handler: scripted.succeed(), reservedConcurrency: 5 });
  const mapping = topology.createEventSourceMapping({
    eventSourceArn: jobs.arn,
    functionName: "worker",
    batchSize: 5,
  }) as {
    uuid: string;
  };
  sqsMappingUuid = mapping.uuid;
  topology.createEventSourceMapping({
    eventSourceArn: clicks.streamArn,
    functionName: "worker",
    startingPosition: "LATEST",
  });
  topology.putFunctionEventInvokeConfig({ functionName: "notifier", maximumRetryAttempts: 1 });
  endpoints = await LocalAwsEndpoints.start({
    region: "eu-west-1",
    backends: topologyBackends({
      topology,
      stack: () => undefined,
      parameters: new InMemoryParameterStore(),
    }),
  });
});
afterAll(() => endpoints.close());

const lambda = () =>
  new LambdaClient({
    endpoint: endpoints.url,
    region: "eu-west-1",
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
  });

describe("the local Lambda endpoint: effective configuration with AWS's field names", () => {
  it("GetFunctionConfiguration fills in AWS's defaults", async () => {
    const client = lambda();
    const worker = await client.send(new GetFunctionConfigurationCommand({ FunctionName: "worker" }));
    const notifier = await client.send(new GetFunctionConfigurationCommand({ FunctionName: "notifier" }));
    client.destroy();
    expect(worker).toMatchObject({
      FunctionName: "worker",
      Runtime: "python3.13",
      Role: "arn:aws:iam::123456789012:role/worker-role",
      Timeout: 10,
      MemorySize: 128,
      State: "Active",
    });
    expect(notifier).toMatchObject({ Runtime: "nodejs22.x", Timeout: 3 });
  });

  it("GetFunctionConcurrency, PutFunctionConcurrency and DeleteFunctionConcurrency", async () => {
    const client = lambda();
    expect(await client.send(new GetFunctionConcurrencyCommand({ FunctionName: "notifier" }))).toMatchObject({
      ReservedConcurrentExecutions: 5,
    });
    await client.send(
      new PutFunctionConcurrencyCommand({ FunctionName: "worker", ReservedConcurrentExecutions: 2 }),
    );
    expect(topology.function("worker").reservedConcurrency).toBe(2);
    await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: "worker" }));
    const none = await client.send(new GetFunctionConcurrencyCommand({ FunctionName: "worker" }));
    client.destroy();
    expect(none.ReservedConcurrentExecutions).toBeUndefined();
  });

  it("GetFunctionEventInvokeConfig, and ResourceNotFoundException for a function without one", async () => {
    const client = lambda();
    const config = await client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "notifier" }));
    const error = await client
      .send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "worker" }))
      .catch((thrown: unknown) => thrown);
    client.destroy();
    expect(config).toMatchObject({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 21_600 });
    expect(error).toMatchObject({ name: "ResourceNotFoundException", $metadata: { httpStatusCode: 404 } });
  });

  it("GetEventSourceMapping, ListEventSourceMappings and UpdateEventSourceMapping Enabled", async () => {
    const client = lambda();
    const sqs = await client.send(new GetEventSourceMappingCommand({ UUID: sqsMappingUuid }));
    expect(sqs).toMatchObject({
      BatchSize: 5,
      MaximumBatchingWindowInSeconds: 0,
      State: "Enabled",
      StateTransitionReason: "USER_INITIATED",
    });
    const listed = await client.send(new ListEventSourceMappingsCommand({ FunctionName: "worker" }));
    expect(listed.EventSourceMappings).toHaveLength(2);
    const stream = listed.EventSourceMappings?.find((mapping) => mapping.StartingPosition === "LATEST");
    expect(stream).toMatchObject({
      BatchSize: 100,
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: -1,
      ParallelizationFactor: 1,
      BisectBatchOnFunctionError: false,
      LastProcessingResult: "No records processed",
    });
    const disabled = await client.send(
      new UpdateEventSourceMappingCommand({ UUID: sqsMappingUuid, Enabled: false }),
    );
    expect(disabled.State).toBe("Disabled");
    const missing = await client
      .send(new GetEventSourceMappingCommand({ UUID: "nope" }))
      .catch((thrown: unknown) => thrown);
    client.destroy();
    expect(missing).toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("SQS GetQueueAttributes gives the queue's settings, defaults and redrive policy", async () => {
    const client = new SQSClient({
      endpoint: endpoints.url,
      region: "eu-west-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    });
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: endpoints.queueUrl("jobs"), AttributeNames: ["All"] }),
    );
    const only = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: endpoints.queueUrl("jobs"),
        AttributeNames: ["VisibilityTimeout"],
      }),
    );
    client.destroy();
    expect(Attributes).toMatchObject({
      VisibilityTimeout: "60",
      MessageRetentionPeriod: "345600",
      DelaySeconds: "0",
      MaximumMessageSize: "262144",
    });
    expect(JSON.parse(Attributes?.RedrivePolicy ?? "{}")).toEqual({
      deadLetterTargetArn: "arn:aws:sqs:eu-west-1:123456789012:jobs-dlq",
      maxReceiveCount: 3,
    });
    expect(only.Attributes).toEqual({ VisibilityTimeout: "60" });
  });
});
