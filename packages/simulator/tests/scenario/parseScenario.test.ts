import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/parseScenario.js";
import { ScenarioError } from "../../src/scenario/ScenarioError.js";

const FILE = "scenarios/x.yaml";

/** Parses and returns the ScenarioError thrown (fails the test when nothing is thrown). */
function problems(text: string): ScenarioError {
  try {
    parseScenario(text, FILE);
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error("expected a ScenarioError, but the scenario parsed");
}

const MINIMAL = "name: minimal\n";

describe("parseScenario accepts valid scenarios", () => {
  it("fills every default for a scenario that only has a name", () => {
    const scenario = parseScenario(MINIMAL, FILE);
    expect(scenario).toEqual({
      file: FILE,
      name: "minimal",
      description: "",
      stack: undefined,
      seed: 1,
      durationMs: undefined,
      maxVirtualMs: 86_400_000,
      events: [],
      downstreams: {},
      functions: {},
      expect: [],
    });
  });

  it("parses every event kind with times, repeats, JSON bodies and default ids", () => {
    const scenario = parseScenario(
      `name: all-kinds
seed: 42
durationSeconds: 7200
events:
  - kind: api
    at: 1.5
    method: POST
    path: /orders
    headers: { content-type: application/json, x-count: 3 }
    body: { items: [1, 2] }
  - kind: sqs
    id: msg
    at: 2m
    repeat: 3
    every: 500ms
    queue: payments
    body: { orderId: o-1 }
    groupId: g-1
    attributes: { type: OrderPaid }
  - kind: sns
    at: 1h
    topic: order-events
    message: plain text
    subject: hi
  - kind: invoke
    function: receipts
    payload: [1, "two"]
  - kind: table
    table: orders
    update: { key: { orderId: o-1 }, set: { status: PAID } }
  - kind: table
    table: orders
    delete: { key: { orderId: o-2 } }
  - kind: kinesis
    stream: clicks
    partitionKey: user-1
    data: { clicks: 1 }
`,
      FILE,
    );
    expect(scenario.seed).toBe(42);
    expect(scenario.durationMs).toBe(7_200_000);
    expect(scenario.maxVirtualMs).toBe(7_200_000);
    expect(
      scenario.events.map((event) => [event.kind, event.id, event.atMs, event.repeat, event.everyMs]),
    ).toEqual([
      ["api", "e1", 1500, 1, 0],
      ["sqs", "msg", 120_000, 3, 500],
      ["sns", "e3", 3_600_000, 1, 0],
      ["invoke", "e4", 0, 1, 0],
      ["table", "e5", 0, 1, 0],
      ["table", "e6", 0, 1, 0],
      ["kinesis", "e7", 0, 1, 0],
    ]);
    const [api, sqs, sns, invoke, update, remove, kinesis] = scenario.events;
    expect(api).toMatchObject({
      method: "POST",
      path: "/orders",
      headers: { "content-type": "application/json", "x-count": "3" },
      body: { items: [1, 2] },
    });
    expect(sqs).toMatchObject({
      queue: "payments",
      body: '{"orderId":"o-1"}',
      groupId: "g-1",
      attributes: { type: "OrderPaid" },
    });
    expect(sns).toMatchObject({ topic: "order-events", message: "plain text", subject: "hi" });
    expect(invoke).toMatchObject({ function: "receipts", payload: [1, "two"] });
    expect(update).toMatchObject({
      write: { type: "update", key: { orderId: "o-1" }, set: { status: "PAID" } },
    });
    expect(remove).toMatchObject({ write: { type: "delete", key: { orderId: "o-2" } } });
    expect(kinesis).toMatchObject({ stream: "clicks", partitionKey: "user-1", data: '{"clicks":1}' });
    expect(sqs?.location).toEqual({ file: FILE, line: 11, column: 5 });
    expect(sqs?.fieldLocations["queue"]).toEqual({ file: FILE, line: 16, column: 12 });
  });

  it("merges a downstream's defaults into each route, key by key", () => {
    const scenario = parseScenario(
      `name: d
downstreams:
  payment:
    latencyMs: [10, 20]
    errorRate: 0.1
    routes:
      "POST /charges":
        status: 201
        sequence: [503, 409]
        idempotent: true
        outages: [{ from: 1m, to: 2m }, { from: 1h, to: 2h, mode: hang }]
      "* /orders/{id}": { errorStatus: 502, errorBody: { error: boom } }
`,
      FILE,
    );
    const payment = scenario.downstreams["payment"]!;
    expect(payment.defaults).toMatchObject({
      status: 200,
      errorRate: 0.1,
      latency: { minMs: 10, maxMs: 20 },
      errorStatus: 500,
      errorBody: { message: "scripted error" },
      idempotent: false,
    });
    expect(payment.routes["POST /charges"]).toMatchObject({
      status: 201,
      sequence: [503, 409],
      errorRate: 0.1,
      latency: { minMs: 10, maxMs: 20 },
      outages: [
        { fromMs: 60_000, toMs: 120_000, mode: "unavailable" },
        { fromMs: 3_600_000, toMs: 7_200_000, mode: "hang" },
      ],
    });
    expect(payment.routes["POST /charges"]?.idempotent).toBe(true);
    expect(payment.routes["* /orders/{id}"]).toMatchObject({
      status: 200,
      errorStatus: 502,
      errorBody: { error: "boom" },
      idempotent: false,
    });
  });

  it.each([
    [
      "succeed",
      "behaviour: succeed\n    result: { ok: true }",
      { behaviour: "succeed", result: { ok: true } },
    ],
    [
      "fail",
      "behaviour: fail\n    errorType: PaymentDeclined",
      { behaviour: "fail", errorType: "PaymentDeclined" },
    ],
    [
      "fail-times",
      "behaviour: fail-times\n    times: 2",
      { behaviour: "fail-times", times: 2, errorType: "Error" },
    ],
    [
      "fail-times per function",
      "behaviour: fail-times\n    times: 2\n    per: function",
      { behaviour: "fail-times", times: 2, per: "function" },
    ],
    ["fail-rate", "behaviour: fail-rate\n    rate: 0.25", { behaviour: "fail-rate", rate: 0.25 }],
    [
      "fail-matching",
      "behaviour: fail-matching\n    match: poison",
      { behaviour: "fail-matching", match: { contains: "poison" } },
    ],
    [
      "fail-matching on a JSON path",
      "behaviour: fail-matching\n    match: { path: $.order.id, equals: o-2 }",
      { behaviour: "fail-matching", match: { path: "$.order.id", equals: "o-2" } },
    ],
    [
      "batch-item-failures",
      "behaviour: batch-item-failures\n    match: bad",
      { behaviour: "batch-item-failures", match: { contains: "bad" }, times: undefined },
    ],
    [
      "batch-item-failures on the first deliveries of records where a path is present",
      "behaviour: batch-item-failures\n    match: { path: $.retry, exists: true }\n    times: 2",
      { behaviour: "batch-item-failures", match: { path: "$.retry", exists: true }, times: 2 },
    ],
    [
      "sequence with cases chosen by the payload",
      "behaviour: sequence\n    cases:\n      - when: { path: $.vip, exists: true }\n        steps: [{ outcome: succeed }]\n    steps: [{ outcome: fail }]",
      {
        behaviour: "sequence",
        cases: [{ when: { path: "$.vip", exists: true }, steps: [{ outcome: "succeed" }] }],
        steps: [{ outcome: "fail" }],
      },
    ],
    [
      "throttle",
      "behaviour: throttle\n    durationMs: [5, 10]",
      { behaviour: "throttle", times: undefined, duration: { minMs: 5, maxMs: 10 } },
    ],
  ])("parses a scripted function with behaviour %s", (_, yaml, expected) => {
    const scenario = parseScenario(`name: f\nfunctions:\n  worker:\n    ${yaml}\n`, FILE);
    expect(scenario.functions["worker"]).toMatchObject(expected);
  });

  it.each([
    [
      "no-double-charge",
      "{ check: no-double-charge }",
      {
        downstream: "payment",
        route: "POST /charges",
        key: "orderId",
        name: "no orderId charged twice (payment POST /charges)",
      },
    ],
    [
      "dead-letters-alerted",
      "{ check: dead-letters-alerted, key: orderId }",
      { downstream: "slack", key: "orderId" },
    ],
    [
      "queue-depth",
      "{ check: queue-depth, queue: payments-dlq, atMost: 2 }",
      { queue: "payments-dlq", count: { atLeast: 0, atMost: 2 }, name: "payments-dlq depth ≤ 2 at the end" },
    ],
    [
      "time-to-dead-letter",
      "{ check: time-to-dead-letter, atMostSeconds: 90, source: sqs:payments }",
      { atMostMs: 90_000, source: "sqs:payments" },
    ],
    ["every-event-final", "{ check: every-event-final, name: nothing lost }", { name: "nothing lost" }],
    [
      "outcome-counts",
      "{ check: outcome-counts, source: lambda:receipts, processed: 3, expired: { atMost: 1 } }",
      { counts: { processed: { atLeast: 3, atMost: 3 }, expired: { atLeast: 0, atMost: 1 } } },
    ],
    [
      "event-outcome",
      "{ check: event-outcome, event: e1, disposition: parked, attempts: 1 }",
      { event: "e1", disposition: "parked", attempts: { atLeast: 1, atMost: 1 } },
    ],
    [
      "requests",
      "{ check: requests, downstream: slack, status: success, count: { atLeast: 2 } }",
      { downstream: "slack", status: "success", count: { atLeast: 2, atMost: Number.MAX_SAFE_INTEGER } },
    ],
  ])("parses the %s expectation", (check, yaml, expected) => {
    const scenario = parseScenario(
      `name: e\nevents:\n  - { kind: sqs, queue: q, body: x }\nexpect:\n  - ${yaml}\n`,
      FILE,
    );
    expect(scenario.expect[0]).toMatchObject({ check, ...expected });
  });
});

describe("parseScenario rejects bad files with the line, the column and the fix", () => {
  it.each([
    [
      "an unknown top-level key, suggesting the close one",
      "name: x\nsed: 3\n",
      2,
      1,
      'unknown key "sed" in scenario; did you mean "seed"?',
    ],
    [
      "an unknown key without a close match, listing the allowed ones",
      "name: x\nfoo: 3\n",
      2,
      1,
      "allowed keys: name, description, stack, seed",
    ],
    ["a missing name", "seed: 3\n", 1, 1, 'the scenario needs "name"; add e.g. `name: payment-outage`'],
    ["an empty file", "", 1, 1, "the scenario file is empty"],
    [
      "a file that is not a mapping",
      "- a\n- b\n",
      1,
      1,
      "scenario must be a mapping of keys to values, got a list",
    ],
    [
      "YAML syntax",
      "name: x\n  bad: [\n",
      1,
      7,
      "YAML syntax: Nested mappings are not allowed in compact mappings",
    ],
    ["a duplicate key", "name: x\nname: y\n", 2, 1, "YAML syntax: Map keys must be unique"],
    [
      "a negative seed",
      "name: x\nseed: -1\n",
      2,
      7,
      "seed is -1, which is impossible: it must be between 0 and 4294967295",
    ],
    ["a fractional seed", "name: x\nseed: 1.5\n", 2, 7, "seed must be a whole number, got 1.5"],
    [
      "a stack that is not Terraform JSON",
      "name: x\nstack: main.tf\n",
      2,
      8,
      'stack "main.tf" is invalid; give the path of a Terraform JSON file ending in .tf.json',
    ],
    ["a zero duration", "name: x\ndurationSeconds: 0\n", 2, 18, "durationSeconds is 0, which is impossible"],
    [
      "duration and cap together",
      "name: x\ndurationSeconds: 10\nmaxVirtualSeconds: 20\n",
      3,
      1,
      "give either durationSeconds",
    ],
    ["events that are not a list", "name: x\nevents: { kind: sqs }\n", 2, 9, "events must be a list"],
    [
      "an event without kind",
      "name: x\nevents:\n  - { queue: q }\n",
      3,
      5,
      'every event needs "kind"; add e.g. `kind: sqs`',
    ],
    [
      "an unknown event kind",
      "name: x\nevents:\n  - { kind: sqss }\n",
      3,
      13,
      'unknown kind "sqss"; did you mean "sqs"? use one of: api, sqs, sns, invoke, table, kinesis',
    ],
    [
      "a key of another event kind",
      "name: x\nevents:\n  - { kind: sqs, queue: q, body: b, topic: t }\n",
      3,
      37,
      'unknown key "topic" in sqs event',
    ],
    [
      "a negative time",
      "name: x\nevents:\n  - { kind: sqs, queue: q, body: b, at: -5s }\n",
      3,
      41,
      "negative times are impossible",
    ],
    [
      "a time that is not a duration",
      "name: x\nevents:\n  - { kind: sqs, queue: q, body: b, at: soon }\n",
      3,
      41,
      'events[0].at "soon" is not a duration; write a number of seconds (90)',
    ],
    [
      "a repeat without every",
      "name: x\nevents:\n  - { kind: sqs, queue: q, body: b, repeat: 3 }\n",
      3,
      37,
      "repeat: 3 needs every: <duration>",
    ],
    [
      "an every without repeat",
      "name: x\nevents:\n  - { kind: sqs, queue: q, body: b, every: 1s }\n",
      3,
      37,
      "every has no effect without repeat",
    ],
    [
      "a zero repeat",
      "name: x\nevents:\n  - { kind: sqs, queue: q, body: b, repeat: 0, every: 1s }\n",
      3,
      45,
      "repeat is 0, which is impossible: it must be between 1 and 1000000",
    ],
    [
      "too many injected events",
      "name: x\nevents:\n  - { kind: sqs, queue: q, body: b, repeat: 1000000, every: 0 }\n  - { kind: sqs, queue: q, body: b }\n",
      3,
      3,
      "the events inject 1000001 events in total; the limit is 1000000",
    ],
    [
      "an event after the end of the run",
      "name: x\ndurationSeconds: 60\nevents:\n  - { kind: sqs, queue: q, body: b, at: 2m }\n",
      4,
      5,
      'event "e1" is injected until 120 s, after the run ends at 60 s',
    ],
    [
      "a duplicate event id",
      "name: x\nevents:\n  - { id: a, kind: sqs, queue: q, body: b }\n  - { id: a, kind: sqs, queue: q, body: b }\n",
      4,
      11,
      'event id "a" is already used at line 3',
    ],
    [
      "an invalid event id",
      "name: x\nevents:\n  - { id: 'a b', kind: sqs, queue: q, body: b }\n",
      3,
      11,
      'events[0].id "a b" is invalid',
    ],
    [
      "an unknown placeholder",
      "name: x\nevents:\n  - { kind: sqs, queue: q, body: 'order-{{num}}' }\n",
      3,
      34,
      "unknown placeholder {{num}} in events[0].body; use {{n}}",
    ],
    [
      "an sqs event without queue",
      "name: x\nevents:\n  - { kind: sqs, body: b }\n",
      3,
      5,
      'a sqs event needs "queue"',
    ],
    [
      "an sqs event with an empty body",
      "name: x\nevents:\n  - { kind: sqs, queue: q, body: }\n",
      3,
      34,
      "events[0].body is empty",
    ],
    [
      "an unknown HTTP method",
      "name: x\nevents:\n  - { kind: api, method: PSOT, path: /orders }\n",
      3,
      26,
      'unknown method "PSOT"; did you mean "POST"?',
    ],
    [
      "a path without a leading slash",
      "name: x\nevents:\n  - { kind: api, method: GET, path: orders }\n",
      3,
      37,
      'events[0].path "orders" is invalid; a path starts with "/"',
    ],
    [
      "a header that is not text",
      "name: x\nevents:\n  - { kind: api, method: GET, path: /, headers: { a: [1] } }\n",
      3,
      54,
      "events[0].headers.a must be text, got a list",
    ],
    [
      "a table event with two writes",
      "name: x\nevents:\n  - { kind: table, table: t, put: { a: 1 }, delete: { key: { a: 1 } } }\n",
      3,
      45,
      "a table event takes exactly one of put, update or delete; it has put and delete",
    ],
    [
      "a table event with no write",
      "name: x\nevents:\n  - { kind: table, table: t }\n",
      3,
      5,
      "a table event needs exactly one of put",
    ],
    [
      "an update without set",
      "name: x\nevents:\n  - { kind: table, table: t, update: { key: { a: 1 } } }\n",
      3,
      38,
      'a table update needs "set"',
    ],
    [
      "a put with an empty item",
      "name: x\nevents:\n  - { kind: table, table: t, put: {} }\n",
      3,
      35,
      "the item to put is empty",
    ],
    [
      "a partition key over 256 characters",
      `name: x\nevents:\n  - { kind: kinesis, stream: s, data: d, partitionKey: ${"k".repeat(257)} }\n`,
      3,
      56,
      "Kinesis partition keys are 1 to 256 characters",
    ],
    [
      "an error rate above 1",
      "name: x\ndownstreams:\n  payment: { errorRate: 1.5 }\n",
      3,
      25,
      "downstreams.payment.errorRate is 1.5, which is impossible: it must be between 0 and 1",
    ],
    [
      "an unknown downstream key",
      "name: x\ndownstreams:\n  payment: { latency: 5 }\n",
      3,
      14,
      'unknown key "latency" in downstream "payment"; did you mean "latencyMs"?',
    ],
    [
      "a status outside HTTP",
      "name: x\ndownstreams:\n  payment: { status: 99 }\n",
      3,
      22,
      "it must be between 100 and 599",
    ],
    [
      "a latency range that ends before it starts",
      "name: x\ndownstreams:\n  payment: { latencyMs: [300, 100] }\n",
      3,
      25,
      "range [300, 100] ends before it starts; write [100, 300]",
    ],
    [
      "a negative latency",
      "name: x\ndownstreams:\n  payment: { latencyMs: -1 }\n",
      3,
      25,
      "latencyMs is -1, which is impossible",
    ],
    [
      "an outage window that ends before it starts",
      "name: x\ndownstreams:\n  mail:\n    outages:\n      - { from: 10m, to: 5m }\n",
      5,
      26,
      'outage window ends (300 s) before it starts (600 s); "to" must be after "from"',
    ],
    [
      "an outage window without an end",
      "name: x\ndownstreams:\n  mail:\n    outages:\n      - { from: 10m }\n",
      5,
      9,
      'an outage window needs "to"',
    ],
    [
      "a status on an outage window (outages answer 503 or hang)",
      "name: x\ndownstreams:\n  mail:\n    outages:\n      - { from: 0s, to: 1m, status: 500 }\n",
      5,
      29,
      'unknown key "status" in an outage window; allowed keys: from, to, mode',
    ],
    [
      "an unknown outage mode",
      "name: x\ndownstreams:\n  mail:\n    outages:\n      - { from: 0s, to: 1m, mode: hung }\n",
      5,
      35,
      'unknown mode "hung"; did you mean "hang"? use one of: unavailable, hang',
    ],
    [
      "a malformed route",
      "name: x\ndownstreams:\n  payment:\n    routes:\n      charges: { status: 201 }\n",
      5,
      7,
      'route "charges" is invalid; write "<METHOD> <path>"',
    ],
    [
      "an empty status sequence",
      "name: x\ndownstreams:\n  payment: { sequence: [] }\n",
      3,
      24,
      "is empty; list at least one status",
    ],
    [
      "a route with a prefix wildcard",
      "name: x\ndownstreams:\n  slack:\n    routes:\n      'POST /hooks/*': {}\n",
      5,
      7,
      "a segment {name} matches any one segment",
    ],
    [
      "idempotent that is not true or false",
      "name: x\ndownstreams:\n  payment: { idempotent: yes }\n",
      3,
      26,
      'downstreams.payment.idempotent must be true or false, got text "yes"',
    ],
    [
      "a scripted function without behaviour",
      "name: x\nfunctions:\n  worker: { times: 2 }\n",
      3,
      11,
      'scripted function "worker" needs "behaviour"',
    ],
    [
      "an unknown behaviour",
      "name: x\nfunctions:\n  worker: { behaviour: fial }\n",
      3,
      24,
      'unknown behaviour "fial"; did you mean "fail"?',
    ],
    [
      "a key that belongs to another behaviour",
      "name: x\nfunctions:\n  worker: { behaviour: fail, rate: 0.5 }\n",
      3,
      30,
      '"rate" has no meaning with behaviour fail; remove it, or use a behaviour that takes it (e.g. fail-rate)',
    ],
    [
      "per without times on a throttle",
      "name: x\nfunctions:\n  worker: { behaviour: throttle, per: event }\n",
      3,
      34,
      "per counts `times`; add `times: <n>` or remove per",
    ],
    [
      "an unknown per",
      "name: x\nfunctions:\n  worker: { behaviour: fail-times, times: 1, per: message }\n",
      3,
      51,
      'unknown per "message"; use one of: event, function',
    ],
    [
      "fail-times without times",
      "name: x\nfunctions:\n  worker: { behaviour: fail-times }\n",
      3,
      11,
      'behaviour fail-times needs "times"',
    ],
    [
      "a fail rate above 1",
      "name: x\nfunctions:\n  worker: { behaviour: fail-rate, rate: 2 }\n",
      3,
      41,
      "functions.worker.rate is 2, which is impossible: it must be between 0 and 1",
    ],
    [
      "an invalid function name",
      "name: x\nfunctions:\n  'my worker': { behaviour: succeed }\n",
      3,
      3,
      'function name "my worker" is invalid',
    ],
    [
      "an expectation without check",
      "name: x\nexpect:\n  - { queue: q }\n",
      3,
      5,
      'every expectation needs "check"',
    ],
    [
      "an unknown check",
      "name: x\nexpect:\n  - { check: no-double-charges }\n",
      3,
      14,
      'unknown check "no-double-charges"; did you mean "no-double-charge"?',
    ],
    [
      "a key of another check",
      "name: x\nexpect:\n  - { check: every-event-final, queue: q }\n",
      3,
      33,
      'unknown key "queue" in expectation every-event-final',
    ],
    [
      "a queue depth without a bound",
      "name: x\nexpect:\n  - { check: queue-depth, queue: q }\n",
      3,
      5,
      "a queue-depth expectation needs equals, atMost or atLeast",
    ],
    [
      "equals with a bound",
      "name: x\nexpect:\n  - { check: queue-depth, queue: q, equals: 1, atMost: 2 }\n",
      3,
      37,
      "equals cannot be combined with atLeast/atMost",
    ],
    [
      "bounds that cannot both hold",
      "name: x\nexpect:\n  - { check: queue-depth, queue: q, atLeast: 5, atMost: 2 }\n",
      3,
      5,
      "asks for at least 5 and at most 2, which is impossible",
    ],
    [
      "a negative count",
      "name: x\nexpect:\n  - { check: requests, downstream: slack, count: -1 }\n",
      3,
      50,
      "count is -1, which is impossible: it must be at least 0",
    ],
    [
      "a malformed source label",
      "name: x\nexpect:\n  - { check: outcome-counts, source: payments, processed: 1 }\n",
      3,
      38,
      'source "payments" is invalid; write <kind>:<name>',
    ],
    [
      "outcome counts without a disposition",
      "name: x\nexpect:\n  - { check: outcome-counts, source: sqs:payments }\n",
      3,
      5,
      "needs at least one of processed",
    ],
    [
      "an unknown disposition",
      "name: x\nevents:\n  - { kind: sqs, queue: q, body: b }\nexpect:\n  - { check: event-outcome, event: e1, disposition: deadlettered }\n",
      5,
      53,
      'unknown disposition "deadlettered"; did you mean "dead-lettered"?',
    ],
    [
      "an expectation on an event that does not exist",
      "name: x\nexpect:\n  - { check: event-outcome, event: nope, disposition: parked }\n",
      3,
      36,
      'no event has id "nope"',
    ],
    [
      "a negative time to dead letter",
      "name: x\nexpect:\n  - { check: time-to-dead-letter, atMostSeconds: -1 }\n",
      3,
      50,
      "atMostSeconds is -1, which is impossible",
    ],
  ])("%s", (_, yaml, line, column, message) => {
    const error = problems(yaml);
    const issue = error.issues.find((candidate) => candidate.message.includes(message));
    expect(issue, `issues were:\n${error.message}`).toBeDefined();
    expect({ line: issue?.line, column: issue?.column }).toEqual({ line, column });
    expect(error.message).toContain(`${FILE}:${line}:${column}: `);
  });

  it("reports every problem of a file at once, in line order", () => {
    const error = problems(
      "sed: 1\nname: x\nevents:\n  - { kind: sqs, queue: q, body: b, at: -1 }\ndownstreams:\n  slack: { errorRate: 7 }\n",
    );
    expect(error.issues.map((issue) => issue.line)).toEqual([1, 4, 6]);
    expect(error.message.split("\n")[0]).toBe(`3 problems in scenario ${FILE}:`);
  });

  it("rejects a file name that is empty, naming the parameter", () => {
    expect(() => parseScenario(MINIMAL, "")).toThrow(/fileName must be a non-empty string/);
  });
});
