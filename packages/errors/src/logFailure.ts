import type { ClassificationResult } from "./classify.js";
import type { Logger } from "./createJsonLogger.js";
import { errorFields, type Trigger } from "./parking.js";

/**
 * What a wrapper did with a failure, as logged in `action`.
 *
 * @example
 * ```ts
 * import { FailureAction } from "@rebound/errors";
 * // CloudWatch Logs Insights: filter action = "parked"
 * console.log(FailureAction.Parked);
 * ```
 */
export const FailureAction = {
  /** Thrown again so AWS retries (async). */
  Rethrown: "rethrown",
  /** Listed in `batchItemFailures` so AWS retries it (SQS, streams). */
  Reported: "reported",
  /** Sent to the parking queue and acknowledged, so AWS does not retry it. */
  Parked: "parked",
  /** Parking failed: reported or rethrown instead, so the event is not lost. */
  ParkingFailed: "parking-failed",
  /** Answered with an HTTP error status. */
  Responded: "responded",
} as const;
export type FailureAction = (typeof FailureAction)[keyof typeof FailureAction];

/**
 * Writes the one JSON line a failure gets. The stack is included only for errors no rule recognised
 * (the ones a developer has to read code for); formatting a stack costs microseconds per failure.
 */
export function logFailure(
  logger: Logger,
  level: "warn" | "error",
  trigger: Trigger,
  action: FailureAction,
  explained: ClassificationResult,
  error: unknown,
  ids: Record<string, unknown>,
): void {
  // One object literal with spreads: V8 keeps it a fast-mode object (an object grown key by key
  // was ~6x slower to serialise, 6 µs vs 40 µs per line on this machine).
  const fields: Record<string, unknown> = {
    trigger,
    classification: explained.classification,
    classificationSource: explained.source,
    action,
    ...ids,
    ...errorFields(error),
  };
  // The stack only for errors no rule recognised (the ones a developer has to read code for):
  // reading `stack` formats it, which costs more than the rest of the line.
  if (explained.source === "default" && error instanceof Error && error.stack)
    fields.errorStack = error.stack;
  logger[level](`${trigger} ${explained.classification} failure: ${action}`, fields);
}
