import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parseScenario, runScenario, TerraformJson } from "../../src/index.js";
import { starterScenario } from "../../src/run/starterScenario.js";
import { tempDir, writeZip } from "../code/zipHelpers.js";

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const EXAMPLE = join(REPO_ROOT, "examples", "hcl-sqs-worker");
const PLAN = join(EXAMPLE, "plan.json");
const CLI = join(REPO_ROOT, "packages", "simulator", "dist", "cli.js");
const ORDERS = join(REPO_ROOT, "infra", "cdktf.out", "stacks", "orders", "cdk.tf.json");

beforeAll(() => {
  execFileSync(process.execPath, [join(EXAMPLE, "build.mjs")], { stdio: "pipe" });
});

describe("the HCL example, from its plan JSON, with its own zips", () => {
  it("meets every expectation of its scenario: retries, the DLQ and the destination record", async () => {
    const file = join(EXAMPLE, "scenarios", "retries.yaml");
    const scenario = parseScenario(readFileSync(file, "utf8"), file);
    const result = await runScenario(scenario, { repoRoot: EXAMPLE, stackPath: PLAN, stackKind: "plan" });
    expect(result.expectations.filter((expectation) => !expectation.ok)).toEqual([]);
    const poison = result.events.find((event) => event.id === "poison-job");
    // Three receives a visibility timeout (30 s) apart, each a real run of the worker reporting the item.
    expect(poison?.attempts.map((attempt) => attempt.result)).toEqual([
      "item-failure",
      "item-failure",
      "item-failure",
    ]);
    const starts = poison?.attempts.map((attempt) => attempt.atMs) ?? [];
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(30_000);
    const bounce = result.events.find((event) => event.id === "notify-bounce");
    expect(bounce?.attempts.map((attempt) => attempt.errorType)).toEqual(["Error", "Error"]);
  });
});

describe("rebound init: a starter scenario that parses and runs", () => {
  it.each([
    ["the example's plan", PLAN, 2, ["jobs-dlq", "notify-failures"]],
    [
      "the orders stack",
      ORDERS,
      // Six mapped queues (five are DLQs or destinations dlq-alerts reads), the table's stream, the
      // order-events topic, the alarm topic (its subscriber alerts in Slack), two routes and receipts'
      // async invoke config.
      13,
      ["alerts-dlq", "fulfillment-dlq", "order-events-failures", "payments-dlq", "receipts-failures"],
    ],
  ])(
    "for %s: one event per trigger, every event final, nothing dead-lettered",
    async (_, stackPath, triggers, watched) => {
      const dir = tempDir("init");
      const scenarioPath = join(dir, "starter.yaml");
      const text = starterScenario(TerraformJson.load(stackPath), { stackPath, scenarioPath });
      writeFileSync(scenarioPath, text);
      expect(text).toMatch(/# Functions:\n# {3}\S+ \(aws_lambda_function\./);
      const scenario = parseScenario(text, scenarioPath);
      expect(scenario.events).toHaveLength(triggers);
      const result = await runScenario(scenario, { repoRoot: REPO_ROOT, stackPath, stackKind: "either" });
      expect(result.expectations.map((expectation) => expectation.name)).toEqual([
        expect.stringMatching(/final disposition/),
        ...watched.map((queue) => `nothing reaches ${queue}`),
      ]);
      expect(text).toContain(`queue: ${watched[0]}, equals: 0`);
    },
  );
});

describe("bad function code: exit 2, one line naming the function, the file and the fix", () => {
  const simulate = async (fn: Record<string, unknown>, files?: Record<string, string>) => {
    const dir = tempDir("badcode");
    if (files) await writeZip(join(dir, "code.zip"), files);
    const stack = {
      resource: {
        aws_lambda_function: {
          f: {
            function_name: "broken-fn",
            filename: "code.zip",
            runtime: "nodejs20.x",
            handler: "index.handler",
            ...fn,
          },
        },
      },
    };
    writeFileSync(join(dir, "stack.tf.json"), JSON.stringify(stack));
    writeFileSync(
      join(dir, "s.yaml"),
      "name: s\nevents:\n  - { kind: invoke, function: broken-fn }\nexpect:\n  - check: every-event-final\n",
    );
    return spawnSync(
      process.execPath,
      [
        CLI,
        "simulate",
        join(dir, "s.yaml"),
        "--stack",
        join(dir, "stack.tf.json"),
        "--report",
        join(dir, "r"),
      ],
      { cwd: dir, encoding: "utf8" },
    );
  };

  it("a zip without the handler file", async () => {
    const run = await simulate({}, { "other.js": "exports.handler = () => 1;" });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(
      /function broken-fn \(aws_lambda_function\.f\): handler "index.handler" names a file that is not in its code .*Fix the handler setting or put the file in the zip; or script it in the scenario/,
    );
  });

  it("a runtime that cannot run in-process", async () => {
    const run = await simulate({ runtime: "python3.12", handler: "app.handler" }, { "app.py": "" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /function broken-fn .*runtime python3.12 does not run .*script it in the scenario \(functions: \{ broken-fn: \{ behaviour: succeed \} \}\)/,
    );
  });

  it("a handler export that is not a function", async () => {
    const run = await simulate({}, { "index.js": "exports.handler = 'nope';" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /function "broken-fn": .*index\.js exports a string as "handler", not a function/,
    );
  });

  it("a syntax error in the code", async () => {
    const run = await simulate({}, { "index.js": "exports.handler = async () => { return 1 +; };" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /function "broken-fn": .*index\.js:1 does not parse: .*Fix the code and rebuild the zip/,
    );
  });

  it("a plan file from another tool", () => {
    const dir = tempDir("otherplan");
    writeFileSync(join(dir, "plan.json"), JSON.stringify({ version: 4, resources: [] }));
    const run = spawnSync(process.execPath, [CLI, "simulate", "--plan", join(dir, "plan.json")], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /plan\.json is not the JSON of a Terraform plan \(no format_version\); create it with: terraform plan -out plan.tfplan && terraform show -json plan.tfplan > plan.json/,
    );
  });
});
