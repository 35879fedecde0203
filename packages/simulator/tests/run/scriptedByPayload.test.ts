import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseScenario, runScenario, TerraformJson } from "../../src/index.js";
import { calledDownstreams } from "../../src/run/downstreamEnvironment.js";
import { STACK } from "../cli/cliHarness.js";
import { scenarioIssueLines } from "../helpers.js";

// Scripted outcomes chosen by what the invocation carries, and downstream names checked against
// the downstreams the stack's functions call.
const ASYNC_STACK = fileURLToPath(
  new URL("../../../../scenarios/conformance/stacks/async.tf.json", import.meta.url),
);

async function run(body: string) {
  const dir = mkdtempSync(join(tmpdir(), "rebound-by-payload-"));
  writeFileSync(join(dir, "stack.tf.json"), readFileSync(ASYNC_STACK));
  const text = `name: by-payload\nstack: stack.tf.json\n${body}`;
  return runScenario(parseScenario(text, join(dir, "scenario.yaml")), { repoRoot: dir });
}

describe("scripted outcomes by payload", () => {
  it("gives each event the steps of the first case it matches, and the default steps otherwise", async () => {
    const result = await run(`events:
  - { id: vip, kind: invoke, function: notify, payload: { customer: { tier: gold } } }
  - { id: flaky, kind: invoke, function: notify, payload: { customer: { tier: basic }, retry: true } }
  - { id: plain, kind: invoke, function: notify, payload: { customer: { tier: basic } } }
functions:
  notify:
    behaviour: sequence
    cases:
      - when: { path: $.customer.tier, equals: gold }
        steps: [{ outcome: succeed }]
      - when: { path: $.retry, exists: true }
        steps: [{ outcome: fail, errorType: Flaky }, { outcome: succeed }]
    steps: [{ outcome: fail, errorType: Broken }]
  legacy: { behaviour: succeed }
expect:
  - { check: event-outcome, event: vip, disposition: processed, attempts: 1 }
  - { check: event-outcome, event: flaky, disposition: processed, attempts: 2 }
  - { check: event-outcome, event: plain, disposition: sent-to-destination, attempts: 3 }
  - { check: record, target: notify-failures, event: plain, matches: { responsePayload: { errorType: Broken } } }
`);
    expect(result.expectations.filter((expectation) => !expectation.ok)).toEqual([]);
  });

  it("reports a case without steps and a path that is not one, with their lines", () => {
    const text = scenarioIssueLines(
      `name: x
functions:
  notify:
    behaviour: sequence
    cases:
      - when: { path: orderId, equals: 1 }
        steps: [{ outcome: fail }]
      - when: { path: $.a, equals: 1, exists: true }
        steps: [{ outcome: fail }]
      - { when: { path: $.b, exists: true } }
    steps: [{ outcome: succeed }]
`,
      "x.yaml",
    ).join("\n");
    expect(text).toMatch(
      /6: functions.notify.cases\[0\].when.path "orderId" is not a JSON path; write a JSON path from \$/,
    );
    expect(text).toMatch(/8: a match takes exactly one of equals .* or exists/);
    expect(text).toMatch(/10: every case needs "steps"/);
  });
});

describe("downstream names", () => {
  it("are the ones the stack's functions call, by URL or SSM parameter variable", () => {
    const tf = TerraformJson.load(STACK, "stack");
    expect(calledDownstreams(tf).all).toEqual(expect.arrayContaining(["payment", "slack"]));
    expect(calledDownstreams(tf).urls).not.toContain("slack");
  });

  it("refuse a downstream no function calls, with the closest name", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rebound-downstreams-"));
    const text = "name: typo\ndownstreams:\n  paymnet: { status: 200 }\n";
    await expect(
      runScenario(parseScenario(text, join(dir, "typo.yaml")), {
        repoRoot: fileURLToPath(new URL("../../../../", import.meta.url)),
      }),
    ).rejects.toThrow(
      /typo.yaml:3:3: unknown downstream "paymnet": no function of the stack calls it .*did you mean "payment"\?/,
    );
  });
});
