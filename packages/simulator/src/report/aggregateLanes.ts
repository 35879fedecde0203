import type { AttemptSeries } from "./RunResult.js";

/**
 * At most `maxLanes` lanes for the attempt timeline: when a run has more sources, the busiest
 * `maxLanes - 1` keep their own lane (in their original order) and the rest are summed, bucket by
 * bucket, into one last lane named `other (N sources)`. A report of a stack with hundreds of
 * sources stays readable and small; the totals table still lists every source.
 *
 * @example
 * ```ts
 * const lanes = aggregateLanes(result.attemptSeries, 12); // ≤ 12 lanes, attempts preserved
 * ```
 */
export function aggregateLanes(series: readonly AttemptSeries[], maxLanes: number): AttemptSeries[] {
  if (!Number.isSafeInteger(maxLanes) || maxLanes < 2)
    throw new RangeError(`maxLanes must be a whole number ≥ 2, got ${maxLanes}`);
  if (series.length <= maxLanes) return [...series];
  const attemptsOf = (lane: AttemptSeries): number =>
    lane.points.reduce((sum, point) => sum + point.ok + point.failed + point.throttled, 0);
  // Busiest first; ties keep the original order, so the choice is the same on every run.
  const ranked = series
    .map((lane, index) => ({ lane, index, attempts: attemptsOf(lane) }))
    .sort((a, b) => b.attempts - a.attempts || a.index - b.index);
  const kept = new Set(ranked.slice(0, maxLanes - 1).map((entry) => entry.index));
  const rest = series.filter((_, index) => !kept.has(index));
  const buckets = new Map<number, { ok: number; failed: number; throttled: number }>();
  for (const lane of rest) {
    for (const point of lane.points) {
      const bucket = buckets.get(point.atMs) ?? { ok: 0, failed: 0, throttled: 0 };
      bucket.ok += point.ok;
      bucket.failed += point.failed;
      bucket.throttled += point.throttled;
      buckets.set(point.atMs, bucket);
    }
  }
  const other: AttemptSeries = {
    source: `other (${rest.length} sources)`,
    bucketMs: Math.max(...rest.map((lane) => lane.bucketMs)),
    points: [...buckets.entries()].sort(([a], [b]) => a - b).map(([atMs, counts]) => ({ atMs, ...counts })),
  };
  return [...series.filter((_, index) => kept.has(index)), other];
}
