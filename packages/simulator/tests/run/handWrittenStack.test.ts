import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario, runScenario } from "../../src/index.js";

// A what-if run on any Terraform JSON: a hand-written stack with no bundles at all, every function
// scripted by the scenario. The simulator reads the retry settings from the JSON alone.
const stack = {
  provider: { aws: [{ region: "us-east-1" }] },
  resource: {
    aws_sqs_queue: {
      dlq: { name: "jobs-dlq", message_retention_seconds: 1209600 },
      jobs: {
        name: "jobs",
        visibility_timeout_seconds: 30,
        redrive_policy: JSON.stringify({
          deadLetterTargetArn: "${aws_sqs_queue.dlq.arn}",
          maxReceiveCount: 3,
        }),
      },
    },
    aws_lambda_function: {
      worker: { function_name: "worker", handler: "index.handler", timeout: 5 },
    },
    aws_lambda_event_source_mapping: {
      worker: {
        function_name: "${aws_lambda_function.worker.arn}",
        event_source_arn: "${aws_sqs_queue.jobs.arn}",
        batch_size: 1,
        function_response_types: ["ReportBatchItemFailures"],
      },
    },
    aws_iam_role: { worker: { name: "worker-role", assume_role_policy: "{}" } },
  },
};

const scenarioText = (stackFile: string) => `
name: hand-written
stack: ${stackFile}
seed: 9
maxVirtualSeconds: 3600
events:
  - { id: good, kind: sqs, at: 0s, queue: jobs, body: "fine" }
  - { id: poison, kind: sqs, at: 1s, queue: jobs, body: "poison" }
functions:
  worker:
    behaviour: fail-matching
    match: poison
    errorType: TypeError
    errorMessage: boom
expect:
  - { check: event-outcome, event: poison, disposition: dead-lettered }
  - { check: queue-depth, queue: jobs-dlq, equals: 1 }
`;

describe("a scenario on a hand-written Terraform JSON with scripted functions", () => {
  it("dead-letters the poison message after maxReceiveCount receives, a visibility timeout apart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rebound-handwritten-"));
    writeFileSync(join(dir, "stack.tf.json"), JSON.stringify(stack));
    writeFileSync(join(dir, "what-if.yaml"), scenarioText("stack.tf.json"));
    const scenario = parseScenario(scenarioText("stack.tf.json"), join(dir, "what-if.yaml"));
    const result = await runScenario(scenario, { repoRoot: dir });

    expect(result.expectations.filter((expectation) => !expectation.ok)).toEqual([]);
    const poison = result.events.find((event) => event.id === "poison");
    expect(poison?.disposition).toBe("dead-lettered");
    expect(poison?.attempts.map((attempt) => attempt.result)).toEqual([
      "function-error",
      "function-error",
      "function-error",
    ]);
    const starts = poison?.attempts.map((attempt) => attempt.atMs) ?? [];
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(30_000);
    expect(result.events.find((event) => event.id === "good")?.disposition).toBe("processed");
    expect(result.unmodelled).toEqual([
      expect.objectContaining({ type: "aws_iam_role", name: "worker", note: "no effect on retries" }),
    ]);
  });
});
