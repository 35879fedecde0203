import { ConfigurationError } from "../engine/errors.js";
import { checkKeys, checkNumber } from "../engine/validate.js";

/** Options of an `InvocationClock`. */
export interface InvocationClockOptions {
  /** Virtual epoch milliseconds at which the invocation starts. */
  readonly startMs: number;
  /** The function timeout in milliseconds (Lambda: 1,000 to 900,000). */
  readonly timeoutMs: number;
}

const MAX_TIMEOUT_MS = 900_000;

/**
 * The virtual time of one invocation: it starts at `startMs` and moves only when something consumes
 * virtual latency (a scripted downstream answering after 800 ms, a model charging compute time).
 * When the consumed time reaches `timeoutMs` the invocation is timed out: `signal` aborts, the host
 * reports `Sandbox.Timedout`, and the downstream that pushed it over drops its connection.
 *
 * Reaching the timeout exactly counts as timed out: the handler would still need time after the
 * response to return, and Lambda stops the sandbox at the timeout.
 *
 * @example
 * ```ts
 * import { InvocationClock } from "@rebound/simulator";
 * const clock = new InvocationClock({ startMs: Date.UTC(2026, 0, 1), timeoutMs: 3_000 });
 * clock.consume(1_200); // a downstream took 1.2 s
 * clock.remainingMs(); // 1_800, what context.getRemainingTimeInMillis() returns
 * ```
 */
export class InvocationClock {
  public readonly startMs: number;
  public readonly timeoutMs: number;
  readonly #controller = new AbortController();
  #consumedMs = 0;

  public constructor(options: InvocationClockOptions) {
    const checked = checkKeys(options, ["startMs", "timeoutMs"], "InvocationClock options");
    this.startMs = checkNumber(checked["startMs"], "startMs", 0, Number.MAX_SAFE_INTEGER);
    this.timeoutMs = checkNumber(checked["timeoutMs"], "timeoutMs", 1, MAX_TIMEOUT_MS);
  }

  /** Virtual milliseconds consumed so far (never more than `timeoutMs`). */
  public get consumedMs(): number {
    return this.#consumedMs;
  }

  /** True once the consumed time reached the timeout. */
  public get timedOut(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Aborts when the invocation times out; downstreams listen to drop their connections. */
  public get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The invocation's virtual now: start plus the latency consumed so far. */
  public now(): number {
    return this.startMs + this.#consumedMs;
  }

  /** Milliseconds left before the timeout (`context.getRemainingTimeInMillis()`). */
  public remainingMs(): number {
    return this.timeoutMs - this.#consumedMs;
  }

  /**
   * Adds virtual latency. Returns true when the invocation is still within its timeout, false when
   * this latency (or an earlier one) reached it; then the time is capped at the timeout and
   * `signal` is aborted.
   */
  public consume(latencyMs: number): boolean {
    if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) {
      throw new ConfigurationError("latencyMs", `latencyMs must be a finite number >= 0; got ${latencyMs}`);
    }
    if (this.timedOut) return false;
    this.#consumedMs += latencyMs;
    if (this.#consumedMs >= this.timeoutMs) {
      this.#consumedMs = this.timeoutMs;
      this.#controller.abort();
      return false;
    }
    return true;
  }
}

/**
 * What the local servers need to know about the invocation in progress: the host implements it.
 * A request that arrives while `current()` is undefined comes from outside any handler (a scenario
 * injecting an event) and is served without virtual latency.
 *
 * @example
 * ```ts
 * import type { InvocationScope } from "@rebound/simulator";
 * const scope: InvocationScope = { current: () => host.currentClock() };
 * ```
 */
export interface InvocationScope {
  /** The clock of the invocation in progress, if any. */
  current(): InvocationClock | undefined;
}
