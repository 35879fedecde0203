import { describe, expect, it } from "vitest";
import { AslDefinitionError, StepFunctionsApiError } from "../../src/engine/errors.js";
import { Outcomes } from "../../src/engine/Outcomes.js";
import { LambdaFunction, type LambdaFunctionConfig } from "../../src/lambda/LambdaFunction.js";
import { Reply } from "../../src/lambda/Reply.js";
import { scripted } from "../../src/lambda/scripted.js";
import { StepFunctions } from "../../src/stepfunctions/StepFunctions.js";
import { runtimeEnv } from "../helpers.js";

const FN_ARN = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

function setup(seed = 1) {
  const env = runtimeEnv({ seed });
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
  const addFunction = (config: LambdaFunctionConfig): LambdaFunction => {
    const fn = new LambdaFunction(env, config);
    functions.set(fn.functionName, fn);
    return fn;
  };
  const run = (definition: unknown, input: unknown = {}, name = "exec-1") => {
    const machine = sfn.stateMachine("m") ?? sfn.createStateMachine({ name: "m", definition });
    const { executionArn } = sfn.startExecution({ stateMachineArn: machine.arn, name, input });
    env.simulation.runUntilIdle();
    return sfn.describeExecution(executionArn);
  };
  return { env, outcomes, sfn, addFunction, run };
}

const invoke = (name: string, extra: Record<string, unknown> = {}) => ({
  Type: "Task",
  Resource: "arn:aws:states:::lambda:invoke",
  Parameters: { FunctionName: name, "Payload.$": "$" },
  ...extra,
});

describe("Step Functions tasks and data flow", () => {
  it("invokes Lambda through lambda:invoke and applies ResultSelector, ResultPath and OutputPath", () => {
    const { addFunction, run } = setup();
    addFunction({
      functionName: "price",
      handler: (event) => ({ total: (event as { qty: number }).qty * 5 }),
    });
    const result = run(
      {
        StartAt: "Price",
        States: {
          Price: invoke("price", {
            InputPath: "$.order",
            ResultSelector: { "total.$": "$.Payload.total", "status.$": "$.StatusCode" },
            ResultPath: "$.order.priced",
            OutputPath: "$.order",
            End: true,
          }),
        },
      },
      { order: { qty: 3 }, other: true },
    );
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toEqual({ qty: 3, priced: { total: 15, status: 200 } });
  });

  it("passes the effective input to a function ARN resource and returns its result as is", () => {
    const { addFunction, run } = setup();
    const seen: unknown[] = [];
    addFunction({
      functionName: "echo",
      handler: (event) => {
        seen.push(event);
        return { got: event };
      },
    });
    const result = run(
      {
        StartAt: "Echo",
        States: {
          Echo: {
            Type: "Task",
            Resource: FN_ARN("echo"),
            Parameters: { "id.$": "$$.Execution.Name", "msg.$": "States.Format('order {}', $.n)" },
            End: true,
          },
        },
      },
      { n: 7 },
    );
    expect(seen).toEqual([{ id: "exec-1", msg: "order 7" }]);
    expect(result.output).toEqual({ got: { id: "exec-1", msg: "order 7" } });
  });

  it("runs Pass, Choice, Wait and Succeed with virtual time passing only in Wait", () => {
    const { env, run } = setup();
    const result = run(
      {
        StartAt: "Seed",
        States: {
          Seed: { Type: "Pass", Result: { waited: true }, ResultPath: "$.meta", Next: "Route" },
          Route: {
            Type: "Choice",
            Choices: [
              {
                And: [
                  { Variable: "$.total", IsPresent: true },
                  { Variable: "$.total", NumericGreaterThan: 100 },
                ],
                Next: "Big",
              },
            ],
            Default: "Small",
          },
          Big: { Type: "Wait", SecondsPath: "$.delay", Next: "Done" },
          Small: { Type: "Fail", Error: "TooSmall", Cause: "total too small" },
          Done: { Type: "Succeed" },
        },
      },
      { total: 250, delay: 90 },
    );
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toEqual({ total: 250, delay: 90, meta: { waited: true } });
    expect(result.stopDate! - result.startDate).toBe(90_000);
    expect(env.simulation.now()).toBe(90_000);
  });

  it("fails with the Fail state's Error and Cause, and a missing choice variable fails with States.Runtime", () => {
    const definition = {
      StartAt: "Route",
      States: {
        Route: {
          Type: "Choice",
          Choices: [{ Variable: "$.kind", StringEquals: "a", Next: "A" }],
          Default: "Nope",
        },
        A: { Type: "Succeed" },
        Nope: { Type: "Fail", Error: "Unknown", Cause: "no such kind" },
      },
    };
    expect(setup().run(definition, { kind: "b" })).toMatchObject({
      status: "FAILED",
      error: "Unknown",
      cause: "no such kind",
    });
    expect(setup().run(definition, {})).toMatchObject({ status: "FAILED", error: "States.Runtime" });
  });
});

