import { describe, expect, it } from "vitest";
import {
  checkScenarioAgainst,
  findUnknownNames,
  type StackNames,
} from "../../src/scenario/checkScenarioAgainst.js";
import { parseScenario } from "../../src/scenario/parseScenario.js";
import { ScenarioError } from "../../src/scenario/ScenarioError.js";

const FILE = "scenarios/names.yaml";
const NAMES: StackNames = {
  queues: ["payments", "payments-dlq"],
  topics: ["order-events"],
  functions: ["payments-worker", "receipts"],
  tables: ["orders"],
  streams: ["clicks"],
  downstreams: ["payment", "slack"],
  stateMachines: ["fulfillment"],
  apis: ["orders"],
};

describe("checkScenarioAgainst", () => {
  it("accepts a scenario whose every name is in the stack", () => {
    const scenario = parseScenario(
      `name: ok
events:
  - { kind: sqs, queue: payments, body: x }
  - { kind: sns, topic: order-events, message: x }
  - { kind: invoke, function: receipts }
  - { kind: table, table: orders, put: { orderId: o-1 } }
  - { kind: kinesis, stream: clicks, partitionKey: k, data: d }
  - { kind: api, method: GET, path: /anything }
downstreams: { payment: {}, slack: {} }
functions: { payments-worker: { behaviour: succeed } }
expect:
  - { check: queue-depth, queue: payments-dlq, equals: 0 }
  - { check: outcome-counts, source: "sfn:fulfillment", processed: 1 }
  - { check: outcome-counts, source: "apigw:orders", processed: 1 }
  - { check: dead-letters-alerted }
`,
      FILE,
    );
    expect(findUnknownNames(scenario, NAMES)).toEqual([]);
    expect(() => checkScenarioAgainst(scenario, NAMES)).not.toThrow();
  });

  it.each([
    [
      "queue of an sqs event",
      "events:\n  - { kind: sqs, queue: paymnets, body: x }",
      3,
      25,
      'unknown queue "paymnets": the stack has no such queue; did you mean "payments"? known queues: payments, payments-dlq',
    ],
    [
      "topic of an sns event",
      "events:\n  - { kind: sns, topic: orders, message: x }",
      3,
      25,
      'unknown topic "orders"',
    ],
    [
      "function of an invoke",
      "events:\n  - { kind: invoke, function: receipt }",
      3,
      31,
      'did you mean "receipts"? known functions: payments-worker, receipts',
    ],
    [
      "table of a table write",
      "events:\n  - { kind: table, table: order, put: { a: 1 } }",
      3,
      27,
      'unknown table "order"',
    ],
    [
      "stream of a kinesis record",
      "events:\n  - { kind: kinesis, stream: click, partitionKey: k, data: d }",
      3,
      30,
      'unknown stream "click"',
    ],
    [
      "scripted downstream",
      "downstreams:\n  mail: {}",
      3,
      3,
      'unknown downstream "mail": no function of the stack calls it (a downstream is named by the first word of a function\'s URL or *_PARAMETER_NAME variable: PAYMENT_PROVIDER_URL → payment); known downstreams: payment, slack',
    ],
    [
      "scripted function",
      "functions:\n  order-events: { behaviour: succeed }",
      3,
      3,
      'unknown function "order-events"',
    ],
    [
      "queue of a depth expectation",
      "expect:\n  - { check: queue-depth, queue: dlq, equals: 0 }",
      3,
      34,
      'unknown queue "dlq"',
    ],
    [
      "downstream of a request count",
      "expect:\n  - { check: requests, downstream: slak, count: 1 }",
      3,
      36,
      'did you mean "slack"?',
    ],
    [
      "downstream of no-double-charge",
      "expect:\n  - { check: no-double-charge, downstream: stripe }",
      3,
      44,
      'unknown downstream "stripe"',
    ],
    [
      "source of outcome counts",
      "expect:\n  - { check: outcome-counts, source: 'lambda:reciepts', processed: 1 }",
      3,
      38,
      'unknown function "reciepts"; the stack has no such function; did you mean "receipts"?'.replace(
        "; the",
        ": the",
      ),
    ],
    [
      "source of time to dead letter",
      "expect:\n  - { check: time-to-dead-letter, atMostSeconds: 5, source: 'sqs:x' }",
      3,
      61,
      'unknown queue "x"',
    ],
    [
      "HTTP API of a source",
      "expect:\n  - { check: outcome-counts, source: 'apigw:order', processed: 1 }",
      3,
      38,
      'unknown HTTP API "order": the stack has no such HTTP API; did you mean "orders"?',
    ],
    [
      "state machine of a source",
      "expect:\n  - { check: outcome-counts, source: 'sfn:shipping', processed: 1 }",
      3,
      38,
      'unknown state machine "shipping"',
    ],
  ])("reports an unknown %s with its line and the known names", (_, yaml, line, column, message) => {
    const scenario = parseScenario(`name: bad\n${yaml}\n`, FILE);
    const issues = findUnknownNames(scenario, NAMES);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: FILE, line, column });
    expect(issues[0]?.message).toContain(message);
    expect(() => checkScenarioAgainst(scenario, NAMES)).toThrow(ScenarioError);
    expect(() => checkScenarioAgainst(scenario, NAMES)).toThrow(`${FILE}:${line}:${column}: `);
  });

  it("refuses an api:<route> source, which names nothing the run counts, and points to apigw:<api>", () => {
    expect(() =>
      parseScenario(
        "name: x\nexpect:\n  - { check: outcome-counts, source: 'api:POST /orders', processed: 1 }\n",
        FILE,
      ),
    ).toThrow(/scenarios\/names\.yaml:3:38: .*apigw:orders for every request to the HTTP API orders/);
  });

  it("says the stack defines none when a name list is empty", () => {
    const scenario = parseScenario(
      "name: x\nevents:\n  - { kind: kinesis, stream: s, partitionKey: k, data: d }\n",
      FILE,
    );
    expect(findUnknownNames(scenario, { ...NAMES, streams: [] })[0]?.message).toContain(
      "the stack defines no streams",
    );
  });

  it("does not check sfn sources when the stack's state machines are not given", () => {
    const scenario = parseScenario(
      "name: x\nexpect:\n  - { check: outcome-counts, source: 'sfn:any', processed: 1 }\n",
      FILE,
    );
    const { stateMachines: _, ...withoutMachines } = NAMES;
    expect(findUnknownNames(scenario, withoutMachines)).toEqual([]);
  });

  it.each([
    ["an unknown key", { ...NAMES, queue: [] }, 'unknown key "queue" in names; did you mean "queues"?'],
    [
      "a list that is not an array",
      { ...NAMES, topics: "order-events" },
      "names.topics must be an array of names",
    ],
    ["a missing list", { ...NAMES, tables: undefined }, "names.tables must be an array of names"],
  ])("rejects names with %s", (_, names, message) => {
    const scenario = parseScenario("name: x\n", FILE);
    expect(() => checkScenarioAgainst(scenario, names as unknown as StackNames)).toThrow(message);
  });
});
