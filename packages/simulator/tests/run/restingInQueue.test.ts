import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { rebound, STACK, VALID_SCENARIO } from "../cli/cliHarness.js";

const dir = mkdtempSync(join(tmpdir(), "rebound-resting-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an event left in a queue nothing consumes", () => {
  it("ends as resting in that queue, so every-event-final holds for a stack with a plain DLQ", () => {
    // The orders stack without the mapping that drains payments-dlq: a plain DLQ.
    const doc = JSON.parse(readFileSync(STACK, "utf8")) as {
      resource: Record<string, Record<string, unknown>>;
    };
    const mappings = doc.resource.aws_lambda_event_source_mapping ?? {};
    const drained = Object.keys(mappings).filter((key) => key.includes("payments-dlq"));
    expect(drained).toHaveLength(1);
    for (const key of drained) delete mappings[key];
    // Beside the synthesized stack: its functions' code paths are relative to the stack's folder.
    const stack = join(dirname(STACK), `plain-dlq-${process.pid}.tf.json`);
    writeFileSync(stack, JSON.stringify(doc));
    onTestFinished(() => rmSync(stack, { force: true }));
    const scenario = join(dir, "resting.yaml");
    writeFileSync(
      scenario,
      [
        ...VALID_SCENARIO.slice(0, 8),
        "    queue: payments-dlq",
        ...VALID_SCENARIO.slice(9),
        "expect:",
        "  - check: every-event-final",
      ].join("\n"),
    );
    const run = rebound(["simulate", scenario, "--stack", stack, "--json", "--report", dir]);
    expect(run.status, run.stderr).toBe(0);
    const [result] = JSON.parse(run.stdout) as {
      events: { disposition: string | null; where?: string; reason?: string }[];
    }[];
    expect(result?.events).toHaveLength(1);
    expect(result?.events[0]?.disposition).toBe("resting");
    expect(result?.events[0]?.where).toMatch(/payments-dlq/);
    expect(result?.events[0]?.reason).toMatch(/^resting in \S*payments-dlq/);
  }, 120_000);
});