describe("Step Functions Retry and Catch", () => {
  it("retries with AWS's defaults (1 s, backoff 2.0, 3 attempts) and surfaces errorType and the error JSON", () => {
    const { addFunction, run, outcomes } = setup();
    addFunction({
      functionName: "flaky",
      handler: scripted.fail({ errorType: "PaymentDeclined", errorMessage: "no" }),
    });
    const result = run({
      StartAt: "Pay",
      States: { Pay: invoke("flaky", { Retry: [{ ErrorEquals: ["States.ALL"] }], End: true }) },
    });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("PaymentDeclined");
    expect(JSON.parse(result.cause!)).toMatchObject({ errorType: "PaymentDeclined", errorMessage: "no" });
    const attempts = outcomes.byKey("exec-1")!.attempts.map((attempt) => attempt.startMs);
    expect(attempts).toEqual([0, 1_000, 3_000, 7_000]);
  });

  it("scans retriers in order with a counter per retrier across interleaved errors, then catches (ASL spec example)", () => {
    const { addFunction, run, outcomes } = setup();
    const fail = (errorType: string) => scripted.fail({ errorType });
    addFunction({
      functionName: "abc",
      handler: scripted.sequence([fail("ErrorA"), fail("ErrorB"), fail("ErrorC"), fail("ErrorB")], {
        per: "function",
      }),
    });
    const result = run(
      {
        StartAt: "Work",
        States: {
          Work: invoke("abc", {
            Retry: [
              { ErrorEquals: ["ErrorA", "ErrorB"], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 2 },
              { ErrorEquals: ["ErrorC"], IntervalSeconds: 5 },
            ],
            Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Recover" }],
            End: true,
          }),
          Recover: { Type: "Pass", End: true },
        },
      },
      { id: 1 },
    );
    const starts = outcomes.byKey("exec-1")!.attempts.map((attempt) => attempt.startMs);
    // waits of 1 s, 2 s and 5 s; the fourth error (ErrorB) finds its retrier exhausted → Catch.
    expect(starts).toEqual([0, 1_000, 3_000, 8_000]);
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toMatchObject({ id: 1, error: { Error: "ErrorB" } });
  });

  it("caps the backoff at MaxDelaySeconds and draws FULL jitter from the seeded source, the same per seed", () => {
    const starts = (seed: number, jitter: "FULL" | "NONE") => {
      const { addFunction, run, outcomes } = setup(seed);
      addFunction({ functionName: "f", handler: scripted.fail() });
      run({
        StartAt: "T",
        States: {
          T: invoke("f", {
            Retry: [
              {
                ErrorEquals: ["States.ALL"],
                IntervalSeconds: 2,
                BackoffRate: 3,
                MaxAttempts: 4,
                MaxDelaySeconds: 10,
                JitterStrategy: jitter,
              },
            ],
            End: true,
          }),
        },
      });
      const times = outcomes.byKey("exec-1")!.attempts.map((attempt) => attempt.startMs);
      return times.slice(1).map((time, index) => time - times[index]!);
    };
    expect(starts(1, "NONE")).toEqual([2_000, 6_000, 10_000, 10_000]);
    const jittered = starts(5, "FULL");
    expect(jittered).toEqual(starts(5, "FULL"));
    expect(jittered).not.toEqual([2_000, 6_000, 10_000, 10_000]);
    [2_000, 6_000, 10_000, 10_000].forEach((cap, index) => {
      expect(jittered[index]).toBeGreaterThanOrEqual(0);
      expect(jittered[index]).toBeLessThanOrEqual(cap);
    });
  });

  it.each([
    ["States.TaskFailed", "FAILED"],
    ["States.Timeout", "SUCCEEDED"],
    ["States.ALL", "SUCCEEDED"],
  ])("TimeoutSeconds raises States.Timeout, which a %s catcher handles → %s", (name, status) => {
    const { addFunction, run } = setup();
    addFunction({
      functionName: "slow",
      timeoutSeconds: 60,
      handler: scripted.succeed({ durationMs: 30_000 }),
    });
    const result = run({
      StartAt: "Slow",
      States: {
        Slow: invoke("slow", {
          TimeoutSeconds: 10,
          Catch: [{ ErrorEquals: [name], Next: "Caught" }],
          End: true,
        }),
        Caught: { Type: "Pass", End: true },
      },
    });
    expect(result.status).toBe(status);
    if (status === "FAILED") expect(result.error).toBe("States.Timeout");
    else expect(result.output).toMatchObject({ Error: "States.Timeout" });
  });

  it("lets Lambda.Unknown match a function timeout (Sandbox.Timedout), as AWS documents", () => {
    const { addFunction, run, outcomes } = setup();
    addFunction({
      functionName: "hang",
      timeoutSeconds: 3,
      handler: scripted.sequence(
        [scripted.succeed({ durationMs: 10_000 }), scripted.succeed({ payload: "ok" })],
        { per: "function" },
      ),
    });
    const result = run({
      StartAt: "T",
      States: {
        T: invoke("hang", {
          Retry: [{ ErrorEquals: ["Lambda.Unknown"], IntervalSeconds: 2 }],
          OutputPath: "$.Payload",
          End: true,
        }),
      },
    });
    expect(result).toMatchObject({ status: "SUCCEEDED", output: "ok" });
    expect(outcomes.byKey("exec-1")!.attempts.map((attempt) => attempt.result)).toEqual([
      "timeout",
      "success",
    ]);
  });

  it("surfaces a throttle as Lambda.TooManyRequestsException", () => {
    const { addFunction, run } = setup();
    addFunction({ functionName: "busy", handler: scripted.throttle() });
    const result = run({ StartAt: "T", States: { T: invoke("busy", { End: true }) } });
    expect(result.error).toBe("Lambda.TooManyRequestsException");
  });

  it("fails with Lambda.ResourceNotFoundException for a function the topology does not have", () => {
    const { run } = setup();
    const result = run({ StartAt: "T", States: { T: invoke("ghost", { End: true }) } });
    expect(result.error).toBe("Lambda.ResourceNotFoundException");
  });
});

