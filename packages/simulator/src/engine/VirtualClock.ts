/**
 * Simulated time in milliseconds since the start of a run. Only the simulation advances it, so a
 * run that covers six hours of AWS retries takes as long as its events take to process.
 *
 * @example
 * ```ts
 * import { VirtualClock } from "@rebound/simulator";
 * const clock = new VirtualClock(Date.UTC(2026, 0, 1));
 * clock.advanceTo(clock.now() + 60_000);
 * ```
 */
export class VirtualClock {
  #nowMs: number;

  public constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  /** Current virtual time, epoch milliseconds. */
  public now(): number {
    return this.#nowMs;
  }

  /** Moves time forward. Time never goes backwards: that would reorder events already scheduled. */
  public advanceTo(timeMs: number): void {
    if (timeMs < this.#nowMs) {
      throw new RangeError(`virtual time cannot go back from ${this.#nowMs} to ${timeMs}`);
    }
    this.#nowMs = timeMs;
  }
}
