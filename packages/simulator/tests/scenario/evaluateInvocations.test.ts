import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/report/RunResult.js";
import { evaluateInvocations } from "../../src/scenario/invocationsExpectation.js";
import { parseScenario } from "../../src/scenario/parseScenario.js";

const at = (
  startS: number,
  endS: number,
  requestId: string,
  result: "success" | "function-error" | "throttled" = "success",
) => ({
  atMs: startS * 1000,
  endMs: endS * 1000,
  result,
  batchSize: 1,
  requestId,
  functionName: "worker",
});
const event = (id: string, attempts: RunEvent["attempts"]): RunEvent => ({
  id,
  source: "sqs:jobs",
  injectedAtMs: 0,
  attempts,
  disposition: "processed",
});
// a: two deliveries (r1 fails, r3 succeeds); b and c share the batch r2; a throttle that never ran.
const EVENTS = [
  event("a", [at(0, 10, "r1", "function-error"), at(40, 45, "r3")]),
  event("b", [at(5, 20, "r2")]),
  event("c", [at(5, 20, "r2"), at(50, 50, "r4", "throttled")]),
];
const check = (fields: Partial<Parameters<typeof evaluateInvocations>[0]>) =>
  evaluateInvocations(
    { function: "worker", count: undefined, maxConcurrent: undefined, eachEventOnce: undefined, ...fields },
    EVENTS,
  );

describe("invocations expectations", () => {
  it("counts one invocation per request id, a batch once, no throttles", () => {
    expect(check({ count: { atLeast: 3, atMost: 3 } })).toEqual({ ok: true, detail: "3 invocation(s)" });
    expect(check({ count: { atLeast: 4, atMost: 4 } })).toEqual({
      ok: false,
      detail: "3 invocation(s), expected = 4",
    });
  });

  it("measures the most invocations running at one instant", () => {
    expect(check({ maxConcurrent: { atLeast: 0, atMost: 2 } })).toMatchObject({
      ok: true,
      detail: "3 invocation(s), at most 2 at once",
    });
    expect(check({ maxConcurrent: { atLeast: 0, atMost: 1 } })).toMatchObject({
      ok: false,
      detail: "2 running at once, expected ≤ 1",
    });
  });

  it("names the events delivered more than once", () => {
    expect(check({ eachEventOnce: true })).toEqual({
      ok: false,
      detail: "1 event(s) delivered more than once: a ×2",
    });
  });

  it("refuses an invocations expectation that checks nothing", () => {
    expect(() =>
      parseScenario("name: x\nexpect:\n  - { check: invocations, function: worker }\n", "x.yaml"),
    ).toThrow(/checks nothing; add count, maxConcurrent or eachEventOnce/);
  });
});
