#!/usr/bin/env node
// `pnpm --filter @rebound/infra synth` and cdktf.json's app: compiles src/main.ts to dist/main.mjs with
// esbuild (packages stay external, so provider imports stay deep), then runs it. Running the compiled
// file instead of `tsx src/main.ts` halves synthesis wall time (bench/infra-synth.bench.ts): tsx's
// loader hooks and source maps cost more than the stack's constructs. The compile (about 150 ms, most
// of it starting esbuild's service) is skipped when dist/main.mjs is newer than every file in src/.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const infraDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = join(infraDir, "src");
const outfile = join(infraDir, "dist", "main.mjs");

function upToDate() {
  if (!existsSync(outfile)) return false;
  const built = statSync(outfile).mtimeMs;
  return readdirSync(srcDir, { recursive: true }).every(
    (file) => statSync(join(srcDir, String(file))).mtimeMs <= built,
  );
}

if (!upToDate()) {
  const { buildSync } = await import("esbuild");
  buildSync({
    entryPoints: [join(srcDir, "main.ts")],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
  });
}
await import(pathToFileURL(outfile).href);
