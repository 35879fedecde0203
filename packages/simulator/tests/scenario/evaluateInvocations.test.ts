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
const check = (
  fields: Partial<Parameters<typeof evaluateInvocations>[0]>,
  events: readonly RunEvent[] = EVENTS,
  payloads?: ReadonlyMap<string, unknown>,
) =>
  evaluateInvocations(
    {
      function: "worker",
      count: undefined,
      maxConcurrent: undefined,
      eachEventOnce: undefined,
      order: undefined,
      nth: undefined,
      ...fields,
    },
    events,
    payloads,
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
    ).toThrow(/checks nothing; add count, maxConcurrent, eachEventOnce: true, order or invocation/);
  });

  it("checks the order of first deliveries, within a batch in the batch's order", () => {
    // b and c share the batch r2; its event lists c before b.
    const payloads = new Map([["r2", { Records: [{ messageId: "key-c" }, { messageId: "key-b" }] }]]);
    const keyed = EVENTS.map((each) => ({ ...each, key: `key-${each.id}` }));
    const order = (ids: string[]) => check({ order: ids }, keyed, payloads);
    expect(order(["a", "c", "b"])).toMatchObject({ ok: true });
    expect(order(["a", "b"])).toMatchObject({ ok: true }); // others may come between
    expect(order(["b", "c"])).toMatchObject({
      ok: false,
      detail: "first deliveries came as [c, b], expected [b, c]",
    });
    expect(order(["a", "d"])).toMatchObject({ ok: false });
  });

  it("checks the n-th invocation's outcome, records and payload, side by side when they differ", () => {
    const payloads = new Map<string, unknown>([
      ["r1", { Records: [{ messageId: "key-a", body: "first" }] }],
      [
        "r2",
        {
          Records: [
            { messageId: "key-b", body: "b" },
            { messageId: "key-c", body: "c" },
          ],
        },
      ],
    ]);
    const keyed = EVENTS.map((each) => ({ ...each, key: `key-${each.id}` }));
    const nth = (fields: object) =>
      check(
        { nth: { n: 1, payload: undefined, outcome: undefined, records: undefined, ...fields } },
        keyed,
        payloads,
      );
    expect(
      nth({ outcome: "function-error", records: ["a"], payload: { Records: [{ body: "first" }] } }),
    ).toMatchObject({ ok: true });
    expect(nth({ n: 2, records: ["b", "c"], outcome: "success" })).toMatchObject({ ok: true });
    expect(nth({ outcome: "success" })).toEqual({
      ok: false,
      detail: "invocation 1 ended function-error, expected success",
    });
    expect(nth({ n: 2, records: ["c", "b"] })).toEqual({
      ok: false,
      detail: "invocation 2 carried [b, c], expected [c, b]",
    });
    const payload = nth({ payload: { Records: [{ body: "second" }] } });
    expect(payload.ok).toBe(false);
    expect(payload.detail).toContain('$.Records[0].body: "first", expected "second"');
    expect(payload.detail).toMatch(
      /\n {4}expected \{"Records":\[\{"body":"second"\}\]\}\n {4}actual {3}\{"Records"/,
    );
    expect(nth({ n: 9, outcome: "success" })).toEqual({
      ok: false,
      detail: "invocation 9 never happened (3 invocation(s))",
    });
  });

  it("parses invocation checks, and refuses payload checks without an invocation and unknown event ids", () => {
    const scenario = parseScenario(
      `name: x
events:
  - { id: jobs, kind: sqs-batch, queue: q, entries: [{ body: a }, { body: b }] }
expect:
  - { check: invocations, function: worker, invocation: 2, outcome: item-failure, records: ["jobs[2]"], payload: { Records: [] } }
  - { check: invocations, function: worker, order: ["jobs[1]", "jobs[2]"] }
`,
      "x.yaml",
    );
    expect(scenario.expect[0]).toMatchObject({
      check: "invocations",
      nth: { n: 2, outcome: "item-failure", records: ["jobs[2]"], payload: { Records: [] } },
      name: "worker: invocation 2 item-failure carries jobs[2] payload matches the shape",
    });
    expect(scenario.expect[1]).toMatchObject({ order: ["jobs[1]", "jobs[2]"] });
    expect(() =>
      parseScenario(
        "name: x\nexpect:\n  - { check: invocations, function: worker, outcome: success }\n",
        "x.yaml",
      ),
    ).toThrow(/outcome check one invocation; add `invocation: <n>`/);
    expect(() =>
      parseScenario(
        "name: x\nexpect:\n  - { check: invocations, function: worker, order: [nope] }\n",
        "x.yaml",
      ),
    ).toThrow(/x.yaml:3:\d+: no event has id "nope"/);
    expect(() =>
      parseScenario(
        "name: x\nexpect:\n  - { check: invocations, function: worker, invocation: 1, outcome: ok }\n",
        "x.yaml",
      ),
    ).toThrow(/unknown outcome "ok"/);
  });
});
