import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import { App, Aspects, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { PolicyAspect } from "../src/policies/PolicyAspect.js";
import { synthOrders } from "../src/synthOrders.js";
import { fixtureBundleDirs, testConfig } from "./helpers/stacks.js";

describe("synthOrders", () => {
  it("writes cdk.tf.json and one zip per app, replacing what an earlier synthesis left", () => {
    const outdir = mkdtempSync(join(tmpdir(), "rebound-synth-test-"));
    const stale = join(outdir, "stacks", "orders", "assets", "old", "stale.zip");
    mkdirSync(join(stale, ".."), { recursive: true });
    writeFileSync(stale, "old");
    const { stackFile } = synthOrders({
      config: testConfig(),
      repoRoot: "/repo",
      outdir,
      bundleDirs: fixtureBundleDirs,
    });
    expect(stackFile).toBe(join(outdir, "stacks", "orders", "cdk.tf.json"));
    const terraform = JSON.parse(readFileSync(stackFile, "utf8"));
    expect(Object.keys(terraform.resource.aws_lambda_function)).toHaveLength(8);
    expect(existsSync(stale)).toBe(false);
    expect(readdirSync(join(outdir, "stacks", "orders", "assets"))).toHaveLength(7);
    // Every function's zip is where its filename says, relative to the stack folder Terraform runs in.
    for (const fn of Object.values(terraform.resource.aws_lambda_function) as { filename: string }[]) {
      expect(existsSync(join(outdir, "stacks", "orders", fn.filename))).toBe(true);
    }
  });

  it("rejects unknown options and a relative repoRoot", () => {
    expect(() => synthOrders({ config: testConfig(), repoRoot: "repo", outDir: "/tmp" } as never)).toThrow(
      /unknown prop "outDir"[\s\S]*repoRoot must be an absolute path/,
    );
  });

  it("fails a real App synthesis (not only Testing.synth) on a policy violation, writing nothing", () => {
    const outdir = mkdtempSync(join(tmpdir(), "rebound-synth-test-"));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "bad");
    new SqsQueue(stack, "plain", { name: "plain" });
    Aspects.of(stack).add(new PolicyAspect());
    expect(() => app.synth()).toThrow(
      /\[bad\/plain\] rebound\/encryption-at-rest: aws_sqs_queue\.plain: no encryption at rest/,
    );
    expect(existsSync(join(outdir, "stacks", "bad", "cdk.tf.json"))).toBe(false);
  });
});
