// Bundle size of every orders-system Lambda (apps/*/dist/index.mjs, built by scripts/bundle.mjs:
// esbuild, minified, Node 20, AWS SDK external) against the 50 KB budget per function (50 × 1024
// bytes: small enough for a fast cold start). Reads the very artifact Lambda gets; builds an app first if its bundle is missing.
// Absolute budgets: no anchor. The note names the three biggest inputs, to show where bytes go.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { metric, writeResults } from "./lib/report.mjs";

const BUDGET_BYTES = 50 * 1024;
const appsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "apps");

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

function packageOf(input: string): string {
  // The last node_modules segment names the package (pnpm nests them under node_modules/.pnpm/...).
  const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input.replaceAll("\\", "/"));
  if (match?.[1]) return match[1];
  const workspace = /packages\/([^/]+)\//.exec(input);
  return workspace?.[1] ? `@rebound/${workspace[1]}` : "app code";
}

const metrics = [];
for (const app of readdirSync(appsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()) {
  const dir = join(appsDir, app);
  if (!existsSync(join(dir, "src", "handler.ts"))) continue;
  if (!existsSync(join(dir, "dist", "meta.json"))) {
    const built = spawnSync(process.execPath, [join(appsDir, "..", "scripts", "bundle.mjs")], {
      cwd: dir,
      stdio: "inherit",
    });
    if (built.status !== 0) throw new Error(`bundling ${app} failed`);
  }
  const meta = JSON.parse(readFileSync(join(dir, "dist", "meta.json"), "utf8")) as Metafile;
  const output = meta.outputs["dist/index.mjs"];
  if (output === undefined) throw new Error(`${app}: dist/meta.json has no dist/index.mjs output`);
  const bytes = readFileSync(join(dir, "dist", "index.mjs")).byteLength;
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytesInOutput);
  }
  const top = [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, size]) => `${name} ${(size / 1024).toFixed(1)} KB`)
    .join(", ");
  const gzip = gzipSync(readFileSync(join(dir, "dist", "index.mjs"))).byteLength;
  metrics.push(
    metric({
      metric: `${app} bundle (minified, SDK external)`,
      unit: "bytes",
      ours: bytes,
      target: BUDGET_BYTES,
      better: "lower",
      note: `gzip ${gzip} bytes; biggest inputs: ${top}`,
    }),
  );
}
if (metrics.length < 7) throw new Error(`expected the seven orders-system apps, found ${metrics.length}`);
writeResults("apps-bundle-size", metrics);
