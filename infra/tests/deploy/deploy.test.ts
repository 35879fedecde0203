import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyDeploy } from "../../src/deploy/applyDeploy.js";
import { checkOffline } from "../../src/deploy/checkOffline.js";
import { PLAN_FILE, PLAN_TEXT_FILE, planDeploy } from "../../src/deploy/planDeploy.js";
import { verifyStack } from "../../src/deploy/verifyStack.js";
import { DeployError } from "../../src/errors.js";

const S3 = { bucket: "acme-state", key: "rebound/prod/orders.tfstate", region: "eu-west-1", encrypt: true };

/** A stack folder holding a cdk.tf.json for `environment` with the given backend. */
function stackDir(environment: string, backend?: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "rebound-deploy-stack-"));
  writeFileSync(
    join(dir, "cdk.tf.json"),
    JSON.stringify({
      provider: {
        aws: [{ region: "eu-west-1", default_tags: [{ tags: { "rebound:environment": environment } }] }],
      },
      ...(backend ? { terraform: { backend: { s3: backend } } } : {}),
      resource: { aws_sqs_queue: { a: {}, b: {} }, aws_sns_topic: { c: {} } },
    }),
  );
  return dir;
}

/**
 * A stand-in terraform that records each call (its -chdir folder and arguments) and behaves like the
 * real one where the deploy depends on it: `plan -out=F` writes F, `show` prints a plan, and the
 * subcommand named in FAKE_TERRAFORM_FAIL exits 1.
 */
function fakeTerraform(): { binary: string; calls: () => string[][] } {
  const dir = mkdtempSync(join(tmpdir(), "rebound-fake-terraform-"));
  const log = join(dir, "calls.jsonl");
  const binary = join(dir, "terraform");
  writeFileSync(
    binary,
    `#!/usr/bin/env node
const { appendFileSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const args = process.argv.slice(2);
appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + "\\n");
const chdir = args[0].replace("-chdir=", "");
if (process.env.FAKE_TERRAFORM_FAIL === args[1]) process.exit(1);
const out = args.find((a) => a.startsWith("-out="));
if (args[1] === "plan" && out) writeFileSync(join(chdir, out.slice(5)), "saved plan");
if (args[1] === "plan" || args[1] === "show") console.log("Plan: 3 to add, 0 to change, 0 to destroy.");
`,
  );
  chmodSync(binary, 0o755);
  return {
    binary,
    calls: () =>
      existsSync(log)
        ? readFileSync(log, "utf8")
            .trim()
            .split("\n")
            .map((line) => JSON.parse(line) as string[])
        : [],
  };
}

describe("verifyStack", () => {
  it("summarizes the stack it was asked for", () => {
    expect(
      verifyStack(stackDir("prod", { ...S3, use_lockfile: true }), {
        environment: "prod",
        requireRemoteState: true,
      }),
    ).toEqual({
      environment: "prod",
      backend: { bucket: "acme-state", key: "rebound/prod/orders.tfstate", region: "eu-west-1" },
      resourceCount: 3,
    });
  });

  it.each([
    [
      stackDir("dev"),
      { requireRemoteState: false },
      "is the dev stack, not prod: synthesize with REBOUND_ENV=prod",
    ],
    [stackDir("prod"), { requireRemoteState: true }, "keeps Terraform state locally"],
    [stackDir("prod", S3), { requireRemoteState: true }, "without locking"],
    ["/nonexistent", { requireRemoteState: false }, "No synthesized stack at /nonexistent/cdk.tf.json"],
  ])("refuses %s (%j)", (dir, options, message) => {
    expect(() => verifyStack(dir, { environment: "prod", ...options })).toThrow(message);
  });
});

