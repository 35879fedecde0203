// Bundles a handler given as source text the way the apps ship (scripts/lambdaBundleOptions.mjs), for
// the bundle-size benchmarks. Shared by the errors and idempotency budgets.
import { build } from "esbuild";
import { lambdaBundleOptions } from "../../scripts/lambdaBundleOptions.mjs";

const benchDir = new URL("..", import.meta.url).pathname;

/**
 * The minified bundle of `contents` (an ES module importing workspace packages by name) and the bytes
 * each workspace package contributes, keyed by "@rebound/<name>" or "packages/<name>" ("other" for
 * the rest).
 */
export async function bundleSnippet(contents) {
  const result = await build({
    ...lambdaBundleOptions,
    stdin: { contents, resolveDir: benchDir, loader: "js", sourcefile: "handler.mjs" },
    write: false,
    metafile: true,
  });
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = {};
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = /@rebound\/[^/]+|packages\/[^/]+/.exec(path)?.[0] ?? "other";
    inputs[pkg] = (inputs[pkg] ?? 0) + bytesInOutput;
  }
  return { bytes: result.outputFiles[0].contents, inputs };
}
