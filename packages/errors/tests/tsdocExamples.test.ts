import { fileURLToPath } from "node:url";
import {
  exportsWithoutExample,
  markdownExamples,
  tsdocExampleProblems,
  tsdocExamples,
} from "@rebound/testing";
import { describe, expect, it } from "vitest";

// The examples in the TSDoc are what users copy from the API reference: each one is compiled, as a
// module of its own, against the built public entry point (`@rebound/errors`), so it cannot rot.
const packageDir = fileURLToPath(new URL("..", import.meta.url));

describe("TSDoc examples", () => {
  const examples = tsdocExamples(packageDir);

  it("finds the examples of every wrapper", () => {
    const files = new Set(examples.map((example) => example.file));
    for (const file of ["sqsBatchHandler.ts", "httpHandler.ts", "asyncHandler.ts", "streamBatchHandler.ts"]) {
      expect(files).toContain(`src/${file}`);
    }
  });

  it("compiles every example against the public entry point", () => {
    expect(tsdocExampleProblems(packageDir, examples)).toEqual([]);
  }, 60_000);

  it("has an example on every public export", () => {
    expect(exportsWithoutExample(packageDir, "src/index.ts")).toEqual([]);
  }, 60_000);

  it("compiles every ts block of the README against the public entry points", () => {
    const readme = markdownExamples(packageDir);
    expect(readme.length).toBeGreaterThan(0);
    expect(tsdocExampleProblems(packageDir, readme)).toEqual([]);
  }, 60_000);
});
