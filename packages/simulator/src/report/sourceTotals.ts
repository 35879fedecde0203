import {
  RUN_DISPOSITIONS,
  type RunDisposition,
  type RunEvent,
  type RunResult,
  type SourceTotals,
} from "./RunResult.js";

/**
 * Counts per source (events, attempts, one count per final disposition, unfinished), sorted by
 * source; uses `result.sources` when the run filled it (counts-only runs), otherwise counts `events`.
 *
 * @example
 * ```ts
 * import { sourceTotals } from "@rebound/simulator";
 * for (const row of sourceTotals(result)) console.log(row.source, row.dispositions["dead-lettered"]);
 * ```
 */
export function sourceTotals(result: Pick<RunResult, "events" | "sources">): SourceTotals[] {
  if (result.sources !== undefined)
    return [...result.sources].sort((a, b) => a.source.localeCompare(b.source));
  const bySource = new Map<
    string,
    { events: number; attempts: number; unfinished: number; dispositions: Record<RunDisposition, number> }
  >();
  for (const event of result.events) {
    let row = bySource.get(event.source);
    if (row === undefined) {
      row = { events: 0, attempts: 0, unfinished: 0, dispositions: emptyDispositions() };
      bySource.set(event.source, row);
    }
    row.events += 1;
    row.attempts += event.attempts.length;
    if (event.disposition === null) row.unfinished += 1;
    else row.dispositions[event.disposition] += 1;
  }
  return [...bySource.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([source, row]) => ({ source, ...row }));
}

/**
 * Attempts per source in buckets of virtual time, from detailed event outcomes. `bucketMs` defaults
 * to the run length / 120, at least 1 s, so a chart has at most ~120 columns whatever the run length.
 *
 * @example
 * ```ts
 * import { attemptSeriesFromEvents } from "@rebound/simulator";
 * const series = attemptSeriesFromEvents(events, startMs, endMs);
 * ```
 */
export function attemptSeriesFromEvents(
  events: readonly RunEvent[],
  startMs: number,
  endMs: number,
  bucketMs = Math.max(1000, Math.ceil((endMs - startMs) / 120)),
): RunResult["attemptSeries"] {
  if (!(bucketMs > 0))
    throw new RangeError(`bucketMs must be a positive number of milliseconds, got ${bucketMs}`);
  const bySource = new Map<string, Map<number, { ok: number; failed: number; throttled: number }>>();
  for (const event of events) {
    for (const attempt of event.attempts) {
      let buckets = bySource.get(event.source);
      if (buckets === undefined) {
        buckets = new Map();
        bySource.set(event.source, buckets);
      }
      const atMs = startMs + Math.floor((attempt.atMs - startMs) / bucketMs) * bucketMs;
      let bucket = buckets.get(atMs);
      if (bucket === undefined) {
        bucket = { ok: 0, failed: 0, throttled: 0 };
        buckets.set(atMs, bucket);
      }
      if (attempt.result === "success") bucket.ok += 1;
      else if (attempt.result === "throttled") bucket.throttled += 1;
      else bucket.failed += 1;
    }
  }
  return [...bySource.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([source, buckets]) => ({
      source,
      bucketMs,
      points: [...buckets.entries()].sort(([a], [b]) => a - b).map(([atMs, counts]) => ({ atMs, ...counts })),
    }));
}

function emptyDispositions(): Record<RunDisposition, number> {
  return Object.fromEntries(RUN_DISPOSITIONS.map((disposition) => [disposition, 0])) as Record<
    RunDisposition,
    number
  >;
}
