// Orders stack synthesis speed (target: the whole stack synthesizes offline in at most 2 s wall),
// and why the stack imports provider resources one by one: deep imports of the modules the stack
// uses versus the root import of @cdktf/provider-aws, each timed in a fresh Node process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "@rebound/infra/loadConfig";
import { synthOrders } from "@rebound/infra/synthOrders";
import { median, metric, writeResults } from "./lib/report.mjs";

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(benchDir, "..");
const infraSrc = join(repoRoot, "infra", "src");
const ROUNDS = 5;

function run(args: string[], env: Record<string, string> = {}): string {
  const result = spawnSync(process.execPath, args, {
    cwd: benchDir,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed:\n${result.stderr}`);
  return result.stdout;
}

// 1. Whole synthesis as `pnpm --filter @rebound/infra synth` runs it, in a fresh process: esbuild
//    compile of src/main.ts, imports, constructs, policy checks, zips, cdk.tf.json on disk. Side by
//    side with running the TypeScript source through tsx, the way the first sketch did.
function timeProcess(args: string[]): number[] {
  const runs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const outdir = mkdtempSync(join(tmpdir(), "rebound-synth-"));
    const started = performance.now();
    run(args, { CDKTF_OUTDIR: outdir, REBOUND_ENV: "dev" });
    runs.push(performance.now() - started);
    rmSync(outdir, { recursive: true, force: true });
  }
  return runs;
}
const processMs = timeProcess([join(repoRoot, "infra", "scripts", "synth.mjs")]);
const tsxMs = timeProcess(["--import", "tsx", join(infraSrc, "main.ts")]);

// 2. Synthesis alone in a warm process (modules already loaded), as tests and the simulator see it.
const config = loadConfig({ environ: { REBOUND_ENV: "dev" } });
const inProcessMs: number[] = [];
for (let round = 0; round < ROUNDS + 1; round++) {
  const outdir = mkdtempSync(join(tmpdir(), "rebound-synth-"));
  const started = performance.now();
  synthOrders({ config, repoRoot, outdir });
  if (round > 0) inProcessMs.push(performance.now() - started); // round 0 warms the module cache
  rmSync(outdir, { recursive: true, force: true });
}

// 3. Import cost: the provider modules the stack really uses (read from its sources), deep, versus
//    the package root, each measured inside a fresh process around the import itself.
const deepModules = [
  ...new Set(
    readdirSync(infraSrc, { recursive: true })
      .map(String)
      .filter((file) => file.endsWith(".ts"))
      .flatMap((file) =>
        [...readFileSync(join(infraSrc, file), "utf8").matchAll(/"(@cdktf\/provider-aws\/lib\/[^"]+)"/g)].map(
          (m) => m[1]!,
        ),
      ),
  ),
].sort();
const timeImport = (specifiers: string[]) =>
  Number(
    run([
      "--input-type=module",
      "-e",
      `const t = performance.now(); await Promise.all(${JSON.stringify(specifiers)}.map((s) => import(s))); console.log(performance.now() - t);`,
    ]).trim(),
  );
const deepMs: number[] = [];
const rootMs: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  deepMs.push(timeImport(deepModules));
  rootMs.push(timeImport(["@cdktf/provider-aws"]));
}

writeResults("infra-synth", [
  metric({
    metric: "orders stack synth, whole process (node infra/scripts/synth.mjs → cdk.tf.json)",
    unit: "ms",
    ours: median(processMs),
    target: 2000,
    better: "lower",
    note:
      `median of ${ROUNDS} fresh processes; runs ${processMs.map((ms) => Math.round(ms)).join(", ")}. ` +
      "After the first round the esbuild compile is skipped (dist/main.mjs up to date) and the asl-validator " +
      "result is cached; a cold run after a source change pays about 150 ms and 400 ms more",
  }),
  metric({
    metric: "orders stack synth, compiled entry vs tsx src/main.ts (whole process)",
    unit: "ms",
    ours: median(processMs),
    anchor: median(tsxMs),
    anchorName: "tsx src/main.ts",
    target: 1,
    better: "lower",
    note: `tsx runs ${tsxMs.map((ms) => Math.round(ms)).join(", ")}`,
  }),
  metric({
    metric: "orders stack synth, in a warm process",
    unit: "ms",
    ours: median(inProcessMs),
    target: 2000,
    better: "lower",
    note: `median of ${ROUNDS}; construct tree, policy aspect, zips, cdk.tf.json`,
  }),
  metric({
    metric: `import of the ${deepModules.length} provider modules the stack uses (deep) vs the package root`,
    unit: "ms",
    ours: median(deepMs),
    anchor: median(rootMs),
    anchorName: "import '@cdktf/provider-aws' (root)",
    target: 0.5,
    better: "lower",
    note: `median of ${ROUNDS} fresh processes each`,
  }),
]);
