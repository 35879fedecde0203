import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The repository the command runs in: the nearest folder at or above the working directory with
 * `apps/` and `infra/`, else the working directory.
 *
 * @example
 * ```ts
 * const stack = join(findRepoRoot(), DEFAULT_STACK_PATH);
 * ```
 */
export function findRepoRoot(): string {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "apps")) && existsSync(join(dir, "infra"))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

/**
 * A command line argument quoted for POSIX shells when it needs it, so a printed command runs as
 * printed.
 *
 * @example
 * ```ts
 * shellArgument("scenarios/my run.yaml"); // "'scenarios/my run.yaml'"
 * ```
 */
export function shellArgument(text: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
