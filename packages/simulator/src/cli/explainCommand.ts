import { explainStack, type FunctionPolicy, formatPolicies } from "../report/explain.js";
import { ExitCode, type ExitCodeValue, InputError } from "./exitCodes.js";
import { findRepoRoot } from "./repoRoot.js";
import { checkStackLoads, readStack, stackChoice } from "./stackInput.js";

/**
 * What `rebound explain --json` prints: the stack read, every function's policy, and the problems
 * that make `simulate` reject the stack (empty when it would run it).
 */
export interface ExplainJson {
  readonly stack: string;
  readonly functions: readonly FunctionPolicy[];
  readonly problems: readonly string[];
}

/**
 * `rebound explain`: prints every function's retry policy, then checks the stack the way `simulate`
 * would, so a stack `simulate` rejects (a redrive cycle, an unresolvable reference) still gets its
 * policies printed, followed by the problem, and exits 2. With `json`, prints an `ExplainJson`.
 *
 * @example
 * ```ts
 * process.exitCode = explainCommand({ stack: "infra/cdktf.out/stacks/orders/cdk.tf.json", json: true });
 * ```
 */
export function explainCommand(flags: {
  readonly stack?: string;
  readonly plan?: string;
  readonly json?: boolean;
}): ExitCodeValue {
  const { path, what, kind } = stackChoice(findRepoRoot(), flags);
  const tf = readStack(path, what, kind);
  const functions = explainStack(tf);
  let problem: InputError | undefined;
  try {
    checkStackLoads(tf, path);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problem = error;
  }
  if (flags.json) {
    const output: ExplainJson = { stack: path, functions, problems: problem?.problems ?? [] };
    console.log(JSON.stringify(output, null, 2));
  } else {
    console.log(`Retry policy of ${path}\n`);
    console.log(formatPolicies(functions));
  }
  // Printed after the policies: the problem is the last thing on the screen, and the exit status says it.
  if (problem) throw problem;
  return ExitCode.Ok;
}
