import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseScenario, runScenario } from "../../src/index.js";
import { rebound } from "../cli/cliHarness.js";

// A scenario can state that AWS refuses its stack (`check: rejected`); it then does not run.
const STACKS = fileURLToPath(new URL("../../../../scenarios/conformance/stacks/", import.meta.url));
const REFUSED = `${STACKS}visibility-too-short.tf.json`;
const ACCEPTED = `${STACKS}sqs.tf.json`;

function scenario(stackPath: string, expect: string): string {
  const dir = mkdtempSync(join(tmpdir(), "rebound-rejected-"));
  writeFileSync(join(dir, "stack.tf.json"), readFileSync(stackPath));
  const file = join(dir, "scenario.yaml");
  writeFileSync(
    file,
    `name: refusal
stack: stack.tf.json
events:
  - { id: job, kind: sqs, queue: jobs, body: x }
functions:
  worker: { behaviour: succeed }
  sequencer: { behaviour: succeed }
expect:
${expect}`,
  );
  return file;
}

async function run(file: string) {
  return runScenario(parseScenario(readFileSync(file, "utf8"), file), { repoRoot: STACKS });
}

describe("rejected expectations", () => {
  it("hold on a stack AWS refuses; nothing runs and every other check fails as not checked", async () => {
    const result = await run(
      scenario(
        REFUSED,
        `  - { check: rejected, code: InvalidParameterValueException, resource: aws_lambda_event_source_mapping.jobs }
  - { check: event-outcome, event: job, disposition: processed }
  - check: every-event-final
`,
      ),
    );
    expect(result.stoppedBecause).toBe("refused");
    expect(result.events).toEqual([]);
    expect(result.expectations.map((expectation) => expectation.ok)).toEqual([true, false, false]);
    expect(result.expectations[0]?.detail).toContain(
      "aws_lambda_event_source_mapping.jobs: CreateEventSourceMapping fails with InvalidParameterValueException (400): Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds",
    );
    expect(result.expectations[2]?.detail).toBe(
      "not checked: AWS would refuse the stack (2 problem(s)), so nothing ran",
    );
  });

  it("fail, listing AWS's refusals, when no refusal has the fields asked for", async () => {
    const result = await run(
      scenario(REFUSED, "  - { check: rejected, code: ResourceConflictException, status: 409 }\n"),
    );
    expect(result.expectations[0]?.ok).toBe(false);
    expect(result.expectations[0]?.detail).toMatch(
      /^no rejection has code "ResourceConflictException", status 409; AWS would refuse the stack with:\n {4}aws_lambda_/,
    );
  });

  it("fail on a stack AWS accepts, and the scenario runs", async () => {
    const result = await run(
      scenario(
        ACCEPTED,
        "  - { check: rejected, code: InvalidParameterValueException }\n  - { check: event-outcome, event: job, disposition: processed }\n",
      ),
    );
    expect(result.expectations).toEqual([
      expect.objectContaining({
        ok: false,
        detail: "AWS would accept this stack: no deploy-time check refuses it",
      }),
      expect.objectContaining({ ok: true }),
    ]);
  });

  it("need at least one field, and a Terraform address as resource", () => {
    expect(() => parseScenario("name: x\nexpect:\n  - check: rejected\n", "x.yaml")).toThrow(
      /x.yaml:3:5: expectation rejected checks nothing; add code/,
    );
    expect(() =>
      parseScenario("name: x\nexpect:\n  - { check: rejected, resource: jobs }\n", "x.yaml"),
    ).toThrow(/resource "jobs" is invalid; a Terraform address <type>.<name>/);
  });

  it("let the CLI run a refused stack only for a scenario that expects the refusal (exit 0), else exit 2", () => {
    const expecting = scenario(REFUSED, "  - { check: rejected, code: InvalidParameterValueException }\n");
    const ok = rebound(["simulate", expecting]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("not run: AWS would refuse the stack");
    const plain = scenario(REFUSED, "  - { check: event-outcome, event: job, disposition: processed }\n");
    const refused = rebound(["simulate", plain]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(
      "CreateEventSourceMapping fails with InvalidParameterValueException (400)",
    );
    // The same with --stack: the scenario's expectation decides.
    expect(rebound(["simulate", expecting, "--stack", REFUSED]).status).toBe(0);
    expect(rebound(["simulate", plain, "--stack", REFUSED]).status).toBe(2);
  });
});
