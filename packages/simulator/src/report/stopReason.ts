import { formatVirtualDuration } from "./formatVirtualDuration.js";
import type { RunResult } from "./RunResult.js";

/**
 * Why a run stopped, in the words the summary and the report print.
 *
 * @example
 * ```ts
 * stopReason(result); // "ran until idle"
 * ```
 */
export function stopReason(
  result: Pick<RunResult, "stoppedBecause" | "virtualCapMs" | "virtualStartMs">,
): string {
  switch (result.stoppedBecause) {
    case "idle":
      return "ran until idle";
    case "duration":
      return "scenario duration reached";
    case "cap":
      return `virtual-time cap of ${formatVirtualDuration(result.virtualCapMs - result.virtualStartMs)} reached`;
    case "refused":
      return "not run: AWS would refuse the stack";
  }
}
