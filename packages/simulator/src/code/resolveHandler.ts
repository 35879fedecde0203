import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { CodeLoadError } from "./CodeLoadError.js";

/** How Node loads a handler file: `import()` for ES modules, `require` for CommonJS. */
export type ModuleFormat = "esm" | "commonjs";

/** The file and export Lambda's Node.js runtime would load for a `handler` setting. */
export interface ResolvedHandler {
  /** Absolute path of the module file. */
  readonly file: string;
  readonly format: ModuleFormat;
  /** The export to call; dots name nested properties (`handlers.create` → `module.handlers.create`), as Lambda reads them. */
  readonly exportPath: string;
}

/**
 * Resolves a `handler` setting the way Lambda's Node.js runtime does, from the code root
 * (`/var/task` on Lambda): the part up to the last `/` is a folder, the next part up to the first
 * dot is the module, the rest is the export (`src/jobs/index.handler` → `src/jobs/index`, export
 * `handler`). The module is looked for as the runtime looks: the file without extension (CommonJS),
 * then `.js` as CommonJS unless the nearest `package.json` says `"type": "module"`, then `.js` as ES
 * module when it does, then `.mjs`, then `.cjs`.
 *
 * @example
 * ```ts
 * import { resolveHandler } from "@rebound/simulator";
 * resolveHandler(".rebound/code/ab12/task", "src/index.handler", "worker");
 * // { file: ".../task/src/index.mjs", format: "esm", exportPath: "handler" }
 * ```
 */
export function resolveHandler(codeRoot: string, handler: string, functionName: string): ResolvedHandler {
  const slash = handler.lastIndexOf("/");
  const folder = handler.slice(0, slash + 1);
  const moduleAndExport = handler.slice(slash + 1);
  const dot = moduleAndExport.indexOf(".");
  const moduleName = moduleAndExport.slice(0, dot);
  const exportPath = moduleAndExport.slice(dot + 1);
  if (dot <= 0 || exportPath === "" || exportPath.endsWith(".")) {
    throw new CodeLoadError(
      `function ${functionName}: handler "${handler}" is malformed (Lambda reports Runtime.MalformedHandlerName); ` +
        `write it as <path/to/file>.<export>, e.g. ${folder}index.handler`,
    );
  }
  const base = resolve(codeRoot, folder, moduleName);
  if (relative(codeRoot, base).startsWith(`..${sep}`)) {
    throw new CodeLoadError(
      `function ${functionName}: handler "${handler}" points outside the code root; name a file inside the zip`,
    );
  }
  const isFile = (path: string): boolean => existsSync(path) && statSync(path).isFile();
  const typeModule = nearestTypeIsModule(dirname(base), codeRoot);
  const candidates: [string, ModuleFormat][] = [
    [base, "commonjs"],
    [`${base}.js`, typeModule ? "esm" : "commonjs"],
    [`${base}.mjs`, "esm"],
    [`${base}.cjs`, "commonjs"],
  ];
  for (const [file, format] of candidates) if (isFile(file)) return { file, format, exportPath };
  const tried = candidates.map(([file]) => relative(codeRoot, file)).join(", ");
  throw new CodeLoadError(
    `function ${functionName}: handler "${handler}" names a file that is not in its code (looked for ${tried} ` +
      `in ${codeRoot}); Lambda would fail with Runtime.ImportModuleError. Fix the handler setting or put the file in the zip`,
  );
}

/** Whether the nearest package.json above `dir` (up to the code root) says `"type": "module"`. */
function nearestTypeIsModule(dir: string, codeRoot: string): boolean {
  for (let current = dir; ; current = dirname(current)) {
    const manifest = join(current, "package.json");
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, "utf8")) as { type?: unknown }).type === "module";
      } catch {
        return false; // Node treats an unreadable package.json as no type; the import then reports it.
      }
    }
    if (current === codeRoot || dirname(current) === current) return false;
  }
}
