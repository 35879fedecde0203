import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CONFIG_ENV_VARS } from "../src/loadConfig.js";
import { resourcesOf } from "./helpers/stacks.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PROD_STATE = {
  REBOUND_STATE_BUCKET: "acme-rebound-tfstate",
  REBOUND_STATE_KEY: "rebound/prod/orders.tfstate",
  REBOUND_STATE_REGION: "eu-central-1",
  REBOUND_ALARM_EMAIL: "oncall@acme.example",
};

/**
 * Runs `turbo run synth` for the infra package exactly as CI and the deploy workflow do, so turbo's
 * strict environment mode decides what reaches the synthesis. Only the synth task runs (`--only`: the
 * apps' bundles are already built, since the test task depends on them), with no cache either way,
 * into a folder of its own so the stack other tasks read is untouched.
 */
function synthThroughTurbo(environ: Record<string, string>): {
  status: number | null;
  output: string;
  stackFile: string;
} {
  const outdir = mkdtempSync(join(tmpdir(), "rebound-turbo-synth-"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    TURBO_TELEMETRY_DISABLED: "1",
    CHECKPOINT_DISABLE: "1",
    CDKTF_OUTDIR: outdir,
    ...environ,
  };
  const result = spawnSync(
    join(repoRoot, "node_modules", ".bin", "turbo"),
    [
      "run",
      "synth",
      "--filter=@rebound/infra",
      "--only",
      "--cache=local:,remote:",
      "--output-logs=full",
      "--log-prefix=none",
      "--ui=stream",
    ],
    { cwd: repoRoot, env, encoding: "utf8", timeout: 120_000 },
  );
  return {
    status: result.status,
    output: `${result.stdout}${result.stderr}`,
    stackFile: join(outdir, "stacks", "orders", "cdk.tf.json"),
  };
}

describe("synthesis through turbo", () => {
  it("declares every REBOUND_* variable the infra reads on the synth task (turbo drops undeclared ones)", () => {
    const turbo = JSON.parse(readFileSync(join(repoRoot, "turbo.json"), "utf8"));
    const declared: string[] = turbo.tasks.synth.env;
    for (const name of ["REBOUND_ENV", ...Object.values(CONFIG_ENV_VARS), "CDKTF_OUTDIR"]) {
      expect(declared, name).toContain(name);
    }
  });

  it("synthesizes prod from REBOUND_ENV=prod: prefix, S3 state with locking, protected tables, prod retention and URLs", () => {
    const { status, output, stackFile } = synthThroughTurbo({ REBOUND_ENV: "prod", ...PROD_STATE });
    expect(output).toMatch(
      /synthesized .* for prod \(eu-west-1, prefix rebound-prod, state s3:\/\/acme-rebound-tfstate\/rebound\/prod\/orders\.tfstate\)/,
    );
    expect(status).toBe(0);
    const json = readFileSync(stackFile, "utf8");
    const stack = JSON.parse(json);
    expect(stack.terraform.backend).toEqual({
      s3: {
        bucket: "acme-rebound-tfstate",
        key: "rebound/prod/orders.tfstate",
        region: "eu-central-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(stack.provider.aws[0].default_tags[0].tags["rebound:environment"]).toBe("prod");
    const functions = resourcesOf(json, "aws_lambda_function");
    expect(functions).toHaveLength(8);
    for (const fn of functions) expect(String(fn.function_name)).toMatch(/^rebound-prod-/);
    expect(resourcesOf(json, "aws_dynamodb_table").map((table) => table.deletion_protection_enabled)).toEqual(
      [true, true],
    );
    const retention = resourcesOf(json, "aws_cloudwatch_log_group").map((group) => group.retention_in_days);
    expect(retention.length).toBeGreaterThan(8);
    expect(new Set(retention)).toEqual(new Set([90]));
    const variables = functions.map(
      (fn) => (fn.environment as { variables: Record<string, string> }).variables,
    );
    expect(variables.find((v) => v.PAYMENT_PROVIDER_URL)?.PAYMENT_PROVIDER_URL).toBe(
      "https://payments.example.com",
    );
    expect(variables.find((v) => v.MAIL_PROVIDER_URL)?.MAIL_PROVIDER_URL).toBe("https://mail.example.com");
    expect(resourcesOf(json, "aws_sns_topic_subscription")).toContainEqual(
      expect.objectContaining({ protocol: "email", endpoint: "oncall@acme.example" }),
    );
  });

  it("fails a prod synthesis that lacks a required variable, naming it, and writes no stack", () => {
    const { REBOUND_STATE_BUCKET: _, ...withoutBucket } = PROD_STATE;
    const { status, output, stackFile } = synthThroughTurbo({ REBOUND_ENV: "prod", ...withoutBucket });
    expect(status).not.toBe(0);
    expect(output).toContain("REBOUND_STATE_BUCKET is not set: the prod configuration");
    expect(() => readFileSync(stackFile)).toThrow();
  });
});
