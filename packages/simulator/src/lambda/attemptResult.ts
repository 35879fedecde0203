import { AttemptResult, type Outcomes } from "../engine/Outcomes.js";
import { type InvocationResult, InvocationStatus, type LambdaFunction } from "./LambdaFunction.js";

/**
 * How an invocation counts as an attempt of the events it carried: the one mapping from the
 * runtime's result to the outcome book's attempt result, used by every source model.
 *
 * @example
 * ```ts
 * import { attemptResultOf } from "@rebound/simulator";
 * attemptResultOf(result); // "success" | "throttled" | "timeout" | "function-error"
 * ```
 */
export function attemptResultOf(result: InvocationResult): AttemptResult {
  switch (result.status) {
    case InvocationStatus.Success:
      return AttemptResult.Success;
    case InvocationStatus.Throttled:
      return AttemptResult.Throttled;
    default:
      return result.timedOut ? AttemptResult.Timeout : AttemptResult.FunctionError;
  }
}

/**
 * Records one attempt of an event in the outcome book (detailed mode) or only counts it.
 *
 * @example
 * ```ts
 * import { recordAttempt } from "@rebound/simulator";
 * fn.invoke(payload, requestId, (result) => recordAttempt(topology.outcomes, eventId, fn, result));
 * ```
 */
export function recordAttempt(
  outcomes: Outcomes,
  eventId: number,
  fn: LambdaFunction,
  result: InvocationResult,
  batch?: readonly string[],
): void {
  if (!outcomes.detailed) {
    outcomes.countAttempts(1);
    return;
  }
  outcomes.attempt(eventId, {
    startMs: result.startMs,
    endMs: result.endMs,
    functionName: fn.functionName,
    requestId: result.requestId,
    result: attemptResultOf(result),
    ...(result.status === InvocationStatus.FunctionError ? { errorType: result.error.errorType } : {}),
    ...(batch !== undefined ? { batch } : {}),
  });
}
