// Shared by every benchmark: measures side by side and writes bench/results/<name>.json in the one
// format `pnpm bench` summarizes. A metric compares "ours" with an anchor measured in the same run.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "results");

/**
 * Builds one metric. `better` says which direction wins, and `target` is the ratio ours/anchor that
 * must hold: for "lower" ours/anchor <= target, for "higher" ours/anchor >= target. With no anchor
 * (an absolute budget such as bundle bytes), `target` is compared with `ours` itself. A `target` of
 * null reports the comparison without a target: `met` is null and the summary says INFO.
 */
export function metric({ metric, unit, ours, anchor = null, anchorName = null, target, better, note }) {
  const ratio = anchor === null ? null : ours / anchor;
  const measured = ratio ?? ours;
  const met = target === null ? null : better === "lower" ? measured <= target : measured >= target;
  return { metric, unit, ours, anchor, anchorName, ratio, target, better, met, ...(note ? { note } : {}) };
}

/** Writes the results of one benchmark and prints them as a table. */
export function writeResults(name, metrics) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(metrics, null, 2)}\n`);
  console.log(`\n${name}`);
  for (const m of metrics) {
    const ratio =
      m.ratio === null ? "" : ` ratio ${m.ratio.toFixed(3)} vs ${m.anchorName} (${fmt(m.anchor)} ${m.unit})`;
    const target =
      m.target === null ? "no target" : `target ${m.better === "lower" ? "<=" : ">="} ${m.target}`;
    console.log(`  ${verdict(m.met)} ${m.metric}: ${fmt(m.ours)} ${m.unit}${ratio}; ${target}`);
  }
}

/** Median of a list of numbers; benchmarks report medians of several rounds to resist noise. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** MET, MISS, or INFO for a comparison reported without a target. */
export function verdict(met) {
  return met === null ? "INFO" : met ? "MET " : "MISS";
}

function fmt(value) {
  if (value === null || value === undefined) return "-";
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(4);
}
