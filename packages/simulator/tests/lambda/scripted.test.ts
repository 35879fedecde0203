import { describe, expect, it } from "vitest";
import {
  ConfigurationError,
  type InvocationResult,
  LambdaFunction,
  type Script,
  scripted,
} from "../../src/index.js";
import { runtimeEnv } from "../helpers.js";

function run(
  script: Script,
  events: unknown[],
  options: { seed?: number; requestIds?: string[] } = {},
): InvocationResult[] {
  const env = runtimeEnv({ seed: options.seed ?? 1 });
  const fn = new LambdaFunction(env, { functionName: "scripted", timeoutSeconds: 5, handler: script });
  const results: InvocationResult[] = [];
  events.forEach((event, index) => {
    fn.invoke(event, options.requestIds?.[index] ?? `r${index}`, (result) => results.push(result));
    env.simulation.runUntilIdle();
  });
  return results;
}

const sqsEvent = (...ids: string[]) => ({ Records: ids.map((messageId) => ({ messageId, body: "{}" })) });

describe("scripted functions", () => {
  it("fail with the given error type and message", () => {
    const [result] = run(scripted.fail({ errorType: "PaymentDeclined", errorMessage: "no" }), [{}]);
    expect(result).toMatchObject({
      status: "FunctionError",
      error: { errorType: "PaymentDeclined", errorMessage: "no" },
    });
  });

  it("fail N times per event then succeed, keyed by request id", () => {
    const results = run(scripted.failTimes(2), [{}, {}, {}, {}], { requestIds: ["a", "a", "a", "b"] });
    expect(results.map((r) => r.status)).toEqual([
      "FunctionError",
      "FunctionError",
      "Success",
      "FunctionError",
    ]);
  });

  it("fail N times per batch of records, keyed by the record ids", () => {
    const results = run(scripted.failTimes(1), [sqsEvent("m1"), sqsEvent("m1"), sqsEvent("m2")]);
    expect(results.map((r) => r.status)).toEqual(["FunctionError", "Success", "FunctionError"]);
  });

  it("fail a seeded fraction of invocations, the same for the same seed", () => {
    const events = Array.from({ length: 2000 }, () => ({}));
    const first = run(scripted.failFraction(0.1), events, { seed: 5 }).map((r) => r.status);
    const again = run(scripted.failFraction(0.1), events, { seed: 5 }).map((r) => r.status);
    const other = run(scripted.failFraction(0.1), events, { seed: 6 }).map((r) => r.status);
    const failures = first.filter((s) => s === "FunctionError").length;
    expect(failures).toBeGreaterThan(150);
    expect(failures).toBeLessThan(250);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it("return the selected records as batch item failures", () => {
    const [result] = run(
      scripted.batchItemFailures((record) => record["messageId"] !== "m2"),
      [sqsEvent("m1", "m2", "m3")],
    );
    expect(result).toMatchObject({
      status: "Success",
      payload: { batchItemFailures: [{ itemIdentifier: "m1" }, { itemIdentifier: "m3" }] },
    });
  });

  it("take a virtual duration, past the timeout ending as Sandbox.Timedout", () => {
    const [ok, late] = [
      run(scripted.succeed({ durationMs: 4_000 }), [{}])[0],
      run(scripted.fail({ durationMs: 6_000 }), [{}])[0],
    ];
    expect(ok).toMatchObject({ status: "Success", endMs: 4_000 });
    expect(late).toMatchObject({
      status: "FunctionError",
      endMs: 5_000,
      error: { errorType: "Sandbox.Timedout" },
    });
  });

  it("are throttled, then follow a per-event sequence", () => {
    const results = run(
      scripted.sequence([scripted.throttle(), scripted.fail(), scripted.succeed()]),
      [{}, {}, {}, {}],
      {
        requestIds: ["a", "a", "a", "a"],
      },
    );
    expect(results.map((r) => r.status)).toEqual(["Throttled", "FunctionError", "Success", "Success"]);
  });

  it("respond with exactly the given response", () => {
    const [result] = run(scripted.respond({ batchItemFailures: [{ itemIdentifier: "" }] }), [{}]);
    expect(result).toMatchObject({
      status: "Success",
      payload: { batchItemFailures: [{ itemIdentifier: "" }] },
    });
  });

  it.each([
    [() => scripted.failFraction(1.5), /fraction must be in \[0, 1\]/],
    [() => scripted.failTimes(-1), /times must be an integer/],
    [() => scripted.succeed({ duration: 5 } as never), /unknown option "duration"/],
    [() => scripted.fail({ durationMs: -1 }), /durationMs must be a number >= 0/],
    [() => scripted.sequence([]), /non-empty array/],
  ])("reject bad options (%#)", (build, message) => {
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow(message);
  });
});
