import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/report/RunResult.js";
import { findUnknownNames } from "../../src/scenario/checkScenarioAgainst.js";
import { containsShape } from "../../src/scenario/containsShape.js";
import { evaluateRecord } from "../../src/scenario/evaluateRecord.js";
import { parseScenario } from "../../src/scenario/parseScenario.js";

const START = Date.UTC(2026, 0, 1);
const failure = (id: string, key: string, count: number): RunEvent => ({
  id,
  key,
  source: "lambda:receipts",
  injectedAtMs: START,
  attempts: [],
  disposition: "sent-to-destination",
  where: "receipts-failures",
  record: {
    version: "1.0",
    timestamp: "2026-01-01T00:03:10.210Z",
    requestContext: { requestId: key, condition: "RetriesExhausted", approximateInvokeCount: count },
    requestPayload: { orderId: id },
    responsePayload: { errorType: "MailDown", errorMessage: "down", trace: [] },
  },
});
const EVENTS = [
  failure("mail-1", "11111111-2222-4333-8444-555555555555", 3),
  failure("mail-2", "21111111-2222-4333-8444-555555555555", 2),
];

describe("record expectations: what AWS wrote to a DLQ, destination, bus or bucket", () => {
  it("counts the records that match a shape with matchers and references", () => {
    const result = evaluateRecord(
      {
        target: "receipts-failures",
        event: "mail-1",
        matches: {
          timestamp: "$isoTime",
          requestContext: { requestId: "${event:mail-1.key}", approximateInvokeCount: 3 },
          responsePayload: { errorType: "$string", stackTrace: "$absent" },
        },
        count: { atLeast: 1, atMost: 1 },
      },
      EVENTS,
    );
    expect(result).toEqual({ ok: true, detail: "1 of 1 record(s) at receipts-failures match, expected = 1" });
  });

  it("shows the expected shape, the closest record and the first difference when none matches", () => {
    const result = evaluateRecord(
      {
        target: "receipts-failures",
        event: undefined,
        matches: { requestContext: { approximateInvokeCount: 4 } },
        count: undefined,
      },
      EVENTS,
    );
    expect(result.ok).toBe(false);
    expect(result.detail).toContain("0 of 2 record(s) at receipts-failures match, expected ≥ 1");
    expect(result.detail).toContain('expected {"requestContext":{"approximateInvokeCount":4}}');
    expect(result.detail).toMatch(/actual {2,3}\{"version":"1.0"/);
    expect(result.detail).toContain(
      "first difference $.requestContext.approximateInvokeCount: 3, expected 4",
    );
  });

  it("holds with count 0 when no record must exist, and fails when one does", () => {
    expect(
      evaluateRecord(
        { target: "payments-dlq", event: undefined, matches: undefined, count: { atLeast: 0, atMost: 0 } },
        EVENTS,
      ).ok,
    ).toBe(true);
    expect(
      evaluateRecord(
        {
          target: "receipts-failures",
          event: undefined,
          matches: undefined,
          count: { atLeast: 0, atMost: 0 },
        },
        EVENTS,
      ).ok,
    ).toBe(false);
  });

  it("replaces stack references, whole or inside a text, and fails on one that names nothing", () => {
    const withArn = {
      ...EVENTS[0]!,
      record: { requestContext: { functionArn: "arn:aws:lambda:eu-west-1:1:function:receipts:$LATEST" } },
    };
    const lookup = (kind: string, name: string, attribute: string) =>
      kind === "function" && name === "receipts" && attribute === "arn"
        ? "arn:aws:lambda:eu-west-1:1:function:receipts"
        : undefined;
    const check = (functionArn: string) =>
      evaluateRecord(
        {
          target: "receipts-failures",
          event: undefined,
          matches: { requestContext: { functionArn } },
          count: undefined,
        },
        [withArn],
        lookup,
      );
    expect(check("${function:receipts.arn}:$LATEST").ok).toBe(true);
    expect(check("${function:receipts.arn}").ok).toBe(false);
    expect(check("${function:reciepts.arn}:$LATEST")).toEqual({
      ok: false,
      detail:
        "${function:reciepts.arn} names nothing in the stack; write ${function:<name>.arn}, ${queue:<name>.arn|url} or ${topic:<name>.arn} with a name of the stack",
    });
  });

  it("parses none: true as count 0, and refuses it beside count", () => {
    const parsed = parseScenario(
      "name: x\nexpect:\n  - { check: record, target: dlq, none: true }\n",
      "x.yaml",
    );
    expect(parsed.expect[0]).toMatchObject({ count: { atLeast: 0, atMost: 0 } });
    expect(() =>
      parseScenario("name: x\nexpect:\n  - { check: record, target: dlq, none: true, count: 1 }\n", "x.yaml"),
    ).toThrow(/none: true is count: 0; keep one of them/);
  });

  it("matches JSON text inside a record with $json", () => {
    expect(
      containsShape(
        { body: '{"orderId":"o-1","n":2}' },
        { body: { $json: { orderId: "o-1", n: "$number" } } },
      ),
    ).toBeUndefined();
    expect(containsShape({ body: "not json" }, { body: { $json: {} } })).toBe(
      '$.body: "not json" is not JSON',
    );
  });

  it("refuses a target that names nothing in the stack, with did-you-mean", () => {
    const scenario = parseScenario(
      "name: x\nexpect:\n  - { check: record, target: receipt-failures, count: 1 }\n",
      "scenarios/x.yaml",
    );
    const issues = findUnknownNames(scenario, {
      queues: ["receipts-failures", "payments-dlq"],
      topics: [],
      functions: [],
      tables: [],
      streams: [],
      downstreams: [],
    });
    expect(issues[0]?.message).toContain('unknown target "receipt-failures"');
    expect(issues[0]?.message).toContain('did you mean "receipts-failures"?');
  });
});
