import { spawnSync } from "node:child_process";
import { DeployError } from "../errors.js";

/** Options of {@link Terraform}. */
export interface TerraformOptions {
  /** The folder Terraform runs in (`-chdir`). */
  readonly dir: string;
  /** The terraform binary. Default `terraform` from PATH. */
  readonly binary?: string;
  /** Extra environment (TF_CLI_CONFIG_FILE and the like) on top of this process's. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs Terraform commands in one folder, never asking for input, and turns a failed command into a
 * {@link DeployError} that names it. Output goes to this process's output unless captured.
 *
 * @example
 * ```ts
 * import { Terraform } from "@rebound/infra/deploy/Terraform";
 * const terraform = new Terraform({ dir: "infra/cdktf.out/stacks/orders" });
 * terraform.run(["init", "-input=false"]);
 * ```
 */
export class Terraform {
  private readonly binary: string;

  public constructor(private readonly options: TerraformOptions) {
    this.binary = options.binary ?? "terraform";
  }

  /** Runs one command; with `capture`, returns its stdout instead of printing it. */
  public run(args: readonly string[], capture = false): string {
    const result = spawnSync(this.binary, [`-chdir=${this.options.dir}`, ...args], {
      env: { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", ...this.options.env },
      stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit",
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error !== undefined) {
      throw new DeployError(
        `Cannot run ${this.binary}: ${result.error.message}. Install Terraform >= 1.10 (S3 state locking needs it) and put it on PATH`,
        { cause: result.error },
      );
    }
    if (result.status !== 0) {
      throw new DeployError(
        `terraform ${args.join(" ")} failed (exit ${String(result.status)}) in ${this.options.dir}`,
      );
    }
    return capture ? result.stdout : "";
  }
}
