import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StatesFailure } from "../../src/engine/errors.js";
import { compileAslCondition } from "../../src/stepfunctions/asl/aslChoice.js";
import { parseAslPath, readAslPath, writeAslPath } from "../../src/stepfunctions/asl/aslPath.js";
import {
  type AslRetrier,
  decideRetry,
  errorMatches,
  retryDelayMs,
} from "../../src/stepfunctions/asl/aslRetry.js";
import { compileAslExpression, compileAslTemplate } from "../../src/stepfunctions/asl/aslTemplate.js";

const scope = (input: unknown) => ({ input, context: { Execution: { Name: "e-1" } }, random: () => 0.5 });

describe("ASL paths", () => {
  it("reads fields, quoted fields and indexes, and writes ResultPath copies without touching the input", () => {
    const input = { a: { "b c": [10, 20] } };
    expect(readAslPath(input, parseAslPath("$.a['b c'][1]", "test"))).toEqual({ found: true, value: 20 });
    expect(readAslPath(input, parseAslPath("$.a.missing", "test"))).toEqual({ found: false });
    const written = writeAslPath(input, parseAslPath("$.a.result.x", "test"), 1);
    expect(written).toEqual({ a: { "b c": [10, 20], result: { x: 1 } } });
    expect(input).toEqual({ a: { "b c": [10, 20] } });
    expect(writeAslPath({ a: 5 }, parseAslPath("$.a.b", "test"), 1)).toBeUndefined();
  });
});

