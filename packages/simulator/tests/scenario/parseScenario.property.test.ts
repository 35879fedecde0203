import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/parseScenario.js";
import { ScenarioError } from "../../src/scenario/ScenarioError.js";

const SCENARIOS_DIR = fileURLToPath(new URL("../../../../scenarios/", import.meta.url));
const SOURCES = readdirSync(SCENARIOS_DIR)
  .filter((name) => name.endsWith(".yaml"))
  .map((name) => readFileSync(`${SCENARIOS_DIR}${name}`, "utf8"));

/** Edits a user might make by mistake: drop, duplicate or swap lines, change a character, cut the file. */
const edit = fc.oneof(
  fc.record({ type: fc.constant("drop-line" as const), at: fc.nat() }),
  fc.record({ type: fc.constant("duplicate-line" as const), at: fc.nat() }),
  fc.record({ type: fc.constant("swap-lines" as const), at: fc.nat() }),
  fc.record({
    type: fc.constant("replace-char" as const),
    at: fc.nat(),
    char: fc.constantFrom("-", ":", " ", "[", "{", "x", "9", "\t", "'", "}"),
  }),
  fc.record({ type: fc.constant("truncate" as const), at: fc.nat() }),
);

function apply(text: string, edits: readonly { type: string; at: number; char?: string }[]): string {
  let result = text;
  for (const change of edits) {
    const lines = result.split("\n");
    const line = change.at % Math.max(1, lines.length);
    switch (change.type) {
      case "drop-line":
        lines.splice(line, 1);
        result = lines.join("\n");
        break;
      case "duplicate-line":
        lines.splice(line, 0, lines[line] ?? "");
        result = lines.join("\n");
        break;
      case "swap-lines":
        [lines[line], lines[(line + 1) % lines.length]] = [
          lines[(line + 1) % lines.length] ?? "",
          lines[line] ?? "",
        ];
        result = lines.join("\n");
        break;
      case "replace-char": {
        const index = change.at % Math.max(1, result.length);
        result = result.slice(0, index) + (change.char ?? "x") + result.slice(index + 1);
        break;
      }
      case "truncate":
        result = result.slice(0, change.at % Math.max(1, result.length));
        break;
    }
  }
  return result;
}

describe("parseScenario on damaged files (property)", () => {
  it("either parses or throws one ScenarioError whose every issue points inside the file", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SOURCES),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        (source, edits) => {
          const text = apply(source, edits);
          const lineCount = text.split("\n").length;
          try {
            parseScenario(text, "scenarios/damaged.yaml");
          } catch (error) {
            expect(error).toBeInstanceOf(ScenarioError);
            const issues = (error as ScenarioError).issues;
            expect(issues.length).toBeGreaterThan(0);
            for (const issue of issues) {
              expect(issue.file).toBe("scenarios/damaged.yaml");
              expect(issue.line).toBeGreaterThanOrEqual(1);
              expect(issue.line).toBeLessThanOrEqual(lineCount);
              expect(issue.column).toBeGreaterThanOrEqual(1);
              expect(issue.message.length).toBeGreaterThan(10);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
