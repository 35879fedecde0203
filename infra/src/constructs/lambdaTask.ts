import { LAMBDA_SERVICE_ERRORS } from "../constants.js";
import { PropChecks } from "../PropChecks.js";
import type { NodeFunction } from "./NodeFunction.js";

/** A Step Functions retrier (Amazon States Language field names). */
export interface Retrier {
  readonly ErrorEquals: readonly string[];
  /** Seconds before the first retry. ASL default 1. */
  readonly IntervalSeconds?: number;
  /** Retries (0 = never). ASL default 3. */
  readonly MaxAttempts?: number;
  /** Multiplier per retry, >= 1. ASL default 2. */
  readonly BackoffRate?: number;
  /** Cap of one computed interval, in seconds. */
  readonly MaxDelaySeconds?: number;
  /** FULL = random between 0 and the computed interval; NONE (default) = the interval. */
  readonly JitterStrategy?: "FULL" | "NONE";
}

/** A Step Functions catcher. */
export interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  /** Where the error output `{Error, Cause}` goes; `$.error` keeps the input beside it. */
  readonly ResultPath?: string;
}

/** Options of {@link lambdaTask}. */
export interface LambdaTaskOptions {
  /** Next state; exactly one of `next` and `end`. */
  readonly next?: string;
  readonly end?: boolean;
  /** Retriers for the function's own errors; the Lambda service retrier is always first. */
  readonly retry?: readonly Retrier[];
  readonly catch?: readonly Catcher[];
  /** Where the function's result `{Payload}` goes. Default `$` (replaces the input); use e.g. `$.reservation` to keep it. */
  readonly resultPath?: string;
  readonly comment?: string;
}

/**
 * Retries the transient Lambda service errors (throttling included) the way AWS's Step Functions
 * best practice advises: 2 s, backoff 2, 6 attempts, full jitter so a throttled fleet does not
 * retry in lockstep, each wait capped at 30 s.
 *
 * @example
 * ```ts
 * import { LAMBDA_SERVICE_RETRIER } from "@rebound/infra/constructs/lambdaTask";
 * LAMBDA_SERVICE_RETRIER.ErrorEquals.includes("Lambda.TooManyRequestsException"); // true
 * ```
 */
export const LAMBDA_SERVICE_RETRIER: Retrier = {
  ErrorEquals: [...LAMBDA_SERVICE_ERRORS, "Lambda.ClientExecutionTimeoutException"],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 30,
  JitterStrategy: "FULL",
};

/**
 * A Task state invoking a function through the optimized `arn:aws:states:::lambda:invoke`
 * integration, with TimeoutSeconds equal to the function's timeout (a hung invoke fails as
 * `States.Timeout` instead of waiting a year), the Lambda service retrier first, then yours.
 *
 * @example
 * ```ts
 * import { lambdaTask } from "@rebound/infra/constructs/lambdaTask";
 * const reserve = lambdaTask(reserveStock, {
 *   next: "ShipOrder",
 *   retry: [{ ErrorEquals: ["StockServiceUnavailable"], IntervalSeconds: 2, MaxAttempts: 4, BackoffRate: 2 }],
 *   catch: [{ ErrorEquals: ["OutOfStock"], ResultPath: "$.error", Next: "OutOfStock" }],
 * });
 * ```
 */
export function lambdaTask(fn: NodeFunction, options: LambdaTaskOptions): Record<string, unknown> {
  const checks = new PropChecks(`lambdaTask ${fn.functionName}`, options, [
    "next",
    "end",
    "retry",
    "catch",
    "resultPath",
    "comment",
  ]);
  checks.require(
    (options.next === undefined) !== (options.end !== true),
    "set exactly one of next or end: true",
  );
  for (const [i, retrier] of (options.retry ?? []).entries()) {
    checks.require(retrier.ErrorEquals.length > 0, `retry[${i}].ErrorEquals must name at least one error`);
    checks.require(
      retrier.BackoffRate === undefined || retrier.BackoffRate >= 1,
      `retry[${i}].BackoffRate must be >= 1, got ${retrier.BackoffRate}`,
    );
  }
  checks.throwIfAny();
  return {
    Type: "Task",
    ...(options.comment ? { Comment: options.comment } : {}),
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: { FunctionName: fn.arn, "Payload.$": "$" },
    // Keep only the function's return value, not the Invoke API's status code and headers.
    ResultSelector: { "Payload.$": "$.Payload" },
    ResultPath: options.resultPath ?? "$",
    TimeoutSeconds: fn.timeout,
    Retry: [LAMBDA_SERVICE_RETRIER, ...(options.retry ?? [])],
    ...(options.catch && options.catch.length > 0 ? { Catch: options.catch } : {}),
    ...(options.next !== undefined ? { Next: options.next } : { End: true }),
  };
}
