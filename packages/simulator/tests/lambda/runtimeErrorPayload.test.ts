import { describe, expect, it } from "vitest";
import { errorPayloadForRuntime, scripted, Topology } from "../../src/index.js";
import { stepFunctionsForTopology } from "../../src/topology/stepFunctionsForTopology.js";

const START = Date.UTC(2026, 0, 1);
const ERROR = { errorType: "ValueError", errorMessage: "bad amount" };

/** A failing function of `runtime`, with an on-failure queue and a DLQ; what each place shows. */
function failingFunction(runtime: string) {
  const topology = new Topology({ startMs: START, region: "us-east-1" });
  const failures = topology.addQueue({ queueName: "failures" });
  const dlq = topology.addQueue({ queueName: "dlq" });
  topology.addFunction({
    functionName: "pay",
    runtime,
    handler: scripted.fail(ERROR),
    deadLetterTargetArn: dlq.arn,
  });
  topology.addFunction({ functionName: "notify", runtime, handler: scripted.fail(ERROR) });
  topology.putFunctionEventInvokeConfig({
    functionName: "notify",
    maximumRetryAttempts: 0,
    destinationConfig: { onFailure: { destination: failures.arn } },
  });
  topology.putFunctionEventInvokeConfig({ functionName: "pay", maximumRetryAttempts: 0 });
  const syncResults: unknown[] = [];
  const syncRequest = topology.invoke("pay", {}, { onResult: (result) => syncResults.push(result) });
  const asyncRequest = topology.invokeAsync("notify", {});
  topology.invokeAsync("pay", {});
  const sfn = stepFunctionsForTopology(topology);
  const machine = sfn.createStateMachine({
    name: "m",
    definition: {
      StartAt: "Pay",
      States: {
        Pay: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "pay" },
          End: true,
        },
      },
    },
  });
  const { executionArn } = sfn.startExecution({ stateMachineArn: machine.arn, name: "e1", input: {} });
  topology.run();
  return {
    syncRequest,
    asyncRequest,
    sync: syncResults[0] as { functionError?: string; payload: Record<string, unknown> },
    destination: JSON.parse(failures.messages()[0]!.body).responsePayload as Record<string, unknown>,
    dlqMessage: dlq.messages()[0]!,
    execution: sfn.describeExecution(executionArn),
  };
}

describe("the error payload follows the function's runtime", () => {
  it("Node.js: errorType, errorMessage, trace, in every place the payload shows", () => {
    const shown = failingFunction("nodejs22.x");
    expect(Object.keys(shown.sync.payload)).toEqual(["errorType", "errorMessage", "trace"]);
    expect(shown.sync).toMatchObject({ functionError: "Unhandled", payload: ERROR });
    expect(Object.keys(shown.destination)).toEqual(["errorType", "errorMessage", "trace"]);
    expect(shown.execution.error).toBe("ValueError");
    expect(Object.keys(JSON.parse(shown.execution.cause!))).toEqual(["errorType", "errorMessage", "trace"]);
    expect(shown.dlqMessage.messageAttributes?.ErrorMessage?.StringValue).toBe("bad amount");
  });

  it("Python: errorMessage, errorType, requestId, stackTrace, with the invocation's request id", () => {
    const shown = failingFunction("python3.13");
    expect(shown.sync.payload).toEqual({
      errorMessage: "bad amount",
      errorType: "ValueError",
      requestId: shown.syncRequest,
      stackTrace: expect.any(Array),
    });
    expect(Object.keys(shown.sync.payload)).toEqual(["errorMessage", "errorType", "requestId", "stackTrace"]);
    expect(shown.destination).toEqual({
      errorMessage: "bad amount",
      errorType: "ValueError",
      requestId: shown.asyncRequest,
      stackTrace: expect.any(Array),
    });
    expect(Object.keys(JSON.parse(shown.execution.cause!))).toEqual([
      "errorMessage",
      "errorType",
      "requestId",
      "stackTrace",
    ]);
    expect(shown.execution.error).toBe("ValueError");
    expect(shown.dlqMessage.messageAttributes?.ErrorMessage?.StringValue).toBe("bad amount");
  });

  it.each([
    ["java21", ["errorMessage", "errorType", "stackTrace"]],
    ["ruby3.3", ["errorMessage", "errorType", "stackTrace"]],
    ["dotnet8", ["errorType", "errorMessage", "stackTrace"]],
    ["provided.al2023", ["errorMessage", "errorType"]],
  ])("%s reports its own keys in its own order", (runtime, keys) => {
    expect(Object.keys(errorPayloadForRuntime(runtime, ERROR, "r-1"))).toEqual(keys);
  });

  it("leaves Lambda's own timeout error the same for every runtime", () => {
    const topology = new Topology({ startMs: START });
    topology.addFunction({
      functionName: "slow",
      runtime: "python3.13",
      handler: scripted.succeed({ durationMs: 5_000 }),
    });
    const results: { payload?: unknown }[] = [];
    const requestId = topology.invoke("slow", {}, { onResult: (done) => results.push(done) });
    topology.run();
    expect(results[0]?.payload).toEqual({
      errorType: "Sandbox.Timedout",
      errorMessage: `RequestId: ${requestId} Error: Task timed out after 3.00 seconds`,
    });
  });
});