describe("Step Functions Parallel", () => {
  it("returns the branch outputs in branch order", () => {
    const { addFunction, run } = setup();
    addFunction({
      functionName: "slow",
      timeoutSeconds: 10,
      handler: () => Reply.success("slow", { durationMs: 5_000 }),
    });
    addFunction({ functionName: "fast", handler: () => "fast" });
    const result = run({
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [
            { StartAt: "S", States: { S: { Type: "Task", Resource: FN_ARN("slow"), End: true } } },
            { StartAt: "F", States: { F: { Type: "Task", Resource: FN_ARN("fast"), End: true } } },
          ],
          End: true,
        },
      },
    });
    expect(result).toMatchObject({ status: "SUCCEEDED", output: ["slow", "fast"] });
    expect(result.stopDate).toBe(5_000);
  });

  it("fails as a whole when one branch fails, stops the others, and its Catch handles the branch error", () => {
    const { addFunction, run, env } = setup();
    const after: string[] = [];
    addFunction({ functionName: "boom", handler: scripted.fail({ errorType: "Boom" }) });
    addFunction({
      functionName: "later",
      handler: () => {
        after.push("ran");
        return "x";
      },
    });
    const result = run({
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [
            { StartAt: "B", States: { B: { Type: "Task", Resource: FN_ARN("boom"), End: true } } },
            {
              StartAt: "W",
              States: {
                W: { Type: "Wait", Seconds: 30, Next: "L" },
                L: { Type: "Task", Resource: FN_ARN("later"), End: true },
              },
            },
          ],
          Catch: [{ ErrorEquals: ["Boom"], Next: "Handled" }],
          End: true,
        },
        Handled: { Type: "Pass", End: true },
      },
    });
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toMatchObject({ Error: "Boom" });
    expect(after).toEqual([]);
    expect(env.trace.lines().some((line) => line.includes("state=L"))).toBe(false);
  });
});

