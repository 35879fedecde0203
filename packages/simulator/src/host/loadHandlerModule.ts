import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { sep } from "node:path";
import { pathToFileURL } from "node:url";
import { HandlerLoadError } from "../aws/errors.js";

/** How a function's handler file is loaded: `import()` for ES modules, `require` for CommonJS. */
export type HandlerModuleFormat = "esm" | "commonjs";

/** One module instance to load. */
export interface HandlerModuleRequest {
  readonly functionName: string;
  readonly file: string;
  readonly format: HandlerModuleFormat;
  /**
   * Query that makes the ES module URL unique to this function, host and (re)initialization:
   * ES modules are cached by URL for the life of the process.
   */
  readonly instanceQuery: string;
  /**
   * Folder whose CommonJS modules belong to this function alone. They are dropped from `require`'s
   * cache before each load, so a re-initialization (after a timeout) gets fresh module state, like
   * a new sandbox. Default: none (the file alone is dropped).
   */
  readonly moduleScope?: string;
}

const requireHere = createRequire(import.meta.url);

/**
 * Loads one fresh instance of a function's module. ES modules are imported under a URL with the
 * instance query; CommonJS files are required after forgetting every cached module under the
 * function's scope folder (Node caches CommonJS by file path and ignores queries, so the cache is
 * the only way to a new instance). A file that does not parse is reported as bad input
 * (`HandlerLoadError`, with the location from `node --check` when the handler file itself is at
 * fault), not as a simulated init failure: it can never run on Lambda either.
 *
 * @example
 * ```ts
 * const exports = await loadHandlerModule({ functionName: "worker", file: ".rebound/code/worker/task/index.js", format: "commonjs", instanceQuery: "function=worker&instance=1" });
 * ```
 */
export async function loadHandlerModule(request: HandlerModuleRequest): Promise<Record<string, unknown>> {
  try {
    if (request.format === "esm") {
      const url = `${pathToFileURL(request.file).href}?${request.instanceQuery}`;
      return (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
    }
    const scope = request.moduleScope === undefined ? undefined : request.moduleScope.replace(/[\\/]*$/, sep);
    for (const key of Object.keys(requireHere.cache)) {
      if (key === request.file || (scope !== undefined && key.startsWith(scope)))
        delete requireHere.cache[key];
    }
    return requireHere(request.file) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    // The handler file itself does not parse (asked of `node --check`, which does not run it: a
    // loader in front of Node may name parse failures its own way), or Node's compiler raised a
    // SyntaxError for a module it imports; otherwise the code threw it, a real init failure.
    const where = checkLocation(request.file);
    if (where !== undefined || (error.name === "SyntaxError" && isCompileError(error)))
      throw syntaxError(request, error, where);
    throw error;
  }
}

/**
 * A SyntaxError raised while compiling (its first frame is Node's compiler), as opposed to one the
 * module's own code threw at load time (`JSON.parse` of a bad variable), which is a real init failure.
 */
function isCompileError(error: Error): boolean {
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  return frames.length === 0 || /compileSourceTextModule|wrapSafe|compileFunction/.test(frames[0]!);
}

function syntaxError(
  request: HandlerModuleRequest,
  error: Error,
  where: { readonly location: string } | undefined,
): HandlerLoadError {
  const detail =
    where === undefined
      ? `a module it imports does not parse (${error.message})`
      : `${where.location} does not parse: ${error.message}`;
  return new HandlerLoadError(
    request.functionName,
    request.file,
    `function "${request.functionName}": ${detail}; Lambda would fail every invocation with ` +
      `Runtime.UserCodeSyntaxError. Fix the code and rebuild the zip (node --check ${request.file} shows the line)`,
  );
}

/** `node --check` on the handler file: the file and line of the first syntax error, if it is in that file. */
function checkLocation(file: string): { readonly location: string } | undefined {
  try {
    execFileSync(process.execPath, ["--check", file], { stdio: "pipe", timeout: 10_000 });
    return undefined;
  } catch (error) {
    const output = String((error as { stderr?: Buffer }).stderr ?? "");
    const location = /^(.+:\d+)$/m.exec(output)?.[1];
    return { location: location ?? file };
  }
}
