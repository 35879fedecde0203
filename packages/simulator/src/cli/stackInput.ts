import { join, resolve } from "node:path";
import { SimulatorError } from "../engine/errors.js";
import { scripted } from "../lambda/scripted.js";
import { providerRegion } from "../run/providerRegion.js";
import { DEFAULT_STACK_PATH, SIMULATED_ACCOUNT_ID, STREAM_LABEL } from "../run/runDefaults.js";
import { loadStack } from "../terraform/loadStack.js";
import { StackRejectedError } from "../terraform/StackRejectedError.js";
import { type TerraformFileKind, TerraformJson } from "../terraform/TerraformJson.js";
import { Topology } from "../topology/Topology.js";
import { InputError } from "./exitCodes.js";
import { checkInputFile, MAX_STACK_BYTES } from "./inputFiles.js";

/** The stack a command reads, as its flags name it. */
export interface StackChoice {
  /** Absolute path of the file. */
  readonly path: string;
  /** How messages name it: "--stack", "--plan" or "stack" (the default one). */
  readonly what: string;
  /** What the file must be: a Terraform JSON (`--stack`), a plan JSON (`--plan`), or either. */
  readonly kind: TerraformFileKind;
  /** Whether a flag named it (false: the default synthesized stack). */
  readonly explicit: boolean;
}

/**
 * The stack named by `--stack` or `--plan` (the command line refuses both at once), or the
 * synthesized orders stack below the repository root.
 *
 * @example
 * ```ts
 * const choice = stackChoice("/repo", { plan: "plan.json" }); // { kind: "plan", what: "--plan", ... }
 * ```
 */
export function stackChoice(
  root: string,
  flags: { readonly stack?: string; readonly plan?: string },
): StackChoice {
  if (flags.plan !== undefined)
    return { path: resolve(flags.plan), what: "--plan", kind: "plan", explicit: true };
  if (flags.stack !== undefined)
    return { path: resolve(flags.stack), what: "--stack", kind: "stack", explicit: true };
  return { path: join(root, DEFAULT_STACK_PATH), what: "stack", kind: "either", explicit: false };
}

/**
 * Reads a stack file for a command: checked by `stat` first (exists, a file, at most
 * `MAX_STACK_BYTES`), parsed, and refused unless it holds Terraform resources. Every problem is an
 * `InputError` or `SimulatorError` naming the file.
 *
 * @param what how messages name the file ("--stack", "stack of scenarios/x.yaml")
 * @example
 * ```ts
 * const tf = readStack("infra/cdktf.out/stacks/orders/cdk.tf.json", "--stack");
 * ```
 */
export function readStack(path: string, what: string, kind: TerraformFileKind = "either"): TerraformJson {
  checkInputFile(path, what, MAX_STACK_BYTES);
  let tf: TerraformJson;
  try {
    tf = TerraformJson.load(path, kind);
  } catch (error) {
    if (error instanceof RangeError)
      throw new InputError([`${what} ${path} is nested too deeply to read; is it really Terraform JSON?`]);
    throw error;
  }
  if (tf.resources.length === 0) {
    throw new InputError([
      `${what} ${path} has no "resource" object, so it is not a Terraform JSON configuration; ` +
        "pass the cdk.tf.json that `cdktf synth` writes (pnpm synth)",
    ]);
  }
  return tf;
}

/**
 * Builds the stack once on a throwaway topology with scripted functions, so every problem `simulate`
 * would meet while wiring it (an unresolvable reference, a redrive cycle, a setting out of AWS's
 * range) is found before anything runs, and `explain` rejects the same stacks `simulate` does.
 * With `acceptRejections` (a scenario that expects AWS to refuse the stack), what AWS would refuse
 * is returned as lines instead of thrown; anything else still throws.
 *
 * @example
 * ```ts
 * checkStackLoads(readStack(path, "--stack"), path);
 * const refusals = checkStackLoads(tf, path, { acceptRejections: true }); // [] when AWS accepts it
 * ```
 */
export function checkStackLoads(
  tf: TerraformJson,
  path: string,
  options: { readonly acceptRejections?: boolean } = {},
): string[] {
  try {
    const region = providerRegion(tf) ?? "eu-west-1";
    loadStack(tf, new Topology({ seed: 1, region, accountId: SIMULATED_ACCOUNT_ID }), {
      identity: {
        region,
        accountId: SIMULATED_ACCOUNT_ID,
        endpointUrl: "http://127.0.0.1:1",
        streamLabel: STREAM_LABEL,
      },
      handlerFor: () => scripted.succeed(),
    });
    return [];
  } catch (error) {
    if (error instanceof RangeError)
      throw new InputError([`${path}: references nest too deeply to resolve; look for a reference cycle`]);
    if (error instanceof StackRejectedError && options.acceptRejections === true) return error.lines();
    if (error instanceof StackRejectedError)
      throw new InputError(
        error.lines().map((line) => `${path}: ${line}`),
        { cause: error },
      );
    if (error instanceof SimulatorError && !(error instanceof InputError))
      throw new InputError([`${path}: ${error.message}`], { cause: error });
    throw error;
  }
}
