import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/report/RunResult.js";
import {
  evaluateExpectations,
  type ObservedRequest,
  type RunObservations,
  routeMatches,
} from "../../src/scenario/evaluateExpectations.js";
import { parseScenario } from "../../src/scenario/parseScenario.js";

const START = Date.UTC(2026, 0, 1);

function event(id: string, overrides: Partial<RunEvent> = {}): RunEvent {
  return {
    id,
    source: "sqs:payments",
    injectedAtMs: START,
    attempts: [{ atMs: START + 1000, result: "success", batchSize: 1, requestId: `r-${id}` }],
    disposition: "processed",
    settledAtMs: START + 1000,
    ...overrides,
  };
}

function request(
  downstream: string,
  status: number,
  body: unknown,
  overrides: Partial<ObservedRequest> = {},
): ObservedRequest {
  return {
    downstream,
    method: "POST",
    path: downstream === "payment" ? "/charges" : "/hook",
    status,
    atMs: START + 5000,
    body,
    ...overrides,
  };
}

function run(observations: Partial<RunObservations>): RunObservations {
  return { events: [], requests: [], queueDepths: {}, virtualStartMs: START, ...observations };
}

/** Evaluates one expectation written in YAML (the events give the scenario's event ids). */
function check(expectationYaml: string, observations: RunObservations) {
  const scenario = parseScenario(
    `name: t\nevents:\n  - { id: poison, kind: sqs, queue: payments, body: x }\n  - { id: order, kind: sqs, queue: payments, body: x, repeat: 2, every: 1s }\nexpect:\n  - ${expectationYaml}\n`,
    "t.yaml",
  );
  const [result] = evaluateExpectations(scenario, observations);
  return result!;
}

