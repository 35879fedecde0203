// Compiles one TypeScript entry of src/ to dist/ with esbuild and runs it, skipping the compile when
// the output is newer than every file in src/. Running the compiled file instead of `tsx` halves
// synthesis wall time (bench/infra-synth.bench.ts): tsx's loader hooks and source maps cost more than
// the stack's constructs. The compile costs about 150 ms, most of it starting esbuild's service.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const infraDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = join(infraDir, "src");

/**
 * @param {string} entry file under src/, e.g. "main.ts"
 * @param {string} outName file under dist/, e.g. "main.mjs"
 * @param {boolean} external keep packages external (deep provider imports stay deep); false bundles
 *   everything, for an entry that must run where node_modules is not installed
 */
export async function compileAndRun(entry, outName, external) {
  const outfile = join(infraDir, "dist", outName);
  const upToDate =
    existsSync(outfile) &&
    readdirSync(srcDir, { recursive: true }).every(
      (file) => statSync(join(srcDir, String(file))).mtimeMs <= statSync(outfile).mtimeMs,
    );
  if (!upToDate) {
    const { buildSync } = await import("esbuild");
    buildSync({
      entryPoints: [join(srcDir, entry)],
      outfile,
      bundle: true,
      ...(external ? { packages: "external" } : {}),
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "warning",
    });
  }
  await import(pathToFileURL(outfile).href);
}
