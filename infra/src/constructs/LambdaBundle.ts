import { createHash } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { MissingBundleError } from "../errors.js";
import { PropChecks } from "../PropChecks.js";
import { zipDirectory } from "../zipDirectory.js";

/** Props of {@link LambdaBundle}. */
export interface LambdaBundleProps {
  /** App folder under apps/ (`payments-worker`); becomes the `rebound:app` tag of every function using it. */
  readonly app: string;
  /** Folder holding the esbuild output `index.mjs` (apps/<app>/dist). */
  readonly bundleDir: string;
}

/** Files of dist/ that are build metadata, not code: kept out of the deployment package. */
const NOT_DEPLOYED = ["meta.json"];

/**
 * One app's esbuild bundle as a Terraform asset: a deterministic zip of apps/<app>/dist (minus
 * esbuild's meta.json), copied next to cdk.tf.json at synth. Several functions may share one bundle
 * (fulfillment-tasks exports `reserveStock` and `shipOrder`).
 *
 * @example
 * ```ts
 * import { LambdaBundle } from "@rebound/infra/constructs/LambdaBundle";
 * const bundle = new LambdaBundle(stack, "receipts-bundle", { app: "receipts", bundleDir: "/repo/apps/receipts/dist" });
 * bundle.sourceCodeHash; // base64 sha256 of the zip, what Lambda reports as CodeSha256
 * ```
 */
export class LambdaBundle extends Construct {
  public readonly app: string;
  public readonly asset: TerraformAsset;
  /**
   * base64(sha256(zip)), the value Lambda reports as CodeSha256, computed at synth: the zip is
   * deterministic, so an unchanged bundle never redeploys and a changed one always does.
   */
  public readonly sourceCodeHash: string;

  public constructor(scope: Construct, id: string, props: LambdaBundleProps) {
    super(scope, id);
    const checks = new PropChecks(`LambdaBundle ${id}`, props, ["app", "bundleDir"]);
    checks.string("app", props.app, /^[a-z0-9][a-z0-9-]*$/, "an apps/ folder name such as payments-worker");
    checks.throwIfAny();
    if (!existsSync(join(props.bundleDir, "index.mjs")))
      throw new MissingBundleError(props.app, props.bundleDir);
    this.app = props.app;
    const zip = zipDirectory(props.bundleDir, NOT_DEPLOYED);
    const sha256 = createHash("sha256").update(zip).digest();
    this.sourceCodeHash = sha256.toString("base64");
    // Content-addressed, so concurrent syntheses (tests, bench) never see a half-written zip of another bundle.
    const staging = join(tmpdir(), "rebound-lambda-zips");
    mkdirSync(staging, { recursive: true });
    const zipPath = join(staging, `${props.app}-${sha256.toString("hex").slice(0, 16)}.zip`);
    if (!existsSync(zipPath)) writeFileSync(zipPath, zip);
    this.asset = new TerraformAsset(this, "code", { path: zipPath, type: AssetType.FILE });
  }
}
