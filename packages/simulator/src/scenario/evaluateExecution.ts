import { containsShape } from "./containsShape.js";
import { isCopyOf } from "./expandEvents.js";
import type { ExecutionExpectation } from "./Scenario.js";

/** A Step Functions execution as the run saw it, for `execution` expectations and the report. */
export interface ObservedExecution {
  /** The scenario's injection id when a scenario event started it, else the execution's name. */
  readonly id: string;
  readonly name: string;
  /** The state machine's short name. */
  readonly stateMachine: string;
  readonly status: string;
  readonly error: string | undefined;
  readonly cause: string | undefined;
  readonly output: unknown;
  /** The history's event types, oldest first. */
  readonly history: readonly string[];
}

/**
 * Checks an `execution` expectation against the executions of a run: each selected execution must
 * have the status, error, cause (contained), output (shape contained) and history types asked for.
 * The detail says, per failing execution, what was expected and what was found.
 *
 * @example
 * ```ts
 * const { ok, detail } = evaluateExecution(expectation, observedExecutions);
 * ```
 */
export function evaluateExecution(
  expectation: ExecutionExpectation,
  executions: readonly ObservedExecution[],
): { ok: boolean; detail: string } {
  const selected = executions.filter((execution) =>
    expectation.event !== undefined
      ? isCopyOf(execution.id, expectation.event)
      : execution.stateMachine === expectation.stateMachine,
  );
  if (selected.length === 0) {
    return {
      ok: false,
      detail: `no execution ${expectation.event !== undefined ? `started by event ${expectation.event}` : `of ${expectation.stateMachine}`} ran; executions: ${executions.map((execution) => execution.id).join(", ") || "none"}`,
    };
  }
  const failures: string[] = [];
  for (const execution of selected) {
    const problems = problemsOf(expectation, execution);
    if (problems.length > 0) failures.push(`${execution.id}: ${problems.join("; ")}`);
  }
  if (failures.length > 0) return { ok: false, detail: failures.slice(0, 5).join("\n") };
  const first = selected[0]!;
  return {
    ok: true,
    detail: `${selected.length} execution(s), ${first.status}${first.error ? ` (${first.error})` : ""}, ${first.history.length} history events`,
  };
}

function problemsOf(expectation: ExecutionExpectation, execution: ObservedExecution): string[] {
  const problems: string[] = [];
  if (expectation.status !== undefined && execution.status !== expectation.status)
    problems.push(`status ${execution.status}, expected ${expectation.status}`);
  if (expectation.error !== undefined && execution.error !== expectation.error)
    problems.push(`error ${execution.error ?? "(none)"}, expected ${expectation.error}`);
  if (expectation.cause !== undefined && !(execution.cause ?? "").includes(expectation.cause))
    problems.push(
      `cause ${JSON.stringify(execution.cause ?? null)}, expected it to contain ${JSON.stringify(expectation.cause)}`,
    );
  if (expectation.output !== undefined) {
    const difference = containsShape(execution.output, expectation.output);
    if (difference !== undefined) problems.push(`output ${difference}`);
  }
  if (expectation.history !== undefined && execution.history.join(",") !== expectation.history.join(",")) {
    problems.push(
      `history\n    expected ${expectation.history.join(" → ")}\n    actual   ${execution.history.join(" → ")}`,
    );
  }
  if (expectation.historyIncludes !== undefined) {
    let from = 0;
    for (const type of expectation.historyIncludes) {
      const found = execution.history.indexOf(type, from);
      if (found < 0) {
        problems.push(
          `history has no ${type} after event ${from}\n    expected in order ${expectation.historyIncludes.join(" → ")}\n    actual   ${execution.history.join(" → ")}`,
        );
        break;
      }
      from = found + 1;
    }
  }
  return problems;
}
