/**
 * Execution status as DescribeExecution reports it.
 *
 * @example
 * ```ts
 * import { ExecutionStatus } from "@rebound/simulator";
 * if (sfn.describeExecution(arn).status === ExecutionStatus.Failed) console.log("failed");
 * ```
 */
export const ExecutionStatus = {
  Running: "RUNNING",
  Succeeded: "SUCCEEDED",
  Failed: "FAILED",
  TimedOut: "TIMED_OUT",
} as const;
/** One of `ExecutionStatus`'s values. */
export type ExecutionStatus = (typeof ExecutionStatus)[keyof typeof ExecutionStatus];
