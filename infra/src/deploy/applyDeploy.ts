import { existsSync } from "node:fs";
import { join } from "node:path";
import { DeployError } from "../errors.js";
import { PLAN_FILE } from "./planDeploy.js";
import { Terraform } from "./Terraform.js";
import { verifyStack } from "./verifyStack.js";

/** Options of {@link applyDeploy}. */
export interface ApplyDeployOptions {
  readonly stackDir: string;
  readonly environment: string;
  readonly terraformBinary?: string;
}

/**
 * Applies the plan `planDeploy` saved, and nothing else: without a saved plan it refuses instead of
 * planning anew, so what runs is exactly what was shown. Terraform itself refuses a saved plan whose
 * state has changed since.
 *
 * @example
 * ```ts
 * import { applyDeploy } from "@rebound/infra/deploy/applyDeploy";
 * applyDeploy({ stackDir: "infra/cdktf.out/stacks/orders", environment: "prod" });
 * ```
 */
export function applyDeploy(options: ApplyDeployOptions): void {
  verifyStack(options.stackDir, { environment: options.environment, requireRemoteState: true });
  if (!existsSync(join(options.stackDir, PLAN_FILE))) {
    throw new DeployError(
      `No saved plan at ${join(options.stackDir, PLAN_FILE)}: run deploy:plan first and read it; apply only applies a saved plan`,
    );
  }
  new Terraform({
    dir: options.stackDir,
    ...(options.terraformBinary !== undefined ? { binary: options.terraformBinary } : {}),
  }).run(["apply", "-input=false", "-no-color", "-lock-timeout=5m", PLAN_FILE]);
}
