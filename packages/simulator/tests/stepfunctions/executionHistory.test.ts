import { describe, expect, it } from "vitest";
import { Outcomes } from "../../src/engine/Outcomes.js";
import { LambdaFunction, type LambdaFunctionConfig } from "../../src/lambda/LambdaFunction.js";
import { scripted } from "../../src/lambda/scripted.js";
import { StepFunctions } from "../../src/stepfunctions/StepFunctions.js";
import { runtimeEnv } from "../helpers.js";

function setup() {
  const env = runtimeEnv({ seed: 1 });
  const outcomes = new Outcomes(() => env.simulation.now());
  const functions = new Map<string, LambdaFunction>();
  const sfn = new StepFunctions({
    simulation: env.simulation,
    trace: env.trace,
    outcomes,
    region: env.region,
    accountId: env.accountId,
    resolveFunction: (name) => functions.get(name),
  });
  const addFunction = (config: LambdaFunctionConfig) => {
    const fn = new LambdaFunction(env, config);
    functions.set(fn.functionName, fn);
    return fn;
  };
  const history = (definition: unknown, input: unknown = { orderId: "o-1" }) => {
    const machine = sfn.createStateMachine({ name: "m", definition });
    const { executionArn } = sfn.startExecution({ stateMachineArn: machine.arn, name: "e1", input });
    env.simulation.runUntilIdle();
    return sfn.getExecutionHistory(executionArn);
  };
  return { addFunction, history, sfn };
}

const types = (events: readonly { type: string }[]) => events.map((event) => event.type);

describe("Step Functions execution history, as GetExecutionHistory returns it", () => {
  it("a Lambda-ARN task: LambdaFunctionScheduled/Started/Succeeded between the state's entry and exit", () => {
    const { addFunction, history } = setup();
    const fn = addFunction({ functionName: "charge", handler: scripted.respond({ charged: true }) });
    const events = history({
      StartAt: "Charge",
      States: { Charge: { Type: "Task", Resource: fn.arn, End: true } },
    });
    expect(types(events)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    expect(events.map((event) => [event.id, event.previousEventId])).toEqual([
      [1, 0],
      [2, 0],
      [3, 2],
      [4, 3],
      [5, 4],
      [6, 5],
      [7, 6],
    ]);
    expect(events[0]).toMatchObject({
      executionStartedEventDetails: { input: '{"orderId":"o-1"}', inputDetails: { truncated: false } },
    });
    expect(events[1]).toMatchObject({
      stateEnteredEventDetails: {
        name: "Charge",
        input: '{"orderId":"o-1"}',
        inputDetails: { truncated: false },
      },
    });
    expect(events[2]).toMatchObject({
      lambdaFunctionScheduledEventDetails: {
        resource: fn.arn,
        input: '{"orderId":"o-1"}',
        inputDetails: { truncated: false },
      },
    });
    expect(events[3]).not.toHaveProperty("lambdaFunctionStartedEventDetails");
    expect(events[4]).toMatchObject({
      lambdaFunctionSucceededEventDetails: {
        output: '{"charged":true}',
        outputDetails: { truncated: false },
      },
    });
    expect(events[6]).toMatchObject({ executionSucceededEventDetails: { output: '{"charged":true}' } });
    expect(events[0]!.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("lambda:invoke with Retry then Catch: TaskScheduled/Started/Failed per attempt, then the catcher's state", () => {
    const { addFunction, history } = setup();
    addFunction({
      functionName: "stock",
      runtime: "python3.13",
      handler: scripted.fail({ errorType: "OutOfStock", errorMessage: "none left" }),
    });
    const events = history({
      StartAt: "Reserve",
      States: {
        Reserve: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "stock", "Payload.$": "$" },
          Retry: [{ ErrorEquals: ["OutOfStock"], MaxAttempts: 1, IntervalSeconds: 2 }],
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Sorry" }],
          End: true,
        },
        Sorry: { Type: "Fail", Error: "Refused", Cause: "out of stock" },
      },
    });
    expect(types(events)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskFailed",
      "TaskScheduled",
      "TaskStarted",
      "TaskFailed",
      "TaskStateExited",
      "FailStateEntered",
      "ExecutionFailed",
    ]);
    const scheduled = events[2]!.taskScheduledEventDetails as Record<string, unknown>;
    expect(scheduled).toMatchObject({ resourceType: "lambda", resource: "invoke", region: "us-east-1" });
    expect(JSON.parse(scheduled.parameters as string)).toEqual({
      FunctionName: "stock",
      Payload: { orderId: "o-1" },
    });
    const failed = events[4]!.taskFailedEventDetails as Record<string, unknown>;
    expect(failed).toMatchObject({ resourceType: "lambda", resource: "invoke", error: "OutOfStock" });
    expect(Object.keys(JSON.parse(failed.cause as string))).toEqual([
      "errorMessage",
      "errorType",
      "requestId",
      "stackTrace",
    ]);
    // The retry waits 2 s after the failure.
    expect(Date.parse(events[5]!.timestamp) - Date.parse(events[4]!.timestamp)).toBe(2_000);
    expect(events[10]).toMatchObject({
      executionFailedEventDetails: { error: "Refused", cause: "out of stock" },
    });
  });

  it("names every state type's events and records a Parallel state's start and success", () => {
    const { history } = setup();
    const events = history({
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [
            { StartAt: "A", States: { A: { Type: "Pass", End: true } } },
            { StartAt: "B", States: { B: { Type: "Wait", Seconds: 1, End: true } } },
          ],
          Next: "Done",
        },
        Done: { Type: "Succeed" },
      },
    });
    expect(types(events)).toEqual([
      "ExecutionStarted",
      "ParallelStateEntered",
      "ParallelStateStarted",
      "PassStateEntered",
      "PassStateExited",
      "WaitStateEntered",
      "WaitStateExited",
      "ParallelStateSucceeded",
      "ParallelStateExited",
      "SucceedStateEntered",
      "SucceedStateExited",
      "ExecutionSucceeded",
    ]);
    const started = events[2]!.id;
    // Each branch's first event follows ParallelStateStarted.
    expect(events[3]!.previousEventId).toBe(started);
    expect(events[5]!.previousEventId).toBe(started);
  });

  it("ends an execution that loops past 25,000 history events", () => {
    const { history } = setup();
    const events = history({
      StartAt: "A",
      States: {
        A: { Type: "Pass", Next: "B" },
        B: { Type: "Choice", Choices: [{ Variable: "$.stop", IsPresent: true, Next: "End" }], Default: "A" },
        End: { Type: "Succeed" },
      },
    });
    expect(events).toHaveLength(25_000);
    expect(events.at(-1)).toMatchObject({
      type: "ExecutionFailed",
      executionFailedEventDetails: { error: "States.Runtime" },
    });
  });

  it("refuses the history of an execution that does not exist", () => {
    const { sfn } = setup();
    expect(() => sfn.getExecutionHistory("arn:aws:states:us-east-1:123456789012:execution:m:nope")).toThrow(
      "Execution Does Not Exist",
    );
  });
});
