import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ExplainJson } from "../../src/cli/explainCommand.js";
import { rebound, STACK } from "./cliHarness.js";

const dir = mkdtempSync(join(tmpdir(), "rebound-explain-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The orders stack with alerts-dlq redriving back to payments: a redrive cycle. */
function cycleStack(): string {
  const doc = JSON.parse(readFileSync(STACK, "utf8")) as {
    resource: { aws_sqs_queue: Record<string, Record<string, unknown>> };
  };
  const queues = doc.resource.aws_sqs_queue;
  const alerts = Object.keys(queues).find((key) => key.startsWith("alerts_")) ?? "";
  const payments = Object.keys(queues).find((key) => key.startsWith("payments_queue")) ?? "";
  queues[alerts] = {
    ...queues[alerts],
    redrive_policy: JSON.stringify({
      deadLetterTargetArn: `\${aws_sqs_queue.${payments}.arn}`,
      maxReceiveCount: 5,
    }),
  };
  const path = join(dir, "cycle.tf.json");
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

describe("rebound explain", () => {
  it("--json prints every function's policy and no problems for a stack simulate accepts", () => {
    const run = rebound(["explain", "--json"]);
    expect(run.status, run.stderr).toBe(0);
    const output = JSON.parse(run.stdout) as ExplainJson;
    expect(output.stack).toBe(STACK);
    expect(output.problems).toEqual([]);
    const worker = output.functions.find((fn) => fn.functionName.endsWith("payments-worker"));
    expect(worker?.timeoutSeconds).toBeGreaterThan(0);
    expect(worker?.triggers[0]).toMatch(/^SQS queue \S+payments: /);
  });

  it("prints the policies of a stack with a redrive cycle, then the cycle, and exits 2", () => {
    const path = cycleStack();
    const text = rebound(["explain", "--stack", path]);
    expect(text.status).toBe(2);
    expect(text.stdout).toMatch(/payments-worker/);
    expect(text.stderr).toMatch(/redrive cycle: .*→/);
    const json = rebound(["explain", "--stack", path, "--json"]);
    expect(json.status).toBe(2);
    const output = JSON.parse(json.stdout) as ExplainJson;
    expect(output.functions.length).toBeGreaterThan(0);
    expect(output.problems).toEqual([expect.stringMatching(/redrive cycle: /)]);
  });
});
