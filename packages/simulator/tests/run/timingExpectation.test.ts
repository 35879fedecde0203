import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario, runScenario } from "../../src/index.js";
import { scenarioIssueLines } from "../helpers.js";

// An async function that always fails: AWS retries twice, about 1 and then 2 minutes apart
// (docs/aws-semantics.md#async-retries).
const stack = {
  provider: { aws: [{ region: "us-east-1" }] },
  resource: {
    aws_sqs_queue: { failures: { name: "failures" } },
    aws_lambda_function: {
      notify: { function_name: "notify", handler: "index.handler", runtime: "nodejs22.x" },
    },
    aws_lambda_function_event_invoke_config: {
      notify: {
        function_name: "notify",
        destination_config: { on_failure: { destination: "${aws_sqs_queue.failures.arn}" } },
      },
    },
  },
};

async function run(expectations: string) {
  const dir = mkdtempSync(join(tmpdir(), "rebound-timing-"));
  writeFileSync(join(dir, "stack.tf.json"), JSON.stringify(stack));
  const text = `name: timing
stack: stack.tf.json
events:
  - { id: mail, kind: invoke, function: notify, repeat: 2, every: 10s }
functions:
  notify: { behaviour: fail, errorType: MailDown }
expect:
${expectations}`;
  return runScenario(parseScenario(text, join(dir, "timing.yaml")), { repoRoot: dir });
}

describe("timing expectations", () => {
  it("measures the virtual time between attempts of every copy", async () => {
    const result =
      await run(`  - { check: timing, event: mail, from: attempt 1, to: attempt 2, atLeast: 1m, atMost: 1m }
  - { check: timing, event: mail, from: attempt 2, to: attempt 3, atLeast: 2m, atMost: 2m }
  - { check: timing, event: mail, from: injected, to: settled, atMost: 3m }
  - { check: timing, event: mail, from: attempt 1, to: attempt 2, atMost: 30s }
  - { check: timing, event: mail, from: attempt 3, to: attempt 4, atMost: 1h }
`);
    expect(result.expectations.map((expectation) => expectation.ok)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(result.expectations[3]?.detail).toBe(
      "mail#1: 1m 00s, expected at most 30s\nmail#2: 1m 00s, expected at most 30s",
    );
    expect(result.expectations[4]?.detail).toContain(
      "mail#1: attempt 4 never happened (3 attempt(s), ended at failures)",
    );
  });

  it("measures to an attempt's end, to the event's record at a target and to the n-th record there", async () => {
    // Copy 1 is injected at 0 s and copy 2 at 10 s; each record reaches `failures` after its third
    // attempt, about 3 minutes after its injection.
    const result =
      await run(`  - { check: timing, event: mail, from: attempt 1, to: attempt 1 end, atMost: 0s }
  - { check: timing, event: mail, from: attempt 3 end, to: arrived at failures, atMost: 0s }
  - { check: timing, event: mail, from: injected, to: arrived at failures, atLeast: 3m, atMost: 3m }
  - { check: timing, event: "mail#2", from: injected, to: record 1 at failures, atLeast: 2m50s, atMost: 2m50s }
  - { check: timing, event: "mail#1", from: injected, to: record 2 at failures, atLeast: 3m10s, atMost: 3m10s }
  - { check: timing, event: mail, from: injected, to: record 3 at failures, atMost: 1h }
`);
    expect(result.expectations.map((expectation) => expectation.detail)).toEqual([
      "mail#1: 0s\nmail#2: 0s",
      "mail#1: 0s\nmail#2: 0s",
      "mail#1: 3m 00s\nmail#2: 3m 00s",
      "mail#2: 2m 50s",
      "mail#1: 3m 10s",
      "mail#1: record 3 at failures never happened (3 attempt(s), ended at failures)\nmail#2: record 3 at failures never happened (3 attempt(s), ended at failures)",
    ]);
    expect(result.expectations.map((expectation) => expectation.ok)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it("refuses a target the stack does not have", async () => {
    await expect(
      run("  - { check: timing, event: mail, from: injected, to: arrived at failure, atMost: 1h }\n"),
    ).rejects.toThrow(
      /unknown target "failure": no queue, topic, bus or bucket of the stack has that name; did you mean "failures"\?/,
    );
  });

  it("reports a bad point, a missing bound and an unknown event with their lines", () => {
    const text = scenarioIssueLines(
      `name: x
events:
  - { id: a, kind: invoke, function: f }
expect:
  - { check: timing, event: a, from: first try, to: settled, atMost: 1m }
  - { check: timing, event: a, from: injected, to: settled }
  - { check: timing, event: b, from: injected, to: settled, atMost: 1m }
`,
      "x.yaml",
    ).join("\n");
    expect(text).toMatch(/5: .*injected, attempt <n>/);
    expect(text).toMatch(/6: .*needs atLeast, atMost or both/);
    expect(text).toMatch(/7: no event has id "b"/);
  });
});