describe("ASL intrinsic functions", () => {
  it.each([
    ["States.Format('{} + {} = {}', 1, $.two, 'three')", "1 + 2 = three"],
    ["States.Format('literal \\{\\}')", "literal {}"],
    ["States.StringToJson($.json)", { k: [1] }],
    ["States.JsonToString($.obj)", '{"x":true}'],
    ["States.Array(1, 'a', null, States.ArrayLength($.list))", [1, "a", null, 3]],
    ["States.ArrayGetItem($.list, 1)", "y"],
    ["States.ArrayContains($.list, 'z')", true],
    ["States.MathAdd($.two, -5)", -3],
    ["States.StringSplit('a,b;c', ',;')", ["a", "b", "c"]],
    ["States.Base64Decode(States.Base64Encode('hi'))", "hi"],
    ["States.Hash('abc', 'SHA-256')", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    ["States.Format('{}', $$.Execution.Name)", "e-1"],
  ])("evaluates %s", (expression, expected) => {
    const input = { two: 2, json: '{"k":[1]}', obj: { x: true }, list: ["x", "y", "z"] };
    expect(compileAslExpression(expression, "test")(scope(input))).toEqual(expected);
  });

  it("fails at run time with States.IntrinsicFailure or States.ParameterPathFailure", () => {
    expect(() => compileAslExpression("States.ArrayGetItem($.list, 9)", "test")(scope({ list: [] }))).toThrow(
      expect.objectContaining({ error: "States.IntrinsicFailure" }),
    );
    expect(() => compileAslTemplate({ "x.$": "$.nope" }, "test")(scope({}))).toThrow(StatesFailure);
    expect(() => compileAslTemplate({ "x.$": "$.nope" }, "test")(scope({}))).toThrow(
      expect.objectContaining({ error: "States.ParameterPathFailure" }),
    );
  });
});

describe("ASL choice rules", () => {
  it.each([
    [{ Variable: "$.s", StringMatches: "log-*.txt" }, { s: "log-2026.txt" }, true],
    [{ Variable: "$.s", StringMatches: "a\\*b" }, { s: "a*b" }, true],
    [{ Variable: "$.s", StringMatches: "a\\*b" }, { s: "axxb" }, false],
    [{ Variable: "$.n", NumericLessThanEqualsPath: "$.max" }, { n: 3, max: 3 }, true],
    [{ Variable: "$.n", StringEquals: "3" }, { n: 3 }, false],
    [
      { Variable: "$.t", TimestampGreaterThan: "2026-01-01T00:00:00Z" },
      { t: "2026-01-01T00:00:01+00:00" },
      true,
    ],
    [{ Variable: "$.b", BooleanEquals: false }, { b: false }, true],
    [{ Variable: "$.x", IsNull: true }, { x: null }, true],
    [{ Variable: "$.x", IsPresent: false }, {}, true],
    [{ Not: { Variable: "$.x", IsNumeric: true } }, { x: "1" }, true],
    [
      {
        Or: [
          { Variable: "$.a", NumericEquals: 1 },
          { Variable: "$.a", NumericEquals: 2 },
        ],
      },
      { a: 2 },
      true,
    ],
  ])("%j on %j is %s", (rule, input, expected) => {
    expect(compileAslCondition(rule, "test", false)(scope(input))).toBe(expected);
  });
});

describe("ASL retriers", () => {
  const retrier = (overrides: Partial<AslRetrier> = {}): AslRetrier => ({
    errorEquals: ["States.ALL"],
    intervalSeconds: 1,
    maxAttempts: 3,
    backoffRate: 2,
    maxDelaySeconds: undefined,
    jitterStrategy: "NONE",
    ...overrides,
  });

  it.each([
    ["Custom", ["States.ALL"], true],
    ["States.Timeout", ["States.TaskFailed"], false],
    ["States.Timeout", ["States.ALL"], true],
    ["States.Runtime", ["States.ALL"], false],
    ["Sandbox.Timedout", ["Lambda.Unknown"], true],
    ["Custom", ["Other", "Custom"], true],
  ])("error %s against %j matches: %s", (error, list, expected) => {
    expect(errorMatches(error, list)).toBe(expected);
  });

  it("computes the documented example: interval 3, rate 1.5 → 3 s then 4.5 s", () => {
    expect(
      [1, 2].map((attempt) =>
        retryDelayMs(retrier({ intervalSeconds: 3, backoffRate: 1.5 }), attempt, () => 0),
      ),
    ).toEqual([3_000, 4_500]);
  });

  it("never retries more than MaxAttempts per retrier and never waits past MaxDelaySeconds (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 6 }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
        fc.constantFrom("FULL" as const, "NONE" as const),
        fc.array(fc.constantFrom("A", "B", "C"), { minLength: 1, maxLength: 30 }),
        fc.integer(),
        (interval, maxAttempts, backoffRate, maxDelaySeconds, jitterStrategy, errors, seed) => {
          const retriers = [
            retrier({
              errorEquals: ["A"],
              intervalSeconds: interval,
              maxAttempts,
              backoffRate,
              maxDelaySeconds,
              jitterStrategy,
            }),
            retrier({
              errorEquals: ["States.ALL"],
              intervalSeconds: interval,
              maxAttempts,
              backoffRate,
              maxDelaySeconds,
              jitterStrategy,
            }),
          ];
          let state = seed >>> 0;
          const random = (): number => {
            state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
            return state / 4294967296;
          };
          const counters: number[] = [];
          const granted = [0, 0];
          for (const error of errors) {
            const decision = decideRetry(retriers, error, counters, random);
            expect(decision.retrierIndex).toBe(error === "A" ? 0 : 1);
            if (!decision.retry) continue;
            granted[decision.retrierIndex]!++;
            const cap = Math.min(
              interval * backoffRate ** (decision.attempt - 1),
              maxDelaySeconds ?? Number.POSITIVE_INFINITY,
            );
            expect(decision.delayMs).toBeLessThanOrEqual(Math.round(cap * 1000));
            if (jitterStrategy === "NONE") expect(decision.delayMs).toBe(Math.round(cap * 1000));
          }
          for (const count of granted) expect(count).toBeLessThanOrEqual(maxAttempts);
        },
      ),
    );
  });
});
