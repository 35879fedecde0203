import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseScenario, runScenario } from "../../src/index.js";

// Every conformance scenario (one AWS rule each, on its own hand-written stack) holds.
const DIR = fileURLToPath(new URL("../../../../scenarios/conformance/", import.meta.url));
const FILES = readdirSync(DIR)
  .filter((file) => file.endsWith(".yaml"))
  .sort();

describe("conformance scenarios in scenarios/conformance", () => {
  it("are there, one per rule, each citing its source", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(6);
    for (const file of FILES)
      expect(readFileSync(`${DIR}${file}`, "utf8")).toMatch(/# Source: docs\/aws-semantics\.md#/);
  });

  it.each(FILES)("%s meets every expectation", async (file) => {
    const scenario = parseScenario(readFileSync(`${DIR}${file}`, "utf8"), `${DIR}${file}`);
    const result = await runScenario(scenario, { repoRoot: DIR });
    expect(result.expectations.filter((expectation) => !expectation.ok)).toEqual([]);
    expect(result.expectations.length).toBeGreaterThanOrEqual(2);
  });
});
