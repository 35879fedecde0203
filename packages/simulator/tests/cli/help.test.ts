import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commandLine.js";
import { REPO_ROOT, rebound } from "./cliHarness.js";

describe("rebound --help", () => {
  it("lists every command and the exit statuses", () => {
    const run = rebound(["--help"]);
    expect(run.status).toBe(0);
    for (const command of Object.keys(COMMANDS))
      expect(run.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    for (const status of ["0", "1", "2", "3"]) expect(run.stdout).toMatch(new RegExp(`^  ${status}  `, "m"));
  });

  it.each(Object.entries(COMMANDS))("rebound %s --help lists every flag of the command", (command, spec) => {
    const run = rebound([command, "--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Usage: ${spec.usage}`);
    for (const flag of Object.keys(spec.flags)) expect(run.stdout).toMatch(new RegExp(`--${flag}\\b`));
  });

  it("runs as npx rebound from the repository root (the root links the workspace package's bin)", () => {
    const run = spawnSync(join(REPO_ROOT, "node_modules", ".bin", "rebound"), ["simulate", "--help"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("--report DIR");
  });
});
