#!/usr/bin/env node
// `pnpm bench`: runs every bench/*.bench.{mjs,ts} in its own process, one after another (this
// machine has 2 cores; overlapping benchmarks would measure each other), then prints a summary of
// bench/results/*.json. Exits 1 if a benchmark crashed; a missed target is reported, not fatal.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { verdict } from "./lib/report.mjs";

const benchDir = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((file) => /\.bench\.(mjs|ts)$/.test(file))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

let crashed = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  const args = file.endsWith(".ts") ? ["--import", "tsx", join(benchDir, file)] : [join(benchDir, file)];
  const result = spawnSync(process.execPath, ["--expose-gc", ...args], { stdio: "inherit", cwd: benchDir });
  if (result.status !== 0) {
    crashed++;
    console.error(`${file} exited with ${result.status}`);
  }
}

console.log("\n=== summary");
for (const file of readdirSync(join(benchDir, "results"))
  .filter((f) => f.endsWith(".json"))
  .sort()) {
  for (const m of JSON.parse(readFileSync(join(benchDir, "results", file), "utf8"))) {
    const ratio = m.ratio === null ? "" : ` (ratio ${m.ratio.toFixed(3)} vs ${m.anchorName})`;
    console.log(`${verdict(m.met)} ${file.replace(/\.json$/, "")} ${m.metric}: ${m.ours} ${m.unit}${ratio}`);
  }
}
process.exit(crashed ? 1 : 0);
