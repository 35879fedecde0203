import { setFlagsFromString } from "node:v8";

/**
 * How much V8 lets the old generation grow past what survived the last full collection before it
 * collects again: 20% (V8's own factor adapts between about 1.1x and 4x and, for a run's heap, which
 * only grows, settles near the top of that range).
 *
 * Why: a simulation keeps almost everything it allocates for its result (outcomes, attempts,
 * dynalite's items, execution histories), so its heap is mostly live and only grows. With V8's
 * default, the reserved heap ran at 2-2.5 times the used heap: 2,000 orders through the orders
 * stack peaked at about 470 MB RSS, and 20,000 orders at about 1.1 GB. At 20% the same runs peak at
 * about 265 MB and take the same wall time within measurement noise (the collector's extra full
 * collections are incremental and concurrent, and the young generation, where short-lived objects
 * die, is untouched). `bench/simulator-orders-at-scale.bench.ts` measures it.
 */
export const HEAP_GROWING_PERCENT = 20;

/**
 * Sets V8's heap growing factor for the rest of this process (see `HEAP_GROWING_PERCENT`). Only the
 * `rebound simulate` command calls it: the library leaves the embedding process's heap policy alone.
 *
 * @example
 * ```ts
 * limitHeapGrowthForLongRuns();
 * const result = await runScenario(scenario, options);
 * ```
 */
export function limitHeapGrowthForLongRuns(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
