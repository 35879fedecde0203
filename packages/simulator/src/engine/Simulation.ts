import { EventQueue, type ScheduledCall } from "./EventQueue.js";
import { StepLimitExceededError } from "./errors.js";
import { SeededRandom } from "./SeededRandom.js";
import { VirtualClock } from "./VirtualClock.js";

/** Options of a simulation run. */
export interface SimulationOptions {
  /** Derives every random choice of the run. Default 1. */
  readonly seed?: number;
  /** Virtual epoch milliseconds at which the run starts. Default 2026-01-01T00:00:00Z. */
  readonly startMs?: number;
  /** Hard cap on events processed; exceeding it throws `StepLimitExceededError`. Default 50,000,000. */
  readonly stepLimit?: number;
}

const DEFAULTS = { seed: 1, startMs: Date.UTC(2026, 0, 1), stepLimit: 50_000_000 } as const;

/**
 * The deterministic engine: a virtual clock, a (time, sequence)-ordered event queue and a seeded
 * random source. Models schedule callbacks; the verbs `step`, `runUntil` and `runUntilIdle` advance.
 *
 * @example
 * ```ts
 * import { Simulation } from "@rebound/simulator";
 * const sim = new Simulation({ seed: 7 });
 * sim.after(60_000, () => console.log("a minute later, instantly"));
 * sim.runUntilIdle();
 * ```
 */
export class Simulation {
  public readonly clock: VirtualClock;
  public readonly random: SeededRandom;
  public readonly stepLimit: number;
  readonly #queue = new EventQueue();
  readonly #inFlight = new Set<Promise<unknown>>();
  #steps = 0;
  #daemons = 0;
  #failure: unknown = undefined;

  public constructor(options: SimulationOptions = {}) {
    const settings = { ...DEFAULTS, ...options };
    if (!Number.isSafeInteger(settings.stepLimit) || settings.stepLimit <= 0) {
      throw new RangeError(`stepLimit must be a positive integer, got ${settings.stepLimit}`);
    }
    this.clock = new VirtualClock(settings.startMs);
    this.random = new SeededRandom(settings.seed);
    this.stepLimit = settings.stepLimit;
  }

  /** Virtual now, epoch milliseconds. */
  public now(): number {
    return this.clock.now();
  }

  /** Events processed so far. */
  public get steps(): number {
    return this.#steps;
  }

  /** Events waiting. */
  public get pending(): number {
    return this.#queue.size;
  }

  /** Schedules `run` at an absolute virtual time (not before now). */
  public at(timeMs: number, run: () => void): void {
    if (!(timeMs >= this.clock.now())) {
      throw new RangeError(`cannot schedule at ${timeMs}: it is before now (${this.clock.now()})`);
    }
    this.#queue.pushCall(timeMs, run, undefined, undefined, undefined);
  }

  /**
   * Schedules `fn(a, b, c)` at an absolute virtual time (not before now). The allocation-free form of
   * `at` for hot paths: `fn` is made once per model (an arrow field), the per-event state travels in
   * `a`, `b` and `c`, and the queue reuses its event records.
   *
   * @example
   * ```ts
   * const fire = (message: string, times: number): void => console.log(message.repeat(times));
   * sim.callAt(sim.now() + 1_000, fire, "tick ", 3, undefined);
   * ```
   */
  public callAt<A, B, C>(timeMs: number, fn: ScheduledCall<A, B, C>, a: A, b: B, c: C): void {
    if (!(timeMs >= this.clock.now())) {
      throw new RangeError(`cannot schedule at ${timeMs}: it is before now (${this.clock.now()})`);
    }
    this.#queue.pushCall(timeMs, fn, a, b, c);
  }

