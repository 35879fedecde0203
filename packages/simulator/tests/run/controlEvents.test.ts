import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario, runScenario } from "../../src/index.js";
import { scenarioIssueLines } from "../helpers.js";

// A hand-written stack: a queue read by a worker, and a notifier invoked asynchronously with an
// on-failure queue. Both functions are scripted by the scenarios below.
const stack = {
  provider: { aws: [{ region: "us-east-1" }] },
  resource: {
    aws_sqs_queue: {
      jobs: { name: "jobs", visibility_timeout_seconds: 30 },
      failures: { name: "notify-failures" },
    },
    aws_lambda_function: {
      worker: { function_name: "worker", handler: "index.handler", runtime: "python3.13", timeout: 5 },
      notifier: { function_name: "notifier", handler: "index.handler", runtime: "nodejs22.x", timeout: 5 },
    },
    aws_lambda_event_source_mapping: {
      worker: {
        function_name: "${aws_lambda_function.worker.arn}",
        event_source_arn: "${aws_sqs_queue.jobs.arn}",
        batch_size: 1,
      },
    },
    aws_lambda_function_event_invoke_config: {
      notifier: {
        function_name: "${aws_lambda_function.notifier.function_name}",
        destination_config: { on_failure: { destination: "${aws_sqs_queue.failures.arn}" } },
      },
    },
  },
};

async function run(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), "rebound-control-"));
  writeFileSync(join(dir, "stack.tf.json"), JSON.stringify(stack));
  const text = `name: control\nstack: stack.tf.json\nseed: 3\nmaxVirtualSeconds: 3600\n${yaml}`;
  const file = join(dir, "control.yaml");
  writeFileSync(file, text);
  return runScenario(parseScenario(text, file), { repoRoot: dir });
}

describe("scenario events that change the stack while it runs", () => {
  it("disables a mapping at 10 s and enables it at 60 s: messages sent between wait, then run", async () => {
    const result = await run(`events:
  - { id: early, kind: sqs, at: 5s, queue: jobs, body: a }
  - { id: off, kind: mapping, at: 10s, function: worker, source: "sqs:jobs", enabled: false }
  - { id: waiting, kind: sqs, at: 20s, queue: jobs, body: b }
  - { id: on, kind: mapping, at: 60s, function: worker, source: "sqs:jobs", enabled: true }
functions:
  worker: { behaviour: succeed }
  notifier: { behaviour: succeed }
expect:
  - { check: event-outcome, event: waiting, disposition: processed }
`);
    expect(result.expectations.filter((expectation) => !expectation.ok)).toEqual([]);
    const startOf = (id: string) =>
      (result.events.find((event) => event.id === id)?.attempts[0]?.atMs ?? 0) - result.virtualStartMs;
    expect(startOf("early")).toBe(5_000);
    expect(startOf("waiting")).toBe(60_000);
  });

  it("sets reserved concurrency to 0 at 10 s and removes it at 20 s", async () => {
    const result = await run(`events:
  - { id: zero, kind: concurrency, at: 10s, function: notifier, reserved: 0 }
  - { id: blocked, kind: invoke, at: 15s, function: notifier, payload: { n: 1 } }
  - { id: back, kind: concurrency, at: 20s, function: notifier, reserved: null }
  - { id: runs, kind: invoke, at: 25s, function: notifier, payload: { n: 2 } }
functions:
  worker: { behaviour: succeed }
  notifier: { behaviour: succeed }
expect:
  - { check: event-outcome, event: blocked, disposition: sent-to-destination, attempts: 0 }
  - { check: event-outcome, event: runs, disposition: processed }
`);
    expect(result.expectations.filter((expectation) => !expectation.ok)).toEqual([]);
    expect(result.events.find((event) => event.id === "blocked")?.reason).toMatch(/ZeroReservedConcurrency/);
  });

  it("reports unknown functions and sources with did-you-mean, and a bad reserved value, all at once", async () => {
    const text = `name: bad
events:
  - { kind: mapping, function: workr, source: "sqs:jobs", enabled: false }
  - { kind: mapping, function: worker, source: "queue:jobs", enabled: maybe }
  - { kind: concurrency, function: worker, reserved: -1 }
`;
    const messages = scenarioIssueLines(text, "bad.yaml");
    expect(messages.join("\n")).toMatch(/4: .*sqs:<queue>, dynamodb-stream:<table> or kinesis:<stream>/);
    expect(messages.join("\n")).toMatch(/4: .*enabled/);
    expect(messages.join("\n")).toMatch(/5: .*reserved/);
  });
});
