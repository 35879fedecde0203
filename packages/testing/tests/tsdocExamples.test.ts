import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  exportsWithoutExample,
  markdownExamples,
  tsdocExampleProblems,
  tsdocExamples,
} from "../src/index.js";

// A throwaway package: its name resolves to its own source through "exports", as a built package's
// name resolves to its declarations.
function fakePackage(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tsdoc-examples-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "fake-pkg", type: "module", exports: { ".": "./src/index.ts" } }),
  );
  writeFileSync(join(dir, "src", "index.ts"), source);
  return dir;
}

const source = `
/**
 * Adds.
 *
 * @example
 * \`\`\`ts
 * import { add } from "fake-pkg";
 * const three: number = add(1, 2);
 * \`\`\`
 */
export function add(a: number, b: number): number {
  return a + b;
}

/**
 * Broken on purpose.
 *
 * @example
 * \`\`\`ts
 * import { add } from "fake-pkg";
 * const text: string = add(1, 2);
 * console.log(notDefinedAnywhere);
 * \`\`\`
 */
export const two = 2;

/** No example. */
export const three = 3;
`;

describe("tsdocExamples", () => {
  it("extracts each ts block of an @example tag with the line of its first code line", () => {
    const examples = tsdocExamples(fakePackage(source));
    expect(examples.map(({ file, line }) => ({ file, line }))).toEqual([
      { file: "src/index.ts", line: 7 },
      { file: "src/index.ts", line: 20 },
    ]);
    expect(examples[0]?.code).toBe('import { add } from "fake-pkg";\nconst three: number = add(1, 2);');
  });
});

describe("tsdocExampleProblems", () => {
  it("reports each type error at its line in the source file, and nothing for a correct example", () => {
    const problems = tsdocExampleProblems(fakePackage(source));
    expect(problems).toEqual([
      expect.stringMatching(/^src\/index\.ts:21: TS2322 Type 'number' is not assignable to type 'string'/),
      expect.stringMatching(/^src\/index\.ts:22: TS2304 Cannot find name 'notDefinedAnywhere'/),
    ]);
  });

  it("rejects an example that imports a relative path instead of the package name", () => {
    const dir = fakePackage(
      source.replace(
        'import { add } from "fake-pkg";\n * const three',
        'import { add } from "./index.js";\n * const three',
      ),
    );
    expect(tsdocExampleProblems(dir)).toContainEqual(
      'src/index.ts:7: imports "./index.js"; examples import the package by its name',
    );
  });
});

describe("exportsWithoutExample", () => {
  it("names the exports whose TSDoc has no @example", () => {
    expect(exportsWithoutExample(fakePackage(source), "src/index.ts")).toEqual(["three"]);
  });
});

describe("markdownExamples", () => {
  it("extracts the ts blocks of a README and leaves other fences alone", () => {
    const dir = fakePackage(source);
    writeFileSync(
      join(dir, "README.md"),
      '# fake\n\n```sh\nnpm install fake-pkg\n```\n\n```ts\nimport { add } from "fake-pkg";\nconst text: string = add(1, 2);\n```\n',
    );
    const examples = markdownExamples(dir);
    expect(examples).toEqual([
      {
        file: "README.md",
        line: 8,
        code: 'import { add } from "fake-pkg";\nconst text: string = add(1, 2);',
      },
    ]);
    expect(tsdocExampleProblems(dir, examples)).toEqual([
      expect.stringMatching(/^README\.md:9: TS2322 Type 'number' is not assignable to type 'string'/),
    ]);
  });
});