  /**
   * Schedules a daemon event: it runs when time reaches it, but it does not keep `runUntilIdle` going
   * (like an unref'd Node timer). For housekeeping such as SQS retention sweeps: a run whose only
   * remaining work is deleting old messages days later is idle, and its messages stay where they are.
   */
  public daemonAt(timeMs: number, run: () => void): void {
    if (!(timeMs >= this.clock.now())) {
      throw new RangeError(`cannot schedule at ${timeMs}: it is before now (${this.clock.now()})`);
    }
    this.#daemons++;
    this.#queue.push(timeMs, () => {
      this.#daemons--;
      run();
    });
  }

  /** Whether only daemon events (or none) are left. */
  public get idle(): boolean {
    return this.#queue.size <= this.#daemons;
  }

  /** Schedules `run` after a virtual delay in milliseconds. */
  public after(delayMs: number, run: () => void): void {
    this.at(this.clock.now() + delayMs, run);
  }

  /** Runs the next event; false when there is none. */
  public step(): boolean {
    const event = this.#queue.pop();
    if (event === undefined) return false;
    if (++this.#steps > this.stepLimit) throw new StepLimitExceededError(this.stepLimit, event.timeMs);
    this.clock.advanceTo(event.timeMs);
    // Read the call, then hand the record back before running it: the callback's own pushes reuse it.
    const fn = event.fn as ScheduledCall;
    const a = event.a;
    const b = event.b;
    const c = event.c;
    this.#queue.release(event);
    fn(a, b, c);
    return true;
  }

  /** Runs every event due at or before `timeMs`, then sets the clock to `timeMs`. */
  public runUntil(timeMs: number): void {
    for (
      let next = this.#queue.peek();
      next !== undefined && next.timeMs <= timeMs;
      next = this.#queue.peek()
    ) {
      this.step();
    }
    if (timeMs > this.clock.now()) this.clock.advanceTo(timeMs);
  }

  /** Runs until no event (other than daemon events) is left. Throws if work is still in flight: use `runUntilIdleAsync` then. */
  public runUntilIdle(): void {
    while (!this.idle && this.step()) {
      // each step does the work
    }
    if (this.#inFlight.size > 0) {
      throw new RangeError("asynchronous work is still in flight; use runUntilIdleAsync() for real handlers");
    }
  }

  /**
   * Registers asynchronous work (a real handler's promise) that must settle before virtual time may
   * move on: while it runs, the virtual clock stands still, as if the work took no virtual time
   * unless the model schedules its completion later.
   */
  public track(work: Promise<unknown>): void {
    const settled: Promise<unknown> = work.then(
      (): boolean => this.#inFlight.delete(settled),
      (error: unknown): boolean => {
        // A model must turn handler failures into outcomes itself; a rejection here is a model bug,
        // so it stops the run instead of vanishing.
        this.#failure ??= error;
        return this.#inFlight.delete(settled);
      },
    );
    this.#inFlight.add(settled);
  }

  #throwTrackedFailure(): void {
    if (this.#failure === undefined) return;
    const failure = this.#failure;
    this.#failure = undefined;
    throw failure;
  }

  /** Like `runUntilIdle`, but waits for tracked asynchronous work before every step. */
  public async runUntilIdleAsync(): Promise<void> {
    for (;;) {
      while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
      this.#throwTrackedFailure();
      if ((this.idle || !this.step()) && this.#inFlight.size === 0) return;
    }
  }

  /** Like `runUntil`, but waits for tracked asynchronous work before every step. */
  public async runUntilAsync(timeMs: number): Promise<void> {
    for (;;) {
      while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
      this.#throwTrackedFailure();
      const next = this.#queue.peek();
      if (next === undefined || next.timeMs > timeMs) break;
      this.step();
    }
    if (timeMs > this.clock.now()) this.clock.advanceTo(timeMs);
  }

  /**
   * Runs until only daemon events are left ("idle") or the next event lies past `capMs` ("cap"; the
   * clock then stands at `capMs`), waiting for tracked work before every step. `onProgress` runs every
   * `progressEvery` steps, so a caller can draw a progress bar without a timer.
   */
  public async runUntilIdleOrCapAsync(
    capMs: number,
    onProgress?: () => void,
    progressEvery = 1_000,
  ): Promise<"idle" | "cap"> {
    for (let count = 1; ; count++) {
      while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
      this.#throwTrackedFailure();
      const next = this.#queue.peek();
      if (next === undefined || this.idle) return "idle";
      if (next.timeMs > capMs) {
        if (capMs > this.clock.now()) this.clock.advanceTo(capMs);
        return "cap";
      }
      this.step();
      if (onProgress !== undefined && count % progressEvery === 0) onProgress();
    }
  }
}