describe("Step Functions executions", () => {
  it("treats the same name and input while running as the same execution, and rejects any other reuse", () => {
    const { sfn, env, addFunction } = setup();
    addFunction({ functionName: "f", handler: () => Reply.success(null, { durationMs: 10_000 }) });
    const machine = sfn.createStateMachine({
      name: "m",
      definition: { StartAt: "T", States: { T: invoke("f", { End: true }) } },
    });
    const first = sfn.startExecution({ stateMachineArn: machine.arn, name: "order-1", input: '{"id":1}' });
    expect(sfn.startExecution({ stateMachineArn: machine.arn, name: "order-1", input: '{"id":1}' })).toEqual(
      first,
    );
    expect(sfn.executions()).toHaveLength(1);
    expect(() =>
      sfn.startExecution({ stateMachineArn: machine.arn, name: "order-1", input: '{"id":2}' }),
    ).toThrow(expect.objectContaining({ code: "ExecutionAlreadyExists" }));
    env.simulation.runUntilIdle();
    expect(() =>
      sfn.startExecution({ stateMachineArn: machine.arn, name: "order-1", input: '{"id":1}' }),
    ).toThrow(expect.objectContaining({ code: "ExecutionAlreadyExists" }));
  });

  it.each([
    ["has space", "InvalidName"],
    ["a".repeat(81), "InvalidName"],
    ["colon:name", "InvalidName"],
  ])("rejects the execution name %j with %s", (name, code) => {
    const { sfn } = setup();
    const machine = sfn.createStateMachine({
      name: "m",
      definition: { StartAt: "S", States: { S: { Type: "Succeed" } } },
    });
    expect(() => sfn.startExecution({ stateMachineArn: machine.arn, name })).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it("rejects invalid JSON input and unknown state machines with AWS's codes", () => {
    const { sfn } = setup();
    const machine = sfn.createStateMachine({
      name: "m",
      definition: { StartAt: "S", States: { S: { Type: "Succeed" } } },
    });
    expect(() => sfn.startExecution({ stateMachineArn: machine.arn, input: "{nope" })).toThrow(
      expect.objectContaining({ code: "InvalidExecutionInput" }),
    );
    expect(() => sfn.startExecution({ stateMachineArn: `${machine.arn}x` })).toThrow(StepFunctionsApiError);
  });

  it("times the execution out at its TimeoutSeconds and ends an endless loop at 25,000 history events", () => {
    const timedOut = setup().run({
      TimeoutSeconds: 5,
      StartAt: "W",
      States: { W: { Type: "Wait", Seconds: 60, End: true } },
    });
    expect(timedOut).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout", stopDate: 5_000 });
    const looping = setup().run({
      StartAt: "A",
      States: {
        A: { Type: "Pass", Next: "B" },
        B: { Type: "Choice", Choices: [{ Variable: "$.stop", IsPresent: true, Next: "End" }], Default: "A" },
        End: { Type: "Succeed" },
      },
    });
    // Each state visit is two history events (entered, exited): with ExecutionStarted and
    // ExecutionFailed, 12,499 visits fill the 25,000 events; the 12,500th finds no room.
    expect(looping).toMatchObject({ status: "FAILED", error: "States.Runtime", transitions: 12_500 });
  });

  it("records the execution's outcome with each task attempt", () => {
    const { addFunction, run, outcomes } = setup();
    addFunction({ functionName: "f", handler: scripted.failTimes(1, { per: "function" }) });
    run({ StartAt: "T", States: { T: invoke("f", { Retry: [{ ErrorEquals: ["Error"] }], End: true }) } });
    const outcome = outcomes.byKey("exec-1")!;
    expect(outcome.disposition).toBe("processed");
    expect(outcome.attempts.map((attempt) => [attempt.functionName, attempt.result])).toEqual([
      ["f", "function-error"],
      ["f", "success"],
    ]);
  });
});

describe("Step Functions definitions", () => {
  it.each([
    [
      { StartAt: "M", States: { M: { Type: "Map", End: true } } },
      /state "M", field Type: "Map" is not supported/,
    ],
    [
      { StartAt: "T", States: { T: { ...invoke("f"), HeartbeatSeconds: 5, End: true } } },
      /state "T" \(Task\), field HeartbeatSeconds: not supported/,
    ],
    [
      { StartAt: "T", States: { T: { ...invoke("f"), Retyr: [], End: true } } },
      /state "T" \(Task\), field Retyr: unknown field/,
    ],
    [
      {
        StartAt: "T",
        States: { T: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", End: true } },
      },
      /field Resource: .*not supported/,
    ],
    [
      {
        StartAt: "T",
        States: {
          T: {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke",
            Parameters: { Payload: {} },
            End: true,
          },
        },
      },
      /needs FunctionName/,
    ],
    [
      { StartAt: "P", States: { P: { Type: "Pass", Next: "Nowhere" } } },
      /field Next: "Nowhere" is not a state/,
    ],
    [
      { StartAt: "P", States: { P: { Type: "Pass", Next: "P", End: true } } },
      /exactly one of Next or "End": true/,
    ],
    [
      {
        StartAt: "T",
        States: {
          T: { ...invoke("f"), Retry: [{ ErrorEquals: ["States.ALL"] }, { ErrorEquals: ["X"] }], End: true },
        },
      },
      /must be the only name and belong to the last entry/,
    ],
    [
      {
        StartAt: "T",
        States: { T: { ...invoke("f"), Retry: [{ ErrorEquals: ["X"], BackoffRate: 0.5 }], End: true } },
      },
      /BackoffRate: expected a number >= 1.0/,
    ],
    [
      {
        StartAt: "T",
        States: { T: { ...invoke("f"), Retry: [{ ErrorEquals: ["X"], JitterStrategy: "HALF" }], End: true } },
      },
      /JitterStrategy: expected "FULL" or "NONE"/,
    ],
    [{ StartAt: "P", States: { P: { Type: "Pass", InputPath: "$..deep", End: true } } }, /recursive descent/],
    [
      { StartAt: "P", States: { P: { Type: "Pass", Parameters: { "x.$": "States.Nope(1)" }, End: true } } },
      /States.Nope is not supported/,
    ],
    [
      {
        StartAt: "C",
        States: { C: { Type: "Choice", Choices: [{ Variable: "$.a", StringEqualz: "x", Next: "C" }] } },
      },
      /unknown choice operator "StringEqualz"/,
    ],
    [
      { QueryLanguage: "JSONata", StartAt: "S", States: { S: { Type: "Succeed" } } },
      /only "JSONPath" is supported/,
    ],
    [
      { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "A" } } },
      /asl-validator/,
    ],
  ])("rejects definition %# with a message naming the state and field", (definition, message) => {
    const { sfn } = setup();
    expect(() => sfn.createStateMachine({ name: "m", definition })).toThrow(AslDefinitionError);
    expect(() => sfn.createStateMachine({ name: "m", definition })).toThrow(message);
  });
});
