import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DeployError } from "../errors.js";

/** What a synthesized orders stack says about itself. */
export interface StackSummary {
  /** The `rebound:environment` default tag of the AWS provider. */
  readonly environment: string;
  /** Where Terraform keeps state: the S3 location, or `local`. */
  readonly backend: { readonly bucket: string; readonly key: string; readonly region: string } | "local";
  /** Terraform resources declared (data sources not counted). */
  readonly resourceCount: number;
}

/** Options of {@link verifyStack}. */
export interface VerifyStackOptions {
  /** The environment the caller means to deploy, e.g. `prod`. */
  readonly environment: string;
  /** Refuse a stack whose state is local (every real plan and apply). */
  readonly requireRemoteState: boolean;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Reads `<stackDir>/cdk.tf.json` and refuses it unless it is the stack of `environment` (the AWS
 * provider's `rebound:environment` tag) and, when asked, keeps its state in S3 with locking. This is
 * the check that a synthesis which silently fell back to dev or to local state never reaches a plan.
 *
 * @example
 * ```ts
 * import { verifyStack } from "@rebound/infra/deploy/verifyStack";
 * const summary = verifyStack("infra/cdktf.out/stacks/orders", { environment: "prod", requireRemoteState: true });
 * ```
 */
export function verifyStack(stackDir: string, options: VerifyStackOptions): StackSummary {
  const file = join(stackDir, "cdk.tf.json");
  if (!existsSync(file)) {
    throw new DeployError(
      `No synthesized stack at ${file}: synthesize it first (REBOUND_ENV=${options.environment} pnpm exec turbo run build synth)`,
    );
  }
  let stack: unknown;
  try {
    stack = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new DeployError(`${file} is not JSON: synthesize it again`, { cause: error });
  }
  const root = isObject(stack) ? stack : {};
  const providers = isObject(root.provider) ? root.provider.aws : undefined;
  const provider = Array.isArray(providers) && isObject(providers[0]) ? providers[0] : {};
  const defaultTags = Array.isArray(provider.default_tags) ? provider.default_tags[0] : provider.default_tags;
  const tags = isObject(defaultTags) && isObject(defaultTags.tags) ? defaultTags.tags : {};
  const environment =
    typeof tags["rebound:environment"] === "string" ? tags["rebound:environment"] : "unknown";
  if (environment !== options.environment) {
    throw new DeployError(
      `${file} is the ${environment} stack, not ${options.environment}: synthesize with REBOUND_ENV=${options.environment} ` +
        "(through turbo, whose turbo.json must list every REBOUND_* variable under the synth task's env)",
    );
  }
  const terraform = isObject(root.terraform) ? root.terraform : {};
  const s3 = isObject(terraform.backend) && isObject(terraform.backend.s3) ? terraform.backend.s3 : undefined;
  const backend =
    s3 === undefined
      ? ("local" as const)
      : { bucket: String(s3.bucket), key: String(s3.key), region: String(s3.region) };
  if (options.requireRemoteState) {
    if (s3 === undefined) {
      throw new DeployError(
        `${file} keeps Terraform state locally, which would be lost with the runner: set REBOUND_STATE_BUCKET (and list it in the configuration's requiredVariables) and synthesize again`,
      );
    }
    if (s3.use_lockfile !== true && typeof s3.dynamodb_table !== "string") {
      throw new DeployError(
        `${file} keeps state in s3://${String(s3.bucket)} without locking: set REBOUND_STATE_USE_LOCKFILE=true or REBOUND_STATE_LOCK_TABLE and synthesize again`,
      );
    }
  }
  const resources = isObject(root.resource) ? root.resource : {};
  const resourceCount = Object.values(resources).reduce<number>(
    (sum, byName) => sum + (isObject(byName) ? Object.keys(byName).length : 0),
    0,
  );
  return { environment, backend, resourceCount };
}
