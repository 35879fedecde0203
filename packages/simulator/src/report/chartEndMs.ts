import type { QueueDepthSeries, RunEvent } from "./RunResult.js";

/**
 * Where the charts' time axis ends: shortly after the last thing happened, not at the run's cap. A run
 * that stops at a 2-hour cap after five minutes of activity would otherwise squeeze every mark into
 * the first few pixels. The margin is a tenth of the active span, at least a minute.
 *
 * @example
 * ```ts
 * chartEndMs(result, result.virtualStartMs, result.virtualEndMs);
 * ```
 */
export function chartEndMs(
  result: { readonly events: readonly RunEvent[]; readonly queueDepthSeries?: readonly QueueDepthSeries[] },
  startMs: number,
  endMs: number,
): number {
  let last = startMs;
  for (const event of result.events) {
    last = Math.max(last, event.injectedAtMs, event.settledAtMs ?? 0);
    for (const attempt of event.attempts) last = Math.max(last, attempt.atMs);
  }
  for (const queue of result.queueDepthSeries ?? []) {
    for (const point of queue.points) last = Math.max(last, point.atMs);
  }
  const margin = Math.max(60_000, (last - startMs) / 10);
  return Math.max(startMs + 1_000, Math.min(endMs, last + margin));
}
