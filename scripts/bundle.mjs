#!/usr/bin/env node
// Bundles one Lambda app (the package in the current directory) with esbuild: src/handler.ts becomes
// dist/index.mjs with the exported `handler`, minified for Node 20, the AWS SDK v3 left external
// because the nodejs22.x runtime ships it. Writes dist/meta.json so bundle sizes can be reported.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { lambdaBundleOptions } from "./lambdaBundleOptions.mjs";

const appDir = process.cwd();
const result = await build({
  ...lambdaBundleOptions,
  entryPoints: [join(appDir, "src/handler.ts")],
  outfile: join(appDir, "dist/index.mjs"),
  // Some dependencies are CommonJS and call require(); ESM output needs a require of its own.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  metafile: true,
});
writeFileSync(join(appDir, "dist/meta.json"), JSON.stringify(result.metafile));
const bytes = result.metafile.outputs["dist/index.mjs"]?.bytes;
console.log(`bundled ${appDir.split("/").pop()}: ${bytes} bytes`);
