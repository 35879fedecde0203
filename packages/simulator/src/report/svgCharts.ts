import { escapeHtml } from "./escapeHtml.js";
import { formatVirtualDuration } from "./formatVirtualDuration.js";
import type { AttemptSeries, QueueDepthSeries } from "./RunResult.js";

/** Chart geometry in SVG user units; the SVG scales to the page width through its viewBox. */
const CHART = { width: 960, left: 190, right: 36, laneHeight: 46, axisHeight: 28, top: 10 } as const;
const PLOT_WIDTH = CHART.width - CHART.left - CHART.right;
const NICE_STEPS_MS = [
  1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000,
  7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 172_800_000, 604_800_000,
];
/** Colours of depth lines, cycled; chosen to stay distinct for the colour-blind (Okabe–Ito). */
const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];

/** The time range a chart covers: virtual epoch ms. */
export interface ChartRange {
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * A timeline of attempts per source over virtual time: one lane per source, one column per time
 * bucket, the column's height proportional to its attempts (scaled per lane, the lane's peak
 * labelled), green for successes stacked under red for failures and amber for throttles. Every mark
 * has a `<title>` with its exact counts.
 *
 * @example
 * ```ts
 * import { attemptTimelineSvg } from "@rebound/simulator";
 * const svg = attemptTimelineSvg(result.attemptSeries, { startMs, endMs });
 * ```
 */
export function attemptTimelineSvg(series: readonly AttemptSeries[], range: ChartRange): string {
  if (series.length === 0) return emptyChart("attempt-timeline", "No attempts in this run.");
  const spanMs = Math.max(1, range.endMs - range.startMs);
  const height = CHART.top + series.length * CHART.laneHeight + CHART.axisHeight;
  const x = (ms: number) => CHART.left + ((ms - range.startMs) / spanMs) * PLOT_WIDTH;
  const parts: string[] = [];
  series.forEach((lane, index) => {
    const top = CHART.top + index * CHART.laneHeight;
    const baseline = top + CHART.laneHeight - 6;
    const usable = CHART.laneHeight - 14;
    const peak = lane.points.reduce(
      (max, point) => Math.max(max, point.ok + point.failed + point.throttled),
      1,
    );
    const total = lane.points.reduce((sum, point) => sum + point.ok + point.failed + point.throttled, 0);
    parts.push(
      `<g class="lane" data-source="${escapeHtml(lane.source)}">`,
      `<rect class="lane-bg" x="${CHART.left}" y="${top + 2}" width="${PLOT_WIDTH}" height="${CHART.laneHeight - 4}"/>`,
      `<text class="lane-label" x="${CHART.left - 8}" y="${top + CHART.laneHeight / 2}" text-anchor="end">${escapeHtml(truncate(lane.source, 28))}</text>`,
      `<text class="lane-peak" x="${CHART.left - 8}" y="${top + CHART.laneHeight / 2 + 12}" text-anchor="end">${total} attempts, peak ${peak}</text>`,
    );
    const columnWidth = Math.max(1.5, (lane.bucketMs / spanMs) * PLOT_WIDTH - 0.5);
    for (const point of lane.points) {
      let y = baseline;
      const left = round(x(point.atMs));
      const title = `${lane.source} at +${formatVirtualDuration(point.atMs - range.startMs)}: ${point.ok} ok, ${point.failed} failed, ${point.throttled} throttled`;
      for (const [kind, count] of [
        ["ok", point.ok],
        ["fail", point.failed],
        ["throttle", point.throttled],
      ] as const) {
        if (count === 0) continue;
        // At least 2 units tall so a single failure among thousands of successes stays visible.
        const barHeight = Math.max(2, (count / peak) * usable);
        y -= barHeight;
        parts.push(
          `<rect class="mark mark-${kind}" x="${left}" y="${round(y)}" width="${round(columnWidth)}" height="${round(barHeight)}"><title>${escapeHtml(title)}</title></rect>`,
        );
      }
    }
    parts.push("</g>");
  });
  parts.push(timeAxis(range, CHART.top + series.length * CHART.laneHeight));
  return svg("attempt-timeline", height, "Attempts per source over virtual time", parts);
}

/**
 * Depth over virtual time of each DLQ, failure-destination and parking queue, as step lines on one
 * shared axis, with a legend and a dot at every change (capped at 400 dots per queue).
 *
 * @example
 * ```ts
 * import { queueDepthSvg } from "@rebound/simulator";
 * const svg = queueDepthSvg(result.queueDepthSeries, { startMs, endMs });
 * ```
 */
