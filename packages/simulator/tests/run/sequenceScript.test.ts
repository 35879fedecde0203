import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario, runScenario } from "../../src/index.js";
import { scenarioIssueLines } from "../helpers.js";

const stack = {
  provider: { aws: [{ region: "us-east-1" }] },
  resource: {
    aws_sqs_queue: {
      dlq: { name: "jobs-dlq" },
      jobs: {
        name: "jobs",
        visibility_timeout_seconds: 30,
        redrive_policy: JSON.stringify({
          deadLetterTargetArn: "${aws_sqs_queue.dlq.arn}",
          maxReceiveCount: 5,
        }),
      },
    },
    aws_lambda_function: {
      worker: { function_name: "worker", handler: "index.handler", runtime: "nodejs22.x", timeout: 5 },
    },
    aws_lambda_event_source_mapping: {
      worker: {
        function_name: "${aws_lambda_function.worker.arn}",
        event_source_arn: "${aws_sqs_queue.jobs.arn}",
        batch_size: 1,
        function_response_types: ["ReportBatchItemFailures"],
      },
    },
  },
};

async function run(functions: string) {
  const dir = mkdtempSync(join(tmpdir(), "rebound-sequence-"));
  writeFileSync(join(dir, "stack.tf.json"), JSON.stringify(stack));
  const text = `name: sequence
stack: stack.tf.json
events:
  - { id: a, kind: sqs, at: 0s, queue: jobs, body: a }
  - { id: b, kind: sqs, at: 1s, queue: jobs, body: b }
functions:
${functions}`;
  return runScenario(parseScenario(text, join(dir, "sequence.yaml")), { repoRoot: dir });
}

describe("scripted sequence: the n-th delivery of an event gets the n-th step", () => {
  it("fails twice, then succeeds, per message: each is received three times, a visibility timeout apart", async () => {
    const result = await run(`  worker:
    behaviour: sequence
    steps:
      - { outcome: fail, errorType: Flaky }
      - { outcome: fail, errorType: Flaky, durationMs: 2s }
      - { outcome: succeed }`);
    for (const id of ["a", "b"]) {
      const event = result.events.find((candidate) => candidate.id === id);
      expect(event?.disposition).toBe("processed");
      expect(event?.attempts.map((attempt) => attempt.result)).toEqual([
        "function-error",
        "function-error",
        "success",
      ]);
      const starts = event?.attempts.map((attempt) => attempt.atMs) ?? [];
      expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(30_000);
    }
  });

  it("returns any JSON with respond: an invalid partial batch response fails the whole batch, [] succeeds", async () => {
    const result = await run(`  worker:
    behaviour: sequence
    steps:
      - { outcome: respond, result: { batchItemFailures: [{ itemIdentifier: "" }] } }
      - { outcome: respond, result: [] }`);
    const event = result.events.find((candidate) => candidate.id === "a");
    expect(event?.attempts).toHaveLength(2);
    expect(event?.disposition).toBe("processed");
  });

  it("reports bad steps with their line", () => {
    const text = `name: bad
functions:
  worker:
    behaviour: sequence
    steps:
      - { outcome: explode }
      - { outcome: fail, durationMs: soon }
  other:
    behaviour: sequence
`;
    const lines = scenarioIssueLines(text, "bad.yaml").join("\n");
    expect(lines).toMatch(/6: .*explode/);
    expect(lines).toMatch(/7: .*durationMs/);
    expect(lines).toMatch(/9: .*steps/);
  });
});
