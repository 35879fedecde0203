import type { RunEvent } from "./RunResult.js";

/** An event and its place in the run. */
export interface RankedEvent {
  readonly event: RunEvent;
  /** Its index in the run's events: rows are shown in this order. */
  readonly index: number;
}

/**
 * Ranks at most `maxRows` events for the report's outcome table, the ones a reader looks for first:
 * every event that did not end as `processed` (dead-lettered, sent to a destination, failed, parked,
 * resting, unfinished) in the run's order, then processed events in the run's order. The report writes
 * rows in this order until its size budget is spent, then shows them sorted by `index`.
 *
 * @example
 * ```ts
 * const ranked = pickOutcomeRows(result.events, 5000);
 * const shown = ranked.slice(0, 100).sort((a, b) => a.index - b.index);
 * ```
 */
export function pickOutcomeRows(events: readonly RunEvent[], maxRows: number): RankedEvent[] {
  const ranked: RankedEvent[] = [];
  events.forEach((event, index) => {
    if (event.disposition !== "processed" && ranked.length < maxRows) ranked.push({ event, index });
  });
  events.forEach((event, index) => {
    if (event.disposition === "processed" && ranked.length < maxRows) ranked.push({ event, index });
  });
  return ranked;
}
