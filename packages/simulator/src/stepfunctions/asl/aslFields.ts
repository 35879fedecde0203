import { AslDefinitionError } from "../../engine/errors.js";
import { type AslPath, parseAslPath, show } from "./aslPath.js";
import type { AslStateType } from "./aslStateTypes.js";

// The fields each state type may carry, the fields of machines, branches, retriers and catchers, and
// the readers shared by every state's validation. Anything not listed is rejected when the definition
// loads; fields ASL has but Rebound does not model are rejected with the reason.

const COMMON = ["Type", "Comment", "QueryLanguage"];
const FLOW = ["Next", "End"];
/** The fields each state type accepts. */
export const FIELDS: Record<AslStateType, ReadonlySet<string>> = {
  Task: new Set([
    ...COMMON,
    ...FLOW,
    "Resource",
    "InputPath",
    "OutputPath",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "Retry",
    "Catch",
    "TimeoutSeconds",
  ]),
  Pass: new Set([...COMMON, ...FLOW, "InputPath", "OutputPath", "Parameters", "Result", "ResultPath"]),
  Choice: new Set([...COMMON, "InputPath", "OutputPath", "Choices", "Default"]),
  Wait: new Set([
    ...COMMON,
    ...FLOW,
    "InputPath",
    "OutputPath",
    "Seconds",
    "SecondsPath",
    "Timestamp",
    "TimestampPath",
  ]),
  Succeed: new Set([...COMMON, "InputPath", "OutputPath"]),
  Fail: new Set([...COMMON, "Error", "Cause", "ErrorPath", "CausePath"]),
  Parallel: new Set([
    ...COMMON,
    ...FLOW,
    "Branches",
    "InputPath",
    "OutputPath",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "Retry",
    "Catch",
  ]),
};
// Fields that are valid ASL but that Rebound does not model: named so the error says "not modelled"
// rather than "unknown", and what to do about it.
export const NOT_MODELLED: Record<string, string> = {
  HeartbeatSeconds: "heartbeats only matter for activities and .waitForTaskToken, which Rebound does not run",
  HeartbeatSecondsPath:
    "heartbeats only matter for activities and .waitForTaskToken, which Rebound does not run",
  TimeoutSecondsPath: "use a literal TimeoutSeconds",
  Credentials: "cross-account task credentials are not modelled",
  Arguments: "JSONata states are not supported; use JSONPath (Parameters)",
  Output: "JSONata states are not supported; use JSONPath (OutputPath/ResultSelector)",
  Assign: "workflow variables are not supported",
  Items: "Map states are not supported",
};
export const RETRIER_FIELDS = new Set([
  "ErrorEquals",
  "IntervalSeconds",
  "MaxAttempts",
  "BackoffRate",
  "MaxDelaySeconds",
  "JitterStrategy",
  "Comment",
]);
export const CATCHER_FIELDS = new Set(["ErrorEquals", "Next", "ResultPath", "Comment"]);
export const MACHINE_FIELDS = new Set([
  "StartAt",
  "States",
  "Comment",
  "TimeoutSeconds",
  "Version",
  "QueryLanguage",
]);
export const BRANCH_FIELDS = new Set(["StartAt", "States", "Comment"]);
// ASL's upper bound for IntervalSeconds, MaxAttempts and MaxDelaySeconds (99999999); one year for timeouts.
export const ASL_MAX_INT = 99_999_999;

/** The fields of a state type, for error messages. */
export function fieldList(type: AslStateType): string {
  return [...FIELDS[type]].join(", ");
}

/** A path field: `$` when absent, null when set to null (InputPath, OutputPath, ResultPath). */
export function optionalPath(raw: Record<string, unknown>, key: string, where: string): AslPath | null {
  if (!(key in raw)) return parseAslPath("$", where);
  const value = raw[key];
  if (value === null) return null;
  const path = parseAslPath(value as string, `${where}, field ${key}`);
  return path;
}

/** An optional integer field within [min, max]; undefined when absent. */
export function integerField(
  raw: Record<string, unknown>,
  key: string,
  where: string,
  min: number,
  max: number,
): number | undefined {
  if (!(key in raw)) return undefined;
  const value = raw[key];
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new AslDefinitionError(
      `${where}, field ${key}: expected an integer from ${min} to ${max}, got ${show(value)}`,
    );
  }
  return value as number;
}