describe("planDeploy and applyDeploy", () => {
  it("inits with the stack's backend, saves the plan, shows it, then applies exactly that file", () => {
    const dir = stackDir("prod", { ...S3, use_lockfile: true });
    const terraform = fakeTerraform();
    const summaryFile = join(dir, "summary.md");
    const result = planDeploy({
      stackDir: dir,
      environment: "prod",
      terraformBinary: terraform.binary,
      summaryFile,
    });
    expect(result.planText).toContain("Plan: 3 to add");
    expect(readFileSync(join(dir, PLAN_TEXT_FILE), "utf8")).toContain("Plan: 3 to add");
    expect(readFileSync(summaryFile, "utf8")).toMatch(
      /## Terraform plan for prod\n\nState: `s3:\/\/acme-state\/rebound\/prod\/orders.tfstate`. Plan: 3 to add/,
    );
    applyDeploy({ stackDir: dir, environment: "prod", terraformBinary: terraform.binary });
    expect(terraform.calls()).toEqual([
      [`-chdir=${dir}`, "init", "-input=false", "-no-color"],
      [`-chdir=${dir}`, "plan", "-input=false", "-no-color", "-lock-timeout=5m", `-out=${PLAN_FILE}`],
      [`-chdir=${dir}`, "show", "-no-color", PLAN_FILE],
      [`-chdir=${dir}`, "apply", "-input=false", "-no-color", "-lock-timeout=5m", PLAN_FILE],
    ]);
  });

  it("refuses to apply without a saved plan, and never plans on its own", () => {
    const dir = stackDir("prod", { ...S3, use_lockfile: true });
    const terraform = fakeTerraform();
    expect(() =>
      applyDeploy({ stackDir: dir, environment: "prod", terraformBinary: terraform.binary }),
    ).toThrow(/No saved plan at .*orders\.tfplan: run deploy:plan first/);
    expect(terraform.calls()).toEqual([]);
  });

  it("runs no terraform for a stack of the wrong environment or with local state", () => {
    const terraform = fakeTerraform();
    expect(() =>
      planDeploy({ stackDir: stackDir("dev"), environment: "prod", terraformBinary: terraform.binary }),
    ).toThrow(DeployError);
    expect(() =>
      planDeploy({ stackDir: stackDir("prod"), environment: "prod", terraformBinary: terraform.binary }),
    ).toThrow("keeps Terraform state locally");
    expect(terraform.calls()).toEqual([]);
  });

  it("stops at the first failing terraform command and names it", () => {
    const dir = stackDir("prod", { ...S3, use_lockfile: true });
    const terraform = fakeTerraform();
    process.env.FAKE_TERRAFORM_FAIL = "plan";
    try {
      expect(() =>
        planDeploy({ stackDir: dir, environment: "prod", terraformBinary: terraform.binary }),
      ).toThrow(/terraform plan -input=false .* failed \(exit 1\)/);
    } finally {
      delete process.env.FAKE_TERRAFORM_FAIL;
    }
    expect(terraform.calls().map((call) => call[1])).toEqual(["init", "plan"]);
    expect(existsSync(join(dir, PLAN_FILE))).toBe(false);
  });
});

describe("checkOffline", () => {
  it("plans a copy of the stack with local state and the provider mirror, leaving the stack folder as it was", () => {
    const dir = stackDir("prod", { ...S3, use_lockfile: true });
    const terraform = fakeTerraform();
    const result = checkOffline({
      stackDir: dir,
      environment: "prod",
      providerMirror: "/opt/mirror",
      terraformBinary: terraform.binary,
    });
    expect(result).toMatchObject({
      environment: "prod",
      resourceCount: 3,
      planLine: "Plan: 3 to add, 0 to change, 0 to destroy.",
    });
    const calls = terraform.calls();
    expect(calls.map((call) => call.slice(1))).toEqual([
      ["init", "-input=false", "-no-color"],
      ["validate", "-no-color"],
      ["plan", "-input=false", "-refresh=false", "-lock=false", "-no-color", "-out=offline.tfplan"],
    ]);
    const work = calls[0]![0]!.replace("-chdir=", "");
    expect(work).not.toBe(dir);
    expect(existsSync(work)).toBe(false);
    expect(existsSync(join(dir, "offline.tfplan"))).toBe(false);
  });
});
