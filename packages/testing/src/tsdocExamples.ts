import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/** One ```ts block of an `@example` tag, where it is written. */
export interface TsdocExample {
  /** The source file, relative to the package folder. */
  readonly file: string;
  /** 1-based line of the block's first code line in that file. */
  readonly line: number;
  readonly code: string;
}

/**
 * Every ```ts block inside an `@example` tag of the TSDoc comments under `packageDir/src`: the
 * examples users copy, as they read them in the API reference.
 *
 * @example
 * ```ts
 * import { tsdocExamples } from "@rebound/testing";
 * console.log(tsdocExamples("packages/errors").length);
 * ```
 */
export function tsdocExamples(packageDir: string): TsdocExample[] {
  const examples: TsdocExample[] = [];
  for (const file of sourceFiles(join(packageDir, "src"))) {
    const lines = readFileSync(file, "utf8").split("\n");
    let inComment = false;
    let inExample = false;
    let block: { line: number; code: string[] } | undefined;
    lines.forEach((raw, index) => {
      if (!inComment && /^\s*\/\*\*/.test(raw)) inComment = true;
      if (!inComment) return;
      // The comment's text without its leading " * ", keeping the code's own indentation.
      const text = raw.replace(/^\s*\/?\*+\/?\s?/, "");
      if (block) {
        if (/^```\s*$/.test(text.trim())) {
          examples.push({ file: relative(packageDir, file), line: block.line, code: block.code.join("\n") });
          block = undefined;
        } else block.code.push(text);
      } else if (/^@\w+/.test(text.trim())) {
        inExample = text.trim().startsWith("@example");
      } else if (inExample && /^```(ts|typescript)\s*$/.test(text.trim())) {
        block = { line: index + 2, code: [] };
      }
      if (/\*\/\s*$/.test(raw)) {
        inComment = false;
        inExample = false;
        block = undefined;
      }
    });
  }
  return examples;
}

/**
 * Every ```ts block of the markdown file `file` of the package (its README by default): the examples
 * users read on npm, checked like the TSDoc ones. Blocks that are not meant to compile use another
 * fence (```text, ```sh).
 *
 * @example
 * ```ts
 * import { markdownExamples, tsdocExampleProblems } from "@rebound/testing";
 * const problems = tsdocExampleProblems("packages/errors", markdownExamples("packages/errors"));
 * ```
 */
export function markdownExamples(packageDir: string, file = "README.md"): TsdocExample[] {
  const examples: TsdocExample[] = [];
  let block: { line: number; code: string[] } | undefined;
  readFileSync(join(packageDir, file), "utf8")
    .split("\n")
    .forEach((text, index) => {
      if (block) {
        if (/^```\s*$/.test(text)) {
          examples.push({ file, line: block.line, code: block.code.join("\n") });
          block = undefined;
        } else block.code.push(text);
      } else if (/^```(ts|typescript)\s*$/.test(text)) block = { line: index + 2, code: [] };
    });
  return examples;
}

/**
 * Typechecks every TSDoc example of the package at `packageDir` as its own ES module, with the
 * repository's strict settings, placed inside the package so that `import ... from "<its name>"`
 * resolves through its `exports` map to the built declarations: an example compiles against the
 * public entry points exactly as a user's code would, so it cannot rot. Returns one line per problem
 * (`src/file.ts:LINE: TS2304 Cannot find name 'x'`), empty when every example compiles. Examples
 * must be complete: what they do not define themselves they `declare`.
 *
 * @example
 * ```ts
 * import { tsdocExampleProblems } from "@rebound/testing";
 * const problems = tsdocExampleProblems("packages/errors");
 * if (problems.length > 0) throw new Error(problems.join("\n"));
 * ```
 */
export function tsdocExampleProblems(packageDir: string, examples = tsdocExamples(packageDir)): string[] {
  const problems: string[] = [];
  const virtual = new Map<string, TsdocExample>();
  examples.forEach((example, index) => {
    for (const match of example.code.matchAll(/from\s+["'](\.[^"']*)["']/g)) {
      problems.push(
        `${example.file}:${example.line}: imports "${match[1]}"; examples import the package by its name`,
      );
    }
    virtual.set(join(packageDir, "tsdoc-examples", `example-${index}.ts`), example);
  });
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2023.d.ts"],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    moduleDetection: ts.ModuleDetectionKind.Force,
    strict: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) => {
    const example = virtual.get(name);
    return example
      ? ts.createSourceFile(name, example.code, language)
      : getSourceFile(name, language, ...rest);
  };
  host.fileExists = (name) => virtual.has(name) || fileExists(name);
  host.readFile = (name) => virtual.get(name)?.code ?? readFile(name);
  const program = ts.createProgram([...virtual.keys()], options, host);
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const example = diagnostic.file && virtual.get(diagnostic.file.fileName);
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
    if (!example || diagnostic.start === undefined) {
      problems.push(`TS${diagnostic.code} ${message}`);
      continue;
    }
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start);
    problems.push(`${example.file}:${example.line + line}: TS${diagnostic.code} ${message}`);
  }
  return problems;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? sourceFiles(join(dir, entry.name))
        : entry.name.endsWith(".ts")
          ? [join(dir, entry.name)]
          : [],
    )
    .filter((file) => !file.endsWith(".d.ts"))
    .sort();
}

/**
 * The names exported by the entry point `entry` (a source file of the package, e.g. `src/index.ts`)
 * whose declaration has no `@example` in its TSDoc: every public export should show its use.
 *
 * @example
 * ```ts
 * import { exportsWithoutExample } from "@rebound/testing";
 * console.log(exportsWithoutExample("packages/errors", "src/index.ts")); // [] when every export has one
 * ```
 */
export function exportsWithoutExample(packageDir: string, entry: string): string[] {
  const file = join(packageDir, entry);
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) return [`${entry}: not a module`];
  return checker
    .getExportsOfModule(moduleSymbol)
    .filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return !(target.declarations ?? []).some((declaration) =>
        ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === "example"),
      );
    })
    .map((symbol) => symbol.name)
    .sort();
}
