import { formatVirtualDuration } from "./formatVirtualDuration.js";
import type { RunResult, SourceTotals } from "./RunResult.js";
import { sourceTotals } from "./sourceTotals.js";
import { stopReason } from "./stopReason.js";
import { terminalText } from "./terminalText.js";

/** Summary lines stay within 100 columns (a split terminal, a CI log). */
const WIDTH = 100;
const NUMBER_COLUMNS = [
  { header: "events", width: 7, value: (row: SourceTotals) => row.events },
  { header: "attempts", width: 9, value: (row: SourceTotals) => row.attempts },
  { header: "processed", width: 10, value: (row: SourceTotals) => row.dispositions.processed },
  { header: "dead-letter", width: 12, value: (row: SourceTotals) => row.dispositions["dead-lettered"] },
  { header: "destination", width: 12, value: (row: SourceTotals) => row.dispositions["sent-to-destination"] },
  { header: "parked", width: 7, value: (row: SourceTotals) => row.dispositions.parked },
  { header: "resting", width: 8, value: (row: SourceTotals) => row.dispositions.resting },
  { header: "expired", width: 8, value: (row: SourceTotals) => row.dispositions.expired },
  {
    header: "other",
    width: 6,
    value: (row: SourceTotals) => row.dispositions.dropped + row.dispositions.failed + row.unfinished,
  },
] as const;
const SOURCE_WIDTH = WIDTH - NUMBER_COLUMNS.reduce((total, column) => total + column.width, 0);

/**
 * The plain-text summary of a run, readable in 100 columns: the scenario, seed and virtual time
 * covered; a table per source (events, attempts, processed, dead-lettered, sent to a destination,
 * parked, resting in a queue nothing consumes, expired, other = dropped + failed + unfinished) with a total; unfinished events and
 * unmodelled resources called out; each expectation with ✔ or ✘ and its detail; where the report
 * and trace are, and how to reproduce the run. No colours: it goes to logs as well as terminals.
 *
 * @example
 * ```ts
 * import { formatSummary } from "@rebound/simulator";
 * console.log(formatSummary(result));
 * ```
 */
export function formatSummary(result: RunResult): string {
  const lines: string[] = [];
  const ok = result.expectations.every((expectation) => expectation.ok);
  const ran = formatVirtualDuration(result.virtualEndMs - result.virtualStartMs);
  lines.push(
    fit(
      `${ok ? "✔" : "✘"} ${terminalText(result.scenario.name, 100)} (${terminalText(result.scenario.file)})`,
    ),
  );
  // User text is escaped (see terminalText): a scenario file must not be able to drive the terminal.
  if (result.scenario.description !== "")
    lines.push(...wrap(terminalText(result.scenario.description.replace(/\s+/g, " "), 1000), "  "));
  lines.push(
    fit(
      `  seed ${result.seed} · ${ran} of virtual time (${stopReason(result)}) in ` +
        `${formatWall(result.wallMs)} wall`,
    ),
  );
  lines.push("");

  const rows = sourceTotals(result);
  lines.push(headerLine());
  lines.push("─".repeat(WIDTH));
  for (const row of rows) lines.push(rowLine(row.source, row));
  if (rows.length > 1) {
    lines.push("─".repeat(WIDTH));
    lines.push(rowLine("total", total(rows)));
  }
  if (rows.length === 0) lines.push("  (no events)");

  const unfinished = rows.reduce((sum, row) => sum + row.unfinished, 0);
  if (unfinished > 0) {
    lines.push("");
    lines.push(
      ...wrap(
        `⚠ ${unfinished} event(s) had no final disposition when the run stopped (${stopReason(result)}); ` +
          "they are counted under other.",
        "",
      ),
    );
  }
  if (result.unmodelled.length > 0) {
    lines.push("");
    // Grouped by type: a real stack has dozens of roles and log groups, and one line per resource would
    // bury the expectations. The HTML report lists every one.
    lines.push(`Not modelled (${result.unmodelled.length} Terraform resources, read but not run):`);
    const byType = new Map<string, number>();
    for (const resource of result.unmodelled) byType.set(resource.type, (byType.get(resource.type) ?? 0) + 1);
    const groups = [...byType].map(([type, count]) => `${count} ${type}`);
    lines.push(...wrap(groups.join(", "), "  "));
  }

  lines.push("");
  if (result.expectations.length === 0) {
    lines.push("Expectations: none stated");
  } else {
    const passed = result.expectations.filter((expectation) => expectation.ok).length;
    lines.push(`Expectations: ${passed}/${result.expectations.length} hold`);
    for (const expectation of result.expectations) {
      lines.push(fit(`  ${expectation.ok ? "✔" : "✘"} ${terminalText(expectation.name, 200)}`));
      // Each line of a detail stays a line: "expected" and "actual" are read one above the other.
      for (const detailLine of expectation.detail.split("\n").slice(0, 20))
        lines.push(...wrap(terminalText(detailLine, 2000), "      ", "        "));
    }
  }

  lines.push("");
  if (result.reportPath !== undefined) lines.push(...wrap(`Report: ${result.reportPath}`, "", "  "));
  if (result.tracePath !== undefined) lines.push(...wrap(`Trace: ${result.tracePath}`, "", "  "));
  lines.push(...wrap(`Reproduce: ${result.reproduce}`, "", "  "));
  return lines.join("\n");
}

function headerLine(): string {
  return (
    "source".padEnd(SOURCE_WIDTH) +
    NUMBER_COLUMNS.map((column) => column.header.padStart(column.width)).join("")
  );
}

function rowLine(source: string, row: SourceTotals): string {
  const label = source.length > SOURCE_WIDTH - 1 ? `${source.slice(0, SOURCE_WIDTH - 2)}…` : source;
  return (
    label.padEnd(SOURCE_WIDTH) +
    NUMBER_COLUMNS.map((column) => formatCount(column.value(row), column.width).padStart(column.width)).join(
      "",
    )
  );
}

function total(rows: readonly SourceTotals[]): SourceTotals {
  const dispositions = { ...rows[0]!.dispositions };
  for (const row of rows.slice(1)) {
    for (const key of Object.keys(dispositions) as (keyof typeof dispositions)[]) {
      dispositions[key] += row.dispositions[key];
    }
  }
  return {
    source: "total",
    events: rows.reduce((sum, row) => sum + row.events, 0),
    attempts: rows.reduce((sum, row) => sum + row.attempts, 0),
    unfinished: rows.reduce((sum, row) => sum + row.unfinished, 0),
    dispositions,
  };
}

/**
 * 1234567 → "1,234,567"; a count that would not leave a space before it in its column switches to
 * "1.2M" or "340k", so neighbouring columns never run together.
 */
function formatCount(value: number, width: number): string {
  const full = value.toLocaleString("en-US");
  if (full.length < width) return full;
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(value >= 100_000_000 ? 0 : 1)}M`;
  return `${Math.round(value / 1000)}k`;
}

function formatWall(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function fit(line: string): string {
  return line.length > WIDTH ? `${line.slice(0, WIDTH - 1)}…` : line;
}

/** Word-wraps text to 100 columns; long unbreakable words (paths) are kept whole on their own line. */
function wrap(text: string, indent: string, continuation = indent): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(/\s+/)) {
    if (word === "") continue;
    const prefix = line === indent || line === continuation ? "" : " ";
    if (line.length + prefix.length + word.length > WIDTH && line.trim() !== "") {
      lines.push(line);
      line = continuation + word;
    } else {
      line += prefix + word;
    }
  }
  if (line.trim() !== "") lines.push(line);
  return lines;
}
