import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Terraform } from "./Terraform.js";
import { type StackSummary, verifyStack } from "./verifyStack.js";

/** Options of {@link checkOffline}. */
export interface CheckOfflineOptions {
  readonly stackDir: string;
  readonly environment: string;
  /** A filesystem mirror holding registry.terraform.io/hashicorp/aws; default: the provider comes from the registry. */
  readonly providerMirror?: string;
  readonly terraformBinary?: string;
}

/** What the offline check found. */
export interface OfflineCheck extends StackSummary {
  /** Terraform's `Plan: …` line for an empty state. */
  readonly planLine: string;
}

// Local state and dummy credentials with every provider call that needs AWS skipped: the plan runs
// without an account, against empty state, so it proves the configuration is complete and valid.
const OFFLINE_OVERRIDE = {
  terraform: { backend: { local: { path: "offline.tfstate" } } },
  provider: {
    aws: [
      {
        access_key: "offline",
        secret_key: "offline",
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
      },
    ],
  },
};

/**
 * The deploy's checks that need no AWS credentials: the stack is the one for `environment`, then, in a
 * copy of the stack folder with the backend swapped for local state, `terraform init` (from the mirror
 * when given), `validate`, and `plan` against empty state. The copy keeps the real stack folder free of
 * offline state and plans.
 *
 * @example
 * ```ts
 * import { checkOffline } from "@rebound/infra/deploy/checkOffline";
 * checkOffline({ stackDir: "infra/cdktf.out/stacks/orders", environment: "prod", providerMirror: "/opt/tf-plugins" });
 * ```
 */
export function checkOffline(options: CheckOfflineOptions): OfflineCheck {
  const summary = verifyStack(options.stackDir, {
    environment: options.environment,
    requireRemoteState: false,
  });
  const work = mkdtempSync(join(tmpdir(), "rebound-deploy-check-"));
  try {
    cpSync(options.stackDir, work, { recursive: true });
    rmSync(join(work, ".terraform"), { recursive: true, force: true });
    writeFileSync(join(work, "offline_override.tf.json"), JSON.stringify(OFFLINE_OVERRIDE, null, 2));
    const env: Record<string, string> = {};
    if (options.providerMirror !== undefined) {
      const rc = join(work, "terraformrc");
      writeFileSync(
        rc,
        `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(options.providerMirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
      );
      env.TF_CLI_CONFIG_FILE = rc;
    }
    const terraform = new Terraform({
      dir: work,
      env,
      ...(options.terraformBinary !== undefined ? { binary: options.terraformBinary } : {}),
    });
    terraform.run(["init", "-input=false", "-no-color"], true);
    terraform.run(["validate", "-no-color"]);
    const plan = terraform.run(
      ["plan", "-input=false", "-refresh=false", "-lock=false", "-no-color", "-out=offline.tfplan"],
      true,
    );
    const planLine =
      plan.split("\n").find((line) => line.startsWith("Plan:")) ?? "Plan: (no changes line found)";
    return { ...summary, planLine };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
