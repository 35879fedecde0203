import { describe, expect, it } from "vitest";
import {
  ConfigurationError,
  type InvocationResult,
  InvocationStatus,
  LambdaFunction,
  Reply,
  scripted,
  ThrottleReason,
} from "../../src/index.js";
import { runtimeEnv } from "../helpers.js";

function one(): number {
  return 1;
}

function collect(): { results: InvocationResult[]; onDone: (result: InvocationResult) => void } {
  const results: InvocationResult[] = [];
  return { results, onDone: (result) => results.push(result) };
}

describe("LambdaFunction", () => {
  it("hands the handler a context with the request id, names and remaining time on the virtual clock", () => {
    const env = runtimeEnv();
    let seen: Record<string, unknown> = {};
    const fn = new LambdaFunction(env, {
      functionName: "pay",
      timeoutSeconds: 10,
      memorySizeMB: 256,
      handler: (_event, context) => {
        seen = {
          awsRequestId: context.awsRequestId,
          functionName: context.functionName,
          functionVersion: context.functionVersion,
          invokedFunctionArn: context.invokedFunctionArn,
          memoryLimitInMB: context.memoryLimitInMB,
          remaining: context.getRemainingTimeInMillis(),
        };
        return "ok";
      },
    });
    const { results, onDone } = collect();
    fn.invoke({}, "req-1", onDone);
    env.simulation.runUntilIdle();
    expect(seen).toEqual({
      awsRequestId: "req-1",
      functionName: "pay",
      functionVersion: "$LATEST",
      invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:pay",
      memoryLimitInMB: "256",
      remaining: 10_000,
    });
    expect(results).toEqual([
      { status: InvocationStatus.Success, requestId: "req-1", payload: "ok", startMs: 0, endMs: 0 },
    ]);
  });

  it("reports a thrown error the way the Node.js runtime does", () => {
    const env = runtimeEnv();
    class PaymentDeclined extends Error {
      public override name = "PaymentDeclined";
    }
    const fn = new LambdaFunction(env, {
      functionName: "pay",
      handler: () => {
        throw new PaymentDeclined("card refused");
      },
    });
    const { results, onDone } = collect();
    fn.invoke({}, "req-1", onDone);
    env.simulation.runUntilIdle();
    const result = results[0]!;
    expect(result.status).toBe(InvocationStatus.FunctionError);
    if (result.status !== InvocationStatus.FunctionError) return;
    expect(result.error.errorType).toBe("PaymentDeclined");
    expect(result.error.errorMessage).toBe("card refused");
    expect(result.error.trace?.[0]).toBe("PaymentDeclined: card refused");
    expect(result.timedOut).toBe(false);
  });

  it.each([
    { timeoutSeconds: 3, durationMs: 2_999, status: "Success", endMs: 2_999 },
    { timeoutSeconds: 3, durationMs: 3_000, status: "Success", endMs: 3_000 },
    { timeoutSeconds: 3, durationMs: 3_001, status: "FunctionError", endMs: 3_000 },
    { timeoutSeconds: 900, durationMs: 1_000_000, status: "FunctionError", endMs: 900_000 },
  ])(
    "ends a $durationMs ms invocation of a $timeoutSeconds s function as $status at $endMs ms",
    ({ timeoutSeconds, durationMs, status, endMs }) => {
      const env = runtimeEnv();
      const fn = new LambdaFunction(env, {
        functionName: "slow",
        timeoutSeconds,
        handler: scripted.succeed({ durationMs }),
      });
      const { results, onDone } = collect();
      fn.invoke({}, "req-9", onDone);
      expect(results).toHaveLength(0);
      env.simulation.runUntilIdle();
      expect(results[0]?.status).toBe(status);
      expect(results[0]?.endMs).toBe(endMs);
      if (results[0]?.status === InvocationStatus.FunctionError) {
        expect(results[0].error).toEqual({
          errorType: "Sandbox.Timedout",
          errorMessage: `RequestId: req-9 Error: Task timed out after ${timeoutSeconds}.00 seconds`,
        });
      }
    },
  );

  it("throttles synchronously once reserved concurrency is in use, and frees the slot when an invocation ends", () => {
    const env = runtimeEnv();
    const fn = new LambdaFunction(env, {
      functionName: "one",
      reservedConcurrency: 1,
      handler: scripted.succeed({ durationMs: 1_000 }),
    });
    const { results, onDone } = collect();
    fn.invoke({}, "a", onDone);
    fn.invoke({}, "b", onDone);
    expect(results).toEqual([
      {
        status: InvocationStatus.Throttled,
        requestId: "b",
        reason: ThrottleReason.ReservedFunctionConcurrentInvocationLimitExceeded,
        startMs: 0,
        endMs: 0,
      },
    ]);
    env.simulation.runUntilIdle();
    fn.invoke({}, "c", onDone);
    env.simulation.runUntilIdle();
    expect(results.map((r) => `${r.requestId}:${r.status}`)).toEqual([
      "b:Throttled",
      "a:Success",
      "c:Success",
    ]);
    expect(fn.running).toBe(0);
  });

  it("throttles every invoke of a function with reserved concurrency 0", () => {
    const env = runtimeEnv();
    const fn = new LambdaFunction(env, {
      functionName: "off",
      reservedConcurrency: 0,
      handler: () => "never",
    });
    const { results, onDone } = collect();
    fn.invoke({}, "a", onDone);
    expect(results[0]?.status).toBe(InvocationStatus.Throttled);
    expect(fn.invocations).toBe(0);
  });

  it("throttles unreserved functions when the account pool is exhausted", () => {
    const env = runtimeEnv({ accountConcurrency: 150 });
    new LambdaFunction(env, { functionName: "reserved", reservedConcurrency: 50, handler: one });
    const fn = new LambdaFunction(env, {
      functionName: "shared",
      handler: scripted.succeed({ durationMs: 10 }),
    });
    const { results, onDone } = collect();
    for (let i = 0; i < 101; i++) fn.invoke({}, `r${i}`, onDone);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      requestId: "r100",
      reason: ThrottleReason.ConcurrentInvocationLimitExceeded,
    });
  });

  it("waits for a Promise-returning handler before virtual time moves on", async () => {
    const env = runtimeEnv();
    const fn = new LambdaFunction(env, {
      functionName: "real",
      handler: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        return { echoed: event };
      },
    });
    const { results, onDone } = collect();
    fn.invoke({ a: 1 }, "r", onDone);
    await env.simulation.runUntilIdleAsync();
    expect(results[0]).toMatchObject({ status: "Success", payload: { echoed: { a: 1 } } });
  });

  it("turns a scripted throttle reply into an invocation error that used no concurrency", () => {
    const env = runtimeEnv();
    const fn = new LambdaFunction(env, { functionName: "t", handler: () => Reply.throttle() });
    const { results, onDone } = collect();
    fn.invoke({}, "r", onDone);
    expect(results[0]?.status).toBe("Throttled");
    expect(fn.running).toBe(0);
    expect(fn.invocations).toBe(0);
  });

  it.each<[Record<string, unknown>, RegExp]>([
    [
      { functionName: "f", handler: one, timeoutSeconds: 901 },
      /timeoutSeconds must be an integer from 1 to 900/,
    ],
    [{ functionName: "f", handler: one, timeoutSeconds: 0 }, /timeoutSeconds/],
    [{ functionName: "f", handler: one, memorySizeMB: 64 }, /memorySizeMB/],
    [{ functionName: "bad name", handler: one }, /functionName "bad name" is not valid/],
    [{ functionName: "f", handler: "index.handler" }, /handler of f must be a function/],
    [{ functionName: "f", handler: one, timeout: 3 }, /unknown option "timeout"/],
    [{ functionName: "f", handler: one, reservedConcurrency: 950 }, /below its minimum value of \[100\]/],
  ])("rejects the configuration %j", (config, message) => {
    expect(() => new LambdaFunction(runtimeEnv(), config as never)).toThrow(ConfigurationError);
    expect(() => new LambdaFunction(runtimeEnv(), config as never)).toThrow(message);
  });
});
