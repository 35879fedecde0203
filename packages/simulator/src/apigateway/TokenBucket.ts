import { ConfigurationError } from "../engine/errors.js";
import { assertIntInRange, assertOptions, describe } from "../engine/validate.js";

/** Steady-state rate and burst of an API Gateway throttle. */
export interface ThrottleLimits {
  /** Requests per second added back to the bucket (`throttling_rate_limit`). */
  readonly rateLimit: number;
  /** The bucket's size: requests that may arrive at the same instant (`throttling_burst_limit`). */
  readonly burstLimit: number;
}

/**
 * API Gateway's throttle: a token bucket that starts full (`burstLimit` tokens), gains `rateLimit`
 * tokens per second of virtual time up to `burstLimit`, and lets a request through only if it can take
 * a whole token. A burst of 2,000 requests at one instant against burst 50 lets exactly 50 through.
 *
 * @example
 * ```ts
 * const bucket = new TokenBucket({ rateLimit: 100, burstLimit: 50 }, 0);
 * bucket.take(0); // true (49 tokens left)
 * ```
 */
export class TokenBucket {
  readonly #limits: ThrottleLimits;
  #tokens: number;
  #lastMs: number;

  public constructor(limits: ThrottleLimits, nowMs: number) {
    assertOptions("throttle", limits, ["rateLimit", "burstLimit"]);
    if (typeof limits.rateLimit !== "number" || !Number.isFinite(limits.rateLimit) || limits.rateLimit < 0)
      throw new ConfigurationError(
        "rateLimit",
        `throttle: rateLimit must be a number of requests per second ≥ 0, got ${describe(limits.rateLimit)}`,
      );
    assertIntInRange("throttle", "burstLimit", limits.burstLimit, 0, 2 ** 31 - 1);
    this.#limits = limits;
    this.#tokens = limits.burstLimit;
    this.#lastMs = nowMs;
  }

  /** Takes one token at `nowMs` if there is one; false means the request is throttled (429). */
  public take(nowMs: number): boolean {
    const elapsedMs = Math.max(0, nowMs - this.#lastMs);
    this.#lastMs = Math.max(this.#lastMs, nowMs);
    this.#tokens = Math.min(
      this.#limits.burstLimit,
      this.#tokens + (elapsedMs / 1000) * this.#limits.rateLimit,
    );
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
