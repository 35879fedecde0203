import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { starterScenario } from "../run/starterScenario.js";
import { ExitCode, type ExitCodeValue, InputError } from "./exitCodes.js";
import { checkOutputFile } from "./outputFolders.js";
import { findRepoRoot, shellArgument } from "./repoRoot.js";
import { checkStackLoads, readStack, stackChoice } from "./stackInput.js";

/**
 * `rebound init`: writes a starter scenario for the stack (one event per trigger, every event
 * final, nothing dead-lettered) and prints the command that runs it. It never overwrites a file, and
 * refuses a stack `simulate` would refuse, with the same problems.
 *
 * @example
 * ```ts
 * process.exitCode = initCommand({ plan: "plan.json", out: "scenarios/starter.yaml" });
 * ```
 */
export function initCommand(flags: {
  readonly stack?: string;
  readonly plan?: string;
  readonly out?: string;
}): ExitCodeValue {
  const root = findRepoRoot();
  const { path, what, kind, explicit } = stackChoice(root, flags);
  const out = resolve(flags.out ?? join(root, "scenarios", "starter.yaml"));
  if (existsSync(out))
    throw new InputError([`--out ${out} exists already; choose another file or remove it`]);
  const tf = readStack(path, what, kind);
  checkStackLoads(tf, path);
  mkdirSync(dirname(out), { recursive: true });
  checkOutputFile("--out", out);
  writeFileSync(out, starterScenario(tf, { stackPath: path, scenarioPath: out }));
  const shown = relative(process.cwd(), out) || out;
  const stackFlag =
    explicit && kind === "plan" ? ` --plan ${shellArgument(relative(process.cwd(), path))}` : "";
  console.log(`wrote ${shown}; run it with: pnpm rebound simulate ${shellArgument(shown)}${stackFlag}`);
  return ExitCode.Ok;
}
