import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { safeFileName, safeFileNames } from "../../src/cli/safeFileName.js";
import { rebound, VALID_SCENARIO } from "./cliHarness.js";

const dir = mkdtempSync(join(tmpdir(), "rebound-output-paths-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("safeFileName", () => {
  it.each([
    ["../../etc/passwd", "etc-passwd"],
    ["/etc/abs", "etc-abs"],
    ["a/b\\c", "a-b-c"],
    ["bell\u0007esc\u001b[2Jnl\n", "bell-esc-2Jnl"],
    ["..", "scenario"],
    ["", "scenario"],
    ["C:\\Windows", "C-Windows"],
    ["payment-outage", "payment-outage"],
  ])("%j becomes %j", (name, expected) => {
    expect(safeFileName(name)).toBe(expected);
  });

  it("keeps names apart that map to one file, ignoring case", () => {
    expect(safeFileNames(["a/b", "a-b", "A/B", "c"])).toEqual(["a-b", "a-b-2", "A-B-3", "c"]);
  });

  it("caps the length", () => {
    expect(safeFileName("x".repeat(500)).length).toBe(80);
  });
});

describe("rebound simulate writes only inside the output folders", () => {
  it("turns hostile scenario names into safe file names in --report and --logs, and escapes them on the terminal", () => {
    const work = join(dir, "work");
    const reports = join(work, "reports");
    const logs = join(work, "logs");
    mkdirSync(work);
    const names = ['"../../escape"', '"/etc/absolute"', '"a/b"', '"ring\\a\\e[2J\\u202Eevil"'];
    const files = names.map((name, index) => {
      const path = join(dir, `hostile-${index}.yaml`);
      writeFileSync(path, [`name: ${name}`, ...VALID_SCENARIO.slice(1)].join("\n"));
      return path;
    });
    const run = rebound(["simulate", ...files, "--report", reports, "--logs", logs]);
    expect(run.status, run.stderr + run.stdout).toBe(0);
    expect(readdirSync(work).sort()).toEqual(["logs", "reports"]);
    expect(readdirSync(reports).sort()).toEqual(
      ["a-b.html", "escape.html", "ring-2J-evil.html", "etc-absolute.html"].sort(),
    );
    expect(readdirSync(logs).sort()).toEqual(
      ["a-b.log", "escape.log", "ring-2J-evil.log", "etc-absolute.log"].sort(),
    );
    expect(readdirSync(dir).sort()).toEqual(
      [...files.map((file) => file.slice(dir.length + 1)), "work"].sort(),
    );
    // The terminal sees escapes, never the raw bell, escape sequence or right-to-left override.
    for (const raw of ["\u0007", "\u001b", "\u202e"]) expect(run.stdout).not.toContain(raw);
    expect(run.stdout).toContain("ring\\u{7}\\u{1b}[2J\\u{202e}evil");
  }, 120_000);

  it("a multi-scenario --trace gets one safe suffix per scenario, next to the given file", () => {
    const traces = join(dir, "traces");
    mkdirSync(traces);
    const files = ['"../up"', '"/abs"'].map((name, index) => {
      const path = join(dir, `trace-${index}.yaml`);
      writeFileSync(path, [`name: ${name}`, ...VALID_SCENARIO.slice(1)].join("\n"));
      return path;
    });
    const run = rebound([
      "simulate",
      ...files,
      "--trace",
      join(traces, "run.trace"),
      "--report",
      join(dir, "r2"),
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(traces).sort()).toEqual(["run.trace.abs", "run.trace.up"]);
  }, 120_000);
});
