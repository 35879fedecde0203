import { StatesFailure } from "../engine/errors.js";
import { parseAslTimestamp } from "./asl/aslChoice.js";
import { type AslPath, readAslPath, show } from "./asl/aslPath.js";
import type { AslChoiceState, AslFailState, AslWaitState } from "./asl/aslStateTypes.js";
import type { AslEvaluationScope } from "./asl/aslTemplate.js";

/**
 * What the states without a task compute: the Choice rule that matches, when a Wait ends, the error a
 * Fail state raises. The execution does the moving (transitions, timers, finishing a branch).
 *
 * @example
 * ```ts
 * const next = chooseNext(state, scope); // the first matching rule's Next, else Default
 * ```
 */
export function chooseNext(state: AslChoiceState, scope: AslEvaluationScope): string {
  const chosen = state.choices.find((choice) => choice.condition(scope))?.next ?? state.defaultNext;
  if (chosen === undefined) {
    throw new StatesFailure(
      "States.NoChoiceMatched",
      `No Choice Rule matched in state '${state.name}' and it has no Default`,
    );
  }
  return chosen;
}

/**
 * When a Wait state entered at `enteredMs` ends: Seconds and SecondsPath from entry, Timestamp and
 * TimestampPath absolute (a past time ends it at once). `effective` is the state's effective input.
 */
export function waitUntilMs(state: AslWaitState, effective: unknown, enteredMs: number): number {
  const wait = state.wait;
  if (wait.kind === "seconds") return enteredMs + wait.seconds * 1000;
  if (wait.kind === "timestamp") return wait.epochMs;
  const lookup = readAslPath(effective, wait.path);
  const value = lookup.found ? lookup.value : undefined;
  if (wait.kind === "secondsPath") {
    if (!Number.isInteger(value) || (value as number) < 0) {
      throw new StatesFailure(
        "States.Runtime",
        `The SecondsPath '${wait.path.text}' of state '${state.name}' must point to a non-negative integer, got ${show(value)}`,
      );
    }
    return enteredMs + (value as number) * 1000;
  }
  const epochMs = parseAslTimestamp(value);
  if (Number.isNaN(epochMs)) {
    throw new StatesFailure(
      "States.Runtime",
      `The TimestampPath '${wait.path.text}' of state '${state.name}' must point to an RFC 3339 timestamp, got ${show(value)}`,
    );
  }
  return epochMs;
}

type AslFailStateField = { readonly value: string } | { readonly path: AslPath } | undefined;

/**
 * The failure a Fail state ends its branch with: Error (default `States.Fail`) and Cause (default
 * empty), literal or read by ErrorPath/CausePath from the raw input (a path to a non-string gives the
 * default).
 */
export function failStateResult(
  state: AslFailState,
  input: unknown,
): { ok: false; error: string; cause: string } {
  const read = (field: AslFailStateField): string | undefined => {
    if (field === undefined) return undefined;
    if ("value" in field) return field.value;
    const lookup = readAslPath(input, field.path);
    return lookup.found && typeof lookup.value === "string" ? lookup.value : undefined;
  };
  const error = read(state.error) ?? "States.Fail";
  return { ok: false, error, cause: read(state.cause) ?? "" };
}
