// What a published package must look like, checked on the tarball `pnpm pack` makes (the bytes that
// `npm publish` uploads). Used by the consumer test and by the release before publishing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, normalize, relative } from "node:path";

const DEPENDENCY_FIELDS = ["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"];
// Files a user of the package needs besides the code.
const REQUIRED_FILES = ["package.json", "README.md", "LICENSE"];

/** The workspace packages under packages/ that are not private: the ones we publish. */
export function publicPackages(root) {
  const dir = join(root, "packages");
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((pkgDir) => existsSync(join(pkgDir, "package.json")))
    .map((pkgDir) => ({
      dir: pkgDir,
      manifest: JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")),
    }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir: pkgDir, manifest }) => ({
      dir: pkgDir,
      name: manifest.name,
      version: manifest.version,
      manifest,
    }));
}

/**
 * Unpacks `tarball` into `into` and returns every problem found, each a sentence saying what is wrong
 * and how to fix it (empty when the package is publishable).
 */
export function checkTarball(tarball, into) {
  mkdirSync(into, { recursive: true });
  const untar = spawnSync("tar", ["-xzf", tarball, "-C", into], { encoding: "utf8" });
  if (untar.status !== 0) return [`cannot unpack ${tarball}: ${untar.stderr}`];
  const dir = join(into, "package");
  const problems = [];
  const has = (file) => existsSync(join(dir, file)) && statSync(join(dir, file)).isFile();

  for (const file of REQUIRED_FILES) {
    if (!has(file))
      problems.push(`${file} is missing from the tarball; add it to the package folder (and to "files")`);
  }
  if (!has("package.json")) return problems;
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, spec] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|link|file|catalog):/.test(spec)) {
        problems.push(
          `${field}.${name} is "${spec}" in the published package.json: npm cannot install it; publish with pnpm (pack/publish rewrite it) and pin a version`,
        );
      }
    }
  }
  if (!manifest.exports)
    problems.push(`no "exports" map: add one so consumers get the public entry points only`);
  for (const [subpath, target] of exportTargets(manifest.exports ?? {})) {
    if (!has(target))
      problems.push(
        `exports["${subpath}"] points to ${target}, which is not in the tarball; build first or fix "files"`,
      );
  }
  for (const [subpath, conditions] of Object.entries(subpathConditions(manifest.exports ?? {}))) {
    if (!conditions.has("types"))
      problems.push(`exports["${subpath}"] has no "types" condition: TypeScript users get no types`);
  }
  const bins = typeof manifest.bin === "string" ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {});
  for (const [name, target] of Object.entries(bins)) {
    if (!has(target)) problems.push(`bin "${name}" points to ${target}, which is not in the tarball`);
    else if (!readFileSync(join(dir, target), "utf8").startsWith("#!")) {
      problems.push(`bin "${name}" (${target}) has no #! line: npm's shim cannot run it`);
    }
  }

  const declared = new Set([
    manifest.name,
    ...DEPENDENCY_FIELDS.slice(0, 3).flatMap((f) => Object.keys(manifest[f] ?? {})),
  ]);
  for (const file of listFiles(dir)) {
    if (!/\.(js|d\.ts)$/.test(file)) continue;
    const text = readFileSync(join(dir, file), "utf8");
    for (const specifier of importsOf(text)) {
      if (specifier.startsWith(".")) {
        const target = normalize(join(dirname(file), specifier));
        const candidates = file.endsWith(".d.ts") ? [target.replace(/\.js$/, ".d.ts"), target] : [target];
        if (!candidates.some(has)) problems.push(`${file} imports ${specifier}, which is not in the tarball`);
      } else if (!isBuiltin(specifier) && !isDeclared(declared, packageNameOf(specifier), file)) {
        problems.push(
          `${file} imports "${specifier}" but ${packageNameOf(specifier)} is not in dependencies or peerDependencies`,
        );
      }
    }
    const map = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
    if (map && !map.startsWith("data:")) {
      const mapFile = normalize(join(dirname(file), map));
      if (!has(mapFile)) problems.push(`${file} names the source map ${map}, which is not in the tarball`);
      else {
        for (const source of JSON.parse(readFileSync(join(dir, mapFile), "utf8")).sources ?? []) {
          const sourceFile = normalize(join(dirname(mapFile), source));
          if (!has(sourceFile))
            problems.push(`${mapFile} maps to ${source}, which is not in the tarball; add "src" to "files"`);
        }
      }
    }
  }
  return problems;
}

// Every file path an exports map can resolve to, with the subpath that leads there.
function exportTargets(exports, subpath = ".") {
  if (typeof exports === "string") return [[subpath, exports]];
  if (exports === null || typeof exports !== "object") return [];
  return Object.entries(exports).flatMap(([key, value]) =>
    exportTargets(value, key.startsWith(".") ? key : subpath),
  );
}

function subpathConditions(exports) {
  const bySubpath = {};
  const entries = Object.keys(exports).some((key) => key.startsWith("."))
    ? Object.entries(exports)
    : [[".", exports]];
  for (const [subpath, value] of entries) {
    bySubpath[subpath] = new Set(typeof value === "object" && value !== null ? Object.keys(value) : []);
  }
  return bySubpath;
}

function listFiles(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name), base) : [relative(base, join(dir, entry.name))],
  );
}

// Module specifiers of code, not of comments: static imports and re-exports start a line in tsc's
// output (and may span lines up to their `from`); dynamic imports and createRequire(...)("x") calls
// may sit anywhere on a code line. TSDoc examples sit on comment lines (" * import ..."): skipped.
function importsOf(text) {
  const specifiers = [];
  for (const match of text.matchAll(
    /^(?:import|export)\b[^;"']*?\bfrom\s*["']([^"']+)["']|^import\s*["']([^"']+)["']/gm,
  )) {
    specifiers.push(match[1] ?? match[2]);
  }
  for (const line of text.split("\n")) {
    if (/^\s*(\*|\/\/|\/\*)/.test(line)) continue;
    for (const match of line.matchAll(
      /\bimport\(\s*["']([^"']+)["']\s*\)|require\([^()]*\)\(\s*["']([^"']+)["']\s*\)/g,
    )) {
      specifiers.push(match[1] ?? match[2]);
    }
  }
  return specifiers;
}

// A declaration file's import of "x" is served by x's own types or by @types/x.
function isDeclared(declared, name, file) {
  if (declared.has(name)) return true;
  const typesName = `@types/${name.startsWith("@") ? name.slice(1).replace("/", "__") : name}`;
  return file.endsWith(".d.ts") && declared.has(typesName);
}

function isBuiltin(specifier) {
  return specifier.startsWith("node:") || builtinModules.includes(specifier);
}

function packageNameOf(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}
