import { PermanentError, RetryableError } from "./errors.js";

/** How a failure should be treated by the retry machinery. */
export const Classification = { Retryable: "retryable", Permanent: "permanent" } as const;
export type Classification = (typeof Classification)[keyof typeof Classification];

/**
 * Decides whether a failure is worth retrying. Unknown errors are retryable: losing an event to a
 * wrong "permanent" guess is worse than paying for one more attempt.
 *
 * @example
 * ```ts
 * import { classify } from "@rebound/errors";
 * classify(new Error("boom")); // "retryable"
 * ```
 */
export function classify(error: unknown): Classification {
  if (error instanceof PermanentError) return Classification.Permanent;
  if (error instanceof RetryableError) return Classification.Retryable;
  return Classification.Retryable;
}