export function queueDepthSvg(series: readonly QueueDepthSeries[], range: ChartRange): string {
  if (series.length === 0)
    return emptyChart("queue-depth", "The stack has no dead-letter, destination or parking queue.");
  const plotHeight = 180;
  const legendHeight = 20 * series.length;
  const height = CHART.top + plotHeight + CHART.axisHeight + legendHeight + 10;
  const spanMs = Math.max(1, range.endMs - range.startMs);
  // A loop, not Math.max(...spread): a long run's series can exceed the engine's argument limit.
  let maxDepth = 1;
  for (const queue of series)
    for (const point of queue.points) if (point.depth > maxDepth) maxDepth = point.depth;
  const yMax = niceCeiling(maxDepth);
  const x = (ms: number) =>
    round(
      CHART.left +
        ((Math.min(Math.max(ms, range.startMs), range.endMs) - range.startMs) / spanMs) * PLOT_WIDTH,
    );
  const y = (depth: number) => round(CHART.top + plotHeight - (depth / yMax) * plotHeight);
  const parts: string[] = [
    `<rect class="plot-bg" x="${CHART.left}" y="${CHART.top}" width="${PLOT_WIDTH}" height="${plotHeight}"/>`,
  ];
  // Depths are whole messages: ticks at whole steps, at most 5 of them.
  const tickStep = Math.max(1, niceCeiling(yMax / 4));
  for (let value = 0; value <= yMax; value += tickStep) {
    parts.push(
      `<line class="grid" x1="${CHART.left}" x2="${CHART.left + PLOT_WIDTH}" y1="${y(value)}" y2="${y(value)}"/>`,
      `<text class="tick" x="${CHART.left - 6}" y="${y(value) + 4}" text-anchor="end">${value}</text>`,
    );
  }
  series.forEach((queue, index) => {
    const colour = PALETTE[index % PALETTE.length]!;
    const points = downsample(
      [...queue.points].sort((a, b) => a.atMs - b.atMs),
      range,
    );
    let d = `M${x(range.startMs)},${y(0)}`;
    let previousDepth = 0;
    for (const point of points) {
      d += ` H${x(point.atMs)} V${y(point.depth)}`;
      previousDepth = point.depth;
    }
    d += ` H${x(range.endMs)}`;
    const finalDepth = previousDepth;
    parts.push(`<g class="depth-series" data-queue="${escapeHtml(queue.queue)}">`);
    parts.push(`<path class="depth-line" d="${d}" stroke="${colour}"/>`);
    for (const point of points.slice(0, 400)) {
      parts.push(
        `<circle class="mark depth-point" cx="${x(point.atMs)}" cy="${y(point.depth)}" r="3" fill="${colour}"><title>${escapeHtml(`${queue.queue} depth ${point.depth} at +${formatVirtualDuration(point.atMs - range.startMs)}`)}</title></circle>`,
      );
    }
    const legendY = CHART.top + plotHeight + CHART.axisHeight + 14 + index * 20;
    parts.push(
      `<rect x="${CHART.left}" y="${legendY - 9}" width="14" height="10" fill="${colour}"/>`,
      `<text class="legend" x="${CHART.left + 20}" y="${legendY}">${escapeHtml(queue.queue)} (${queue.role}), depth at end ${finalDepth}, peak ${points.reduce((max, point) => Math.max(max, point.depth), 0)}</text>`,
      "</g>",
    );
  });
  parts.push(timeAxis(range, CHART.top + plotHeight));
  return svg(
    "queue-depth",
    height,
    "Depth of dead-letter, destination and parking queues over virtual time",
    parts,
  );
}

/**
 * At most two points per horizontal unit of the plot: the peak and the last depth of each column, so a
 * queue that changed a million times still draws as a ~1,700-point path and no peak disappears.
 */
function downsample(
  points: readonly { readonly atMs: number; readonly depth: number }[],
  range: ChartRange,
): { atMs: number; depth: number }[] {
  if (points.length <= 2 * PLOT_WIDTH) return [...points];
  const spanMs = Math.max(1, range.endMs - range.startMs);
  const result: { atMs: number; depth: number }[] = [];
  let column = Number.NaN;
  let peak = { atMs: 0, depth: -1 };
  let last = { atMs: 0, depth: 0 };
  const flush = () => {
    if (Number.isNaN(column)) return;
    result.push(peak);
    if (last !== peak) result.push(last);
  };
  for (const point of points) {
    const pointColumn = Math.floor(((point.atMs - range.startMs) / spanMs) * PLOT_WIDTH);
    if (pointColumn !== column) {
      flush();
      column = pointColumn;
      peak = point;
    } else if (point.depth > peak.depth) {
      peak = point;
    }
    last = point;
  }
  flush();
  return result;
}

function timeAxis(range: ChartRange, y: number): string {
  const spanMs = Math.max(1, range.endMs - range.startMs);
  const step =
    NICE_STEPS_MS.find((candidate) => spanMs / candidate <= 8) ?? NICE_STEPS_MS[NICE_STEPS_MS.length - 1]!;
  const parts = [
    `<line class="axis" x1="${CHART.left}" x2="${CHART.left + PLOT_WIDTH}" y1="${y}" y2="${y}"/>`,
  ];
  for (let offset = 0; offset <= spanMs; offset += step) {
    const tickX = round(CHART.left + (offset / spanMs) * PLOT_WIDTH);
    parts.push(
      `<line class="axis" x1="${tickX}" x2="${tickX}" y1="${y}" y2="${y + 4}"/>`,
      // The last label would overflow the right edge when centred on its tick.
      `<text class="tick" x="${tickX}" y="${y + 16}" text-anchor="${offset + step > spanMs && offset > 0 ? "end" : "middle"}">+${formatVirtualDuration(offset)}</text>`,
    );
  }
  parts.push(
    `<text class="tick" x="${CHART.left + PLOT_WIDTH}" y="${y + 27}" text-anchor="end">virtual time</text>`,
  );
  return parts.join("");
}

function svg(id: string, height: number, label: string, parts: readonly string[]): string {
  return (
    `<svg id="${id}" class="chart" viewBox="0 0 ${CHART.width} ${round(height)}" width="100%" role="img" ` +
    `aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg">${parts.join("")}</svg>`
  );
}

function emptyChart(id: string, message: string): string {
  return svg(id, 40, message, [
    `<text class="empty" x="${CHART.width / 2}" y="24" text-anchor="middle">${escapeHtml(message)}</text>`,
  ]);
}

/** The smallest of 1, 2, 5 × 10^n at or above `value`, so axis ticks are round numbers. */
function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 4, 5, 10]) if (factor * magnitude >= value) return factor * magnitude;
  return 10 * magnitude;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
