import { join, resolve } from "node:path";
import { explainStack, formatPolicies } from "../report/explain.js";
import { DEFAULT_STACK_PATH } from "../run/runDefaults.js";
import { ExitCode, type ExitCodeValue } from "./exitCodes.js";
import { findRepoRoot } from "./repoRoot.js";
import { checkStackLoads, readStack } from "./stackInput.js";

/**
 * `rebound explain`: prints every function's retry policy, then checks the stack the way `simulate`
 * would, so a stack `simulate` rejects (a redrive cycle, an unresolvable reference) still gets its
 * policies printed, followed by the problem, and exits 2.
 *
 * @example
 * ```ts
 * process.exitCode = explainCommand({ stack: "infra/cdktf.out/stacks/orders/cdk.tf.json" });
 * ```
 */
export function explainCommand(flags: { readonly stack?: string }): ExitCodeValue {
  const path = flags.stack !== undefined ? resolve(flags.stack) : join(findRepoRoot(), DEFAULT_STACK_PATH);
  const tf = readStack(path, flags.stack !== undefined ? "--stack" : "stack");
  console.log(`Retry policy of ${path}\n`);
  console.log(formatPolicies(explainStack(tf)));
  checkStackLoads(tf, path);
  return ExitCode.Ok;
}
