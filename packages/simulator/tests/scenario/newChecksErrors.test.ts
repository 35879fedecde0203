import { describe, expect, it } from "vitest";
import { scenarioIssueLines } from "../helpers.js";

// Every mistake in the newer keys (payload matches, cases, per-record failures, timing points,
// invocation checks, rejections, none) is reported at once, each on its own line with the fix.
describe("mistakes in payload matches, timing points, invocation and rejection checks", () => {
  it("are all reported at once, each at its line", () => {
    const lines = scenarioIssueLines(`name: hostile
events:
  - { id: b, kind: sqs-batch, queue: payments, entries: [{ body: a }] }
functions:
  payments-worker:
    behaviour: sequence
    cases: 5
    steps: [{ outcome: succeed }]
  order-events:
    behaviour: batch-item-failures
    match: { path: "$..x", exists: maybe }
    times: -1
expect:
  - { check: timing, event: b, from: attempt 0, to: record 0 at payments-dlq, atMost: 1s }
  - { check: invocations, function: payments-worker, invocation: 0, records: [zz] }
  - { check: rejected, status: 200 }
  - { check: record, target: payments-dlq, none: false }
`);
    expect(lines).toEqual([
      '7: cases must be a list (lines starting with "- "), got number 5',
      expect.stringMatching(
        /^11: functions.order-events.match.path "\$\.\.x" is not a JSON path; write a JSON path from \$/,
      ),
      '11: functions.order-events.match.exists must be true or false, got text "maybe"',
      "12: functions.order-events.times is -1, which is impossible: it must be between 1 and 1000000",
      '14: expect[0].from "attempt 0" counts from 1 (the first attempt or record is 1)',
      '14: expect[0].to "record 0 at payments-dlq" counts from 1 (the first attempt or record is 1)',
      "15: expect[1].invocation is 0, which is impossible: it must be between 1 and 10000000",
      '15: no event has id "zz"; use one of: b (a copy as <id>#n, a batch entry as <id>[k])',
      "16: expect[2].status is 200, which is impossible: it must be between 400 and 599",
      "17: none: false checks nothing; remove it, or use count",
    ]);
  });
});
