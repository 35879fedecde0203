// How the scripts run the pinned pnpm: the one on PATH when it is the pinned version, else through
// npx (cached per user, no global install), as scripts/bootstrap.mjs does on a fresh machine.
import { spawnSync } from "node:child_process";

export const PNPM_VERSION = "12.4.2";

/** [command, leading arguments] that run pnpm PNPM_VERSION from `cwd`. */
export function pnpmCommand(cwd, env = process.env) {
  const probe = spawnSync("pnpm", ["--version"], { cwd, env, encoding: "utf8" });
  if (!probe.error && probe.status === 0 && probe.stdout.trim() === PNPM_VERSION) return ["pnpm", []];
  return ["npx", ["--yes", `pnpm@${PNPM_VERSION}`]];
}
