import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Terraform } from "./Terraform.js";
import { type StackSummary, verifyStack } from "./verifyStack.js";

/** The saved plan's file name in the stack folder; `applyDeploy` applies exactly this file. */
export const PLAN_FILE = "orders.tfplan";
/** The plan as text, next to the saved plan. */
export const PLAN_TEXT_FILE = "orders.tfplan.txt";

/** Options of {@link planDeploy}. */
export interface PlanDeployOptions {
  readonly stackDir: string;
  readonly environment: string;
  readonly terraformBinary?: string;
  /** A Markdown file to append the plan to (GitHub's $GITHUB_STEP_SUMMARY). Default none. */
  readonly summaryFile?: string;
}

/**
 * Plans a deploy against the real state (needs AWS credentials): refuses a stack that is not
 * `environment`'s or keeps local state, runs `terraform init` with the stack's S3 backend and
 * `terraform plan -out`, and writes the plan as text beside it (and to `summaryFile`).
 *
 * @example
 * ```ts
 * import { planDeploy } from "@rebound/infra/deploy/planDeploy";
 * planDeploy({ stackDir: "infra/cdktf.out/stacks/orders", environment: "prod", summaryFile: process.env.GITHUB_STEP_SUMMARY });
 * ```
 */
export function planDeploy(options: PlanDeployOptions): StackSummary & { readonly planText: string } {
  const summary = verifyStack(options.stackDir, {
    environment: options.environment,
    requireRemoteState: true,
  });
  const terraform = new Terraform({
    dir: options.stackDir,
    ...(options.terraformBinary !== undefined ? { binary: options.terraformBinary } : {}),
  });
  terraform.run(["init", "-input=false", "-no-color"]);
  terraform.run(["plan", "-input=false", "-no-color", "-lock-timeout=5m", `-out=${PLAN_FILE}`]);
  const planText = terraform.run(["show", "-no-color", PLAN_FILE], true);
  writeFileSync(join(options.stackDir, PLAN_TEXT_FILE), planText);
  if (options.summaryFile !== undefined) {
    const changes = planText.split("\n").find((line) => /^(Plan:|No changes\.)/.test(line)) ?? "";
    const backend =
      summary.backend === "local" ? "local" : `s3://${summary.backend.bucket}/${summary.backend.key}`;
    appendFileSync(
      options.summaryFile,
      `## Terraform plan for ${summary.environment}\n\nState: \`${backend}\`. ${changes}\n\n<details><summary>Full plan</summary>\n\n\`\`\`\n${planText}\n\`\`\`\n\n</details>\n`,
    );
  }
  return { ...summary, planText };
}
