import type { AslMachine } from "./asl/aslStateTypes.js";

/** How a runner ends: its output, or the error and cause that no Retry/Catch inside it handled. */
export type RunnerResult = { ok: true; output: unknown } | { ok: false; error: string; cause: string };

/** Called once when a runner's machine reaches a terminal state or fails. */
export type Finish = (result: RunnerResult) => void;

/**
 * A running machine body: the execution itself or one Parallel branch. Cancelling one stops its
 * timers' effects (a failed sibling branch, the execution's timeout); a cancelled runner cancels every
 * branch under it.
 *
 * @example
 * ```ts
 * const root: Runner = { machine, parent: undefined, cancelled: false, label: "Root", lastEventId: 0, finish: console.log };
 * ```
 */
export interface Runner {
  readonly machine: AslMachine;
  readonly parent: Runner | undefined;
  readonly finish: Finish;
  cancelled: boolean;
  /** Path for trace lines: `Root` or `Root/Parallel[1]`. */
  readonly label: string;
  /** Id of this runner's latest history event: the `previousEventId` of its next one. */
  lastEventId: number;
}

/** True when the runner or one of the runners it belongs to was cancelled. */
export function isCancelled(runner: Runner): boolean {
  for (let current: Runner | undefined = runner; current !== undefined; current = current.parent) {
    if (current.cancelled) return true;
  }
  return false;
}
