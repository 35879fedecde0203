/** A retrier of a Task or Parallel state, with AWS's defaults filled in. */
export interface AslRetrier {
  readonly errorEquals: readonly string[];
  /** Default 1. */
  readonly intervalSeconds: number;
  /** Default 3; 0 means never retried. */
  readonly maxAttempts: number;
  /** Default 2.0. */
  readonly backoffRate: number;
  /** Caps the computed interval before jitter; undefined when not set. */
  readonly maxDelaySeconds: number | undefined;
  /** Default NONE. */
  readonly jitterStrategy: "FULL" | "NONE";
}

/**
 * Error names a Lambda task reports for failures AWS documents as `Lambda.Unknown` (function timeouts,
 * out-of-memory, runtime exits). AWS is ambiguous whether the optimized lambda:invoke integration
 * reports `Sandbox.Timedout` or `Lambda.Unknown` (docs/aws-semantics.md#sfn-error-names); Rebound reports Lambda's own
 * errorType and lets `Lambda.Unknown` in ErrorEquals match these too, so a definition written for
 * either reading behaves the same.
 */
const LAMBDA_UNKNOWN_ALIASES = new Set(["Sandbox.Timedout", "Runtime.ExitError", "Runtime.OutOfMemory"]);

// Errors no wildcard may catch or retry: States.Runtime (a definition/data bug) and
// States.DataLimitExceeded are terminal in AWS (SFN dev guide, "Error names").
const TERMINAL = new Set(["States.Runtime", "States.DataLimitExceeded"]);

/**
 * Whether an error name matches an ErrorEquals list: exact names; `States.ALL` matches everything but
 * terminal errors; `States.TaskFailed` matches everything but `States.Timeout` and terminal errors;
 * `Lambda.Unknown` also matches Lambda's timeout / runtime-exit error types.
 *
 * @example
 * ```ts
 * import { errorMatches } from "@rebound/simulator";
 * errorMatches("PaymentDeclined", ["States.TaskFailed"]); // true
 * errorMatches("States.Timeout", ["States.TaskFailed"]); // false
 * ```
 */
export function errorMatches(error: string, errorEquals: readonly string[]): boolean {
  for (const name of errorEquals) {
    if (name === error) return true;
    if (TERMINAL.has(error)) continue;
    if (name === "States.ALL") return true;
    if (name === "States.TaskFailed" && error !== "States.Timeout") return true;
    if (name === "Lambda.Unknown" && LAMBDA_UNKNOWN_ALIASES.has(error)) return true;
  }
  return false;
}

/**
 * Whether AWS lets Retry or Catch handle this error at all (`States.Runtime` and
 * `States.DataLimitExceeded` always fail the execution).
 *
 * @example
 * ```ts
 * import { isTerminalStatesError } from "@rebound/simulator";
 * isTerminalStatesError("States.Runtime"); // true
 * ```
 */
export function isTerminalStatesError(error: string): boolean {
  return TERMINAL.has(error);
}

/**
 * The wait before retry number `attempt` (1-based) of a retrier, in milliseconds:
 * `IntervalSeconds × BackoffRate^(attempt-1)`, capped by MaxDelaySeconds, then for JitterStrategy FULL a
 * uniform draw in [0, that] from the seeded source. Docs example: Interval 3, Rate 1.5 → 3 s, 4.5 s.
 *
 * @example
 * ```ts
 * import { retryDelayMs } from "@rebound/simulator";
 * const retrier = { errorEquals: ["States.ALL"], intervalSeconds: 3, maxAttempts: 2, backoffRate: 1.5, maxDelaySeconds: undefined, jitterStrategy: "NONE" } as const;
 * retryDelayMs(retrier, 2, () => 0.5); // 4500
 * ```
 */
export function retryDelayMs(retrier: AslRetrier, attempt: number, random: () => number): number {
  let seconds = retrier.intervalSeconds * retrier.backoffRate ** (attempt - 1);
  if (retrier.maxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.maxDelaySeconds);
  // Virtual time is kept in whole milliseconds so traces stay byte-identical across platforms.
  const capMs = Math.round(seconds * 1000);
  return retrier.jitterStrategy === "FULL" ? Math.floor(random() * (capMs + 1)) : capMs;
}

/** What to do after an error: retry after a delay, or give up and go to the catchers. */
export type RetryDecision =
  | {
      readonly retry: true;
      readonly retrierIndex: number;
      readonly attempt: number;
      readonly delayMs: number;
    }
  | { readonly retry: false; readonly retrierIndex: number | null };

/**
 * Picks the retrier for an error and decides whether to retry. Retriers are scanned in order and the
 * first whose ErrorEquals matches applies (later ones are not consulted even if it is exhausted);
 * `attemptsByRetrier` holds how many retries each retrier has already granted in this state visit
 * and is updated in place, so counters survive interleaved errors (SFN guide: ErrorA, ErrorB, ErrorC,
 * ErrorB → waits 1, 2, 5, 4 s).
 *
 * @example
 * ```ts
 * import { decideRetry } from "@rebound/simulator";
 * const counters: number[] = [];
 * decideRetry([{ errorEquals: ["States.ALL"], intervalSeconds: 1, maxAttempts: 3, backoffRate: 2, maxDelaySeconds: undefined, jitterStrategy: "NONE" }], "Boom", counters, Math.random);
 * // { retry: true, retrierIndex: 0, attempt: 1, delayMs: 1000 }
 * ```
 */
export function decideRetry(
  retriers: readonly AslRetrier[],
  error: string,
  attemptsByRetrier: number[],
  random: () => number,
): RetryDecision {
  if (isTerminalStatesError(error)) return { retry: false, retrierIndex: null };
  for (let index = 0; index < retriers.length; index++) {
    const retrier = retriers[index]!;
    if (!errorMatches(error, retrier.errorEquals)) continue;
    const used = attemptsByRetrier[index] ?? 0;
    if (used >= retrier.maxAttempts) return { retry: false, retrierIndex: index };
    attemptsByRetrier[index] = used + 1;
    return {
      retry: true,
      retrierIndex: index,
      attempt: used + 1,
      delayMs: retryDelayMs(retrier, used + 1, random),
    };
  }
  return { retry: false, retrierIndex: null };
}
