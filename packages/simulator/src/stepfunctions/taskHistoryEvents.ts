import type { LambdaTaskTarget } from "./lambdaTask.js";

/** A history event's type and the details it always carries. */
interface TaskEvent {
  readonly type: string;
  readonly details: Record<string, unknown> | undefined;
}

/** The history events of one Lambda task attempt, by how it goes. */
export interface TaskHistoryEvents {
  readonly scheduled: TaskEvent;
  readonly started: TaskEvent;
  readonly succeeded: TaskEvent;
  readonly failed: TaskEvent;
  readonly timedOut: TaskEvent;
}

/**
 * The history events AWS records for one attempt of a Lambda Task, which depend on how the state
 * calls Lambda: a function ARN as `Resource` gives `LambdaFunctionScheduled` (`resource` = the
 * function's ARN, `input` = the event), `LambdaFunctionStarted`, then `LambdaFunctionSucceeded`,
 * `LambdaFunctionFailed` or `LambdaFunctionTimedOut`; the optimized integration
 * `arn:aws:states:::lambda:invoke` gives `TaskScheduled` (`resourceType: "lambda"`, `resource:
 * "invoke"`, `region`, `parameters`), `TaskStarted`, then `TaskSucceeded`, `TaskFailed` or
 * `TaskTimedOut` (docs/aws-semantics.md#sfn-execution-history).
 *
 * @example
 * ```ts
 * const events = taskHistoryEvents(target, { FunctionName: "charge", Payload: {} }, undefined);
 * events.scheduled.type; // "TaskScheduled"
 * ```
 */
export function taskHistoryEvents(
  target: LambdaTaskTarget,
  parameters: unknown,
  timeoutMs: number | undefined,
): TaskHistoryEvents {
  const timeout = timeoutMs === undefined ? {} : { timeoutInSeconds: timeoutMs / 1000 };
  if (target.optimized) {
    const task = { resourceType: "lambda", resource: "invoke" };
    return {
      scheduled: {
        type: "TaskScheduled",
        details: { ...task, region: target.fn.arn.split(":")[3], parameters, ...timeout },
      },
      started: { type: "TaskStarted", details: task },
      succeeded: { type: "TaskSucceeded", details: task },
      failed: { type: "TaskFailed", details: task },
      timedOut: { type: "TaskTimedOut", details: task },
    };
  }
  return {
    scheduled: {
      type: "LambdaFunctionScheduled",
      details: { resource: target.fn.arn, input: target.event, ...timeout },
    },
    started: { type: "LambdaFunctionStarted", details: undefined },
    succeeded: { type: "LambdaFunctionSucceeded", details: {} },
    failed: { type: "LambdaFunctionFailed", details: {} },
    timedOut: { type: "LambdaFunctionTimedOut", details: {} },
  };
}
