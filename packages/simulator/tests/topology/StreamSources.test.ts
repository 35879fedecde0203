import { describe, expect, it } from "vitest";
import { InvariantChecker } from "../../src/engine/InvariantChecker.js";
import { scripted } from "../../src/lambda/scripted.js";
import { StreamSources } from "../../src/topology/StreamSources.js";
import { stepFunctionsForTopology } from "../../src/topology/stepFunctionsForTopology.js";
import { Topology } from "../../src/topology/Topology.js";

describe("streams in a topology", () => {
  it("maps a DynamoDB stream through createEventSourceMapping and delivers the on-failure record to an SQS queue", () => {
    const topology = new Topology({ seed: 4, startMs: 0 });
    const checker = new InvariantChecker(topology);
    const streams = new StreamSources(topology);
    const failures = topology.addQueue({ queueName: "order-events-failures" });
    const table = streams.addDynamoDBStream({
      tableName: "orders",
      keySchema: { partitionKey: "pk" },
      streamViewType: "NEW_IMAGE",
    });
    topology.addFunction({ functionName: "order-events", handler: scripted.fail({ errorType: "Poison" }) });
    topology.createEventSourceMapping({
      eventSourceArn: table.streamArn,
      functionName: "order-events",
      startingPosition: "TRIM_HORIZON",
      batchSize: 1,
      maximumRetryAttempts: 1,
      destinationConfig: { onFailure: { destination: failures.arn } },
    });
    table.recordWrite({ newImage: { pk: { S: "order#1" } } });
    topology.run();
    const [message] = failures.messages();
    const body = JSON.parse(message!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      requestContext: { condition: "RetryAttemptsExhausted", approximateInvokeCount: 2 },
      DDBStreamBatchInfo: { batchSize: 1, streamArn: table.streamArn },
    });
    expect(checker.violations()).toEqual([]);
  });

  it("rejects a second mapping of the same stream and function, and an unknown stream", () => {
    const topology = new Topology({ seed: 1 });
    const streams = new StreamSources(topology);
    const stream = streams.addKinesisStream({ streamName: "clicks" });
    topology.addFunction({ functionName: "f", handler: scripted.succeed() });
    const config = { eventSourceArn: stream.streamArn, functionName: "f", startingPosition: "LATEST" };
    topology.createEventSourceMapping(config);
    expect(() => topology.createEventSourceMapping(config)).toThrow(/ResourceConflictException/);
    expect(() =>
      topology.createEventSourceMapping({
        ...config,
        eventSourceArn: "arn:aws:kinesis:us-east-1:123456789012:stream/nope",
      }),
    ).toThrow(/no stream/);
  });

  it("counts records still blocked behind a retrying batch as held, not lost, when the run stops early", () => {
    const topology = new Topology({ seed: 2, startMs: 0 });
    const checker = new InvariantChecker(topology);
    const streams = new StreamSources(topology);
    const stream = streams.addKinesisStream({ streamName: "clicks" });
    topology.addFunction({ functionName: "f", handler: scripted.fail() });
    topology.createEventSourceMapping({
      eventSourceArn: stream.streamArn,
      functionName: "f",
      startingPosition: "TRIM_HORIZON",
      batchSize: 1,
    });
    stream.putRecord({ partitionKey: "a", data: "1" });
    stream.putRecord({ partitionKey: "a", data: "2" });
    topology.run(60_000);
    expect(topology.outcomes.counts().pending).toBe(2);
    expect(checker.violations()).toEqual([]);
  });
});

describe("Step Functions in a topology", () => {
  it("runs Lambda tasks on the topology's functions and records the execution's outcome", () => {
    const topology = new Topology({ seed: 1, startMs: 0 });
    const checker = new InvariantChecker(topology);
    topology.addFunction({
      functionName: "reserve",
      handler: scripted.failTimes(1, { per: "function", errorType: "Busy" }),
    });
    const sfn = stepFunctionsForTopology(topology);
    const machine = sfn.createStateMachine({
      name: "fulfil",
      definition: {
        StartAt: "Reserve",
        States: {
          Reserve: {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke",
            Parameters: {
              FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:reserve:$LATEST",
              "Payload.$": "$",
            },
            Retry: [{ ErrorEquals: ["Busy"], IntervalSeconds: 2 }],
            End: true,
          },
        },
      },
    });
    const { executionArn } = sfn.startExecution({
      stateMachineArn: machine.arn,
      name: "order-1",
      input: { orderId: "1" },
    });
    topology.run();
    expect(sfn.describeExecution(executionArn)).toMatchObject({
      status: "SUCCEEDED",
      invocations: 2,
      stopDate: 2_000,
    });
    expect(topology.outcomes.byKey("order-1")?.disposition).toBe("processed");
    expect(checker.violations()).toEqual([]);
  });
});
