import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseScenario, runScenario } from "../../src/index.js";

// Behaviour pinned byte for byte: every default scenario, run with its own seed on the synthesized
// stack and the real bundles, must write the same trace as the one kept in tests/run/golden/. A change
// in any model, the loader or the host that alters what AWS would do shows up here as a diff of lines.
// When a change is meant to alter the trace, run `pnpm vitest run -u tests/run/goldenTraces.test.ts`
// and review the diff of the golden files like code.
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const SCENARIOS = readdirSync(`${REPO_ROOT}scenarios`)
  .filter((file) => file.endsWith(".yaml"))
  .sort();
// Each run takes about a second of wall time; the virtual hours are simulated, not waited for.
const RUN_TIMEOUT_MS = 60_000;

async function traceOf(file: string): Promise<string> {
  const path = `scenarios/${file}`;
  const scenario = parseScenario(readFileSync(`${REPO_ROOT}${path}`, "utf8"), path);
  const lines: string[] = [];
  // The handlers log one JSON line per failure to stdout, as in Lambda; kept out of the test output.
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    await runScenario(scenario, { repoRoot: REPO_ROOT, traceSink: (line) => lines.push(line) });
  } finally {
    process.stdout.write = write;
  }
  return `${lines.join("\n")}\n`;
}

describe("golden traces of the default scenarios", () => {
  it("finds the default scenarios", () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(6);
  });

  it.each(SCENARIOS)(
    "%s writes the same trace, line for line, as the golden file",
    async (file) => {
      const trace = await traceOf(file);
      expect(trace.split("\n").length).toBeGreaterThan(40);
      await expect(trace).toMatchFileSnapshot(`golden/${file.replace(/\.yaml$/, ".trace")}`);
    },
    RUN_TIMEOUT_MS,
  );
});