describe("evaluateExpectations", () => {
  describe("no-double-charge", () => {
    it("holds when each order is charged once, idempotent replays and failures aside", () => {
      const result = check(
        "{ check: no-double-charge }",
        run({
          requests: [
            request("payment", 201, { orderId: "o-1" }),
            request("payment", 201, { orderId: "o-1" }, { replayed: true }),
            request("payment", 503, { orderId: "o-2" }),
            request("payment", 201, JSON.stringify({ orderId: "o-2" })),
            request("payment", 201, { orderId: "o-3" }, { path: "/refunds" }),
          ],
        }),
      );
      expect(result).toEqual({
        name: "no orderId charged twice (payment POST /charges)",
        ok: true,
        detail: "2 successful charge(s) for 2 orderId(s), 1 idempotent replay(s) not counted",
      });
    });

    it("fails naming the order charged twice and when", () => {
      const result = check(
        "{ check: no-double-charge }",
        run({
          requests: [
            request("payment", 201, { orderId: "o-1" }),
            request("payment", 200, { orderId: "o-1" }, { atMs: START + 65_000 }),
          ],
        }),
      );
      expect(result.ok).toBe(false);
      expect(result.detail).toBe("1 orderId(s) charged more than once: o-1 ×2 (+5s, +1m 05s)");
    });
  });

  describe("dead-letters-alerted", () => {
    const parked = event("poison", {
      disposition: "parked",
      where: "payments-dlq",
      key: "msg-123",
      record: { body: '{"orderId":"ord_9"}' },
    });

    it.each([
      ["its scenario id", "alert for poison"],
      ["its message id", "message msg-123 parked"],
      ["the key found in its record's JSON body", "order ord_9 failed"],
    ])("holds when the alert names the event by %s", (_, text) => {
      const result = check(
        "{ check: dead-letters-alerted, key: orderId }",
        run({ events: [parked, event("order#1")], requests: [request("slack", 200, { text })] }),
      );
      expect(result).toMatchObject({
        ok: true,
        detail: "1 failed event(s), all named in 1 slack message(s)",
      });
    });

    it("finds the key in a DynamoDB stream image", () => {
      const streamed = event("poison", {
        disposition: "sent-to-destination",
        payload: { dynamodb: { NewImage: { orderId: { S: "ord_stream" } } } },
      });
      const result = check(
        "{ check: dead-letters-alerted, key: orderId }",
        run({ events: [streamed], requests: [request("slack", 200, "order ord_stream gave up")] }),
      );
      expect(result.ok).toBe(true);
    });

    it("fails when the only alert was refused by Slack", () => {
      const result = check(
        "{ check: dead-letters-alerted }",
        run({ events: [parked], requests: [request("slack", 500, { text: "poison" })] }),
      );
      expect(result).toMatchObject({
        ok: false,
        detail: "1 of 1 failed event(s) not named in any slack message: poison (parked to payments-dlq)",
      });
    });
  });

  it.each([
    [
      "{ check: queue-depth, queue: payments-dlq, equals: 0 }",
      { "payments-dlq": 0 },
      true,
      "payments-dlq held 0 message(s) at the end (expected = 0)",
    ],
    [
      "{ check: queue-depth, queue: payments-dlq, atMost: 1 }",
      { "payments-dlq": 2 },
      false,
      "payments-dlq held 2 message(s) at the end (expected ≤ 1)",
    ],
    [
      "{ check: queue-depth, queue: payments-dlq, equals: 0 }",
      { other: 0 },
      false,
      "the run did not report queue payments-dlq; known: other",
    ],
  ])("queue-depth %s with depths %j", (yaml, queueDepths, ok, detail) => {
    expect(check(yaml, run({ queueDepths }))).toMatchObject({ ok, detail });
  });

  it("time-to-dead-letter measures from injection to disposition, per source", () => {
    const events = [
      event("poison", { disposition: "dead-lettered", settledAtMs: START + 3000 }),
      event("slow", {
        disposition: "dead-lettered",
        injectedAtMs: START + 1000,
        settledAtMs: START + 400_000,
      }),
      event("other", {
        source: "lambda:receipts",
        disposition: "sent-to-destination",
        settledAtMs: START + 900_000,
      }),
    ];
    expect(
      check("{ check: time-to-dead-letter, atMostSeconds: 10, source: 'sqs:payments' }", run({ events })),
    ).toMatchObject({
      ok: false,
      detail: "1 of 2 event(s) took longer than 10s: slow 6m 39s",
    });
    expect(check("{ check: time-to-dead-letter, atMostSeconds: 900 }", run({ events }))).toMatchObject({
      ok: true,
      detail: "3 event(s); the slowest (other) took 15m 00s",
    });
    expect(
      check("{ check: time-to-dead-letter, atMostSeconds: 1 }", run({ events: [event("a")] })),
    ).toMatchObject({ ok: true });
  });

  it("every-event-final lists the unfinished events", () => {
    const events = [event("a"), event("b", { disposition: null, source: "lambda:receipts" })];
    expect(check("{ check: every-event-final }", run({ events }))).toMatchObject({
      ok: false,
      detail: "1 of 2 event(s) unfinished: b (lambda:receipts)",
    });
    expect(check("{ check: every-event-final }", run({ events: [event("a")] }))).toMatchObject({ ok: true });
  });

  it("outcome-counts compares each listed disposition of the source", () => {
    const events = [
      event("a"),
      event("b"),
      event("c", { disposition: "dead-lettered" }),
      event("d", { source: "sqs:other" }),
    ];
    expect(
      check(
        "{ check: outcome-counts, source: 'sqs:payments', processed: 2, dead-lettered: { atMost: 1 } }",
        run({ events }),
      ),
    ).toEqual({
      name: "sqs:payments: processed = 2, dead-lettered ≤ 1",
      ok: true,
      detail: "3 event(s) from sqs:payments: processed 2, dead-lettered 1",
    });
    expect(
      check("{ check: outcome-counts, source: 'sqs:payments', processed: 3 }", run({ events })),
    ).toMatchObject({
      ok: false,
      detail: "3 event(s) from sqs:payments: processed 2, expected = 3",
    });
  });

  it("event-outcome checks every copy of a repeated event", () => {
    const events = [
      event("order#1"),
      event("order#2", { attempts: [], disposition: "expired" }),
      event("orders-other"),
    ];
    expect(
      check("{ check: event-outcome, event: order, disposition: processed, attempts: 1 }", run({ events })),
    ).toMatchObject({
      ok: false,
      detail: "1 of 2: order#2 expired after 0 attempt(s)",
    });
    expect(
      check("{ check: event-outcome, event: poison, disposition: parked }", run({ events })),
    ).toMatchObject({
      ok: false,
      detail: "the run reported no outcome for event poison",
    });
    const parked = event("poison", { disposition: "parked", where: "payments-dlq" });
    expect(
      check(
        "{ check: event-outcome, event: poison, disposition: parked, attempts: 1 }",
        run({ events: [parked] }),
      ),
    ).toMatchObject({
      ok: true,
      detail: "poison parked after 1 attempt(s) in payments-dlq",
    });
  });

  it("requests counts by downstream, route and status class", () => {
    const requests = [
      request("payment", 503, {}),
      request("payment", 503, {}),
      request("payment", 201, {}),
      request("slack", 200, "ok"),
    ];
    expect(
      check(
        "{ check: requests, downstream: payment, route: POST /charges, status: error, count: 2 }",
        run({ requests }),
      ),
    ).toMatchObject({
      ok: true,
      detail: "2 request(s) (2×503), expected = 2",
    });
    expect(
      check("{ check: requests, downstream: payment, count: { atLeast: 4 } }", run({ requests })),
    ).toMatchObject({
      ok: false,
      detail: "3 request(s) (1×201, 2×503), expected ≥ 4",
    });
    expect(check("{ check: requests, downstream: mail, count: 0 }", run({ requests }))).toMatchObject({
      ok: true,
      detail: "0 request(s), expected = 0",
    });
  });

  it("rejects observations without a request log", () => {
    const scenario = parseScenario("name: x\n", "x.yaml");
    expect(() => evaluateExpectations(scenario, { ...run({}), requests: undefined as never })).toThrow(
      "observations.requests must be an array",
    );
  });
});

describe("routeMatches", () => {
  it.each([
    ["POST /charges", "POST", "/charges", true],
    ["POST /charges", "post", "/charges?retry=1", true],
    ["POST /charges", "GET", "/charges", false],
    ["POST /charges", "POST", "/charges/1", false],
    ["* /hooks/{team}/{channel}", "PUT", "/hooks/T1/B2", true],
    ["* /hooks/{team}/{channel}", "PUT", "/hooks/T1", false],
    ["GET /orders/{id}", "GET", "/orders/o-1", true],
    ["GET /", "GET", "/", true],
  ])("%s matches %s %s: %s", (route, method, path, expected) => {
    expect(routeMatches(route, method, path)).toBe(expected);
  });
});
