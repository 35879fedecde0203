import { createRequire } from "node:module";
import { AslDefinitionError } from "../../engine/errors.js";
import { type AslCondition, compileAslCondition, parseAslTimestamp } from "./aslChoice.js";
import { type AslPath, isPlainObject, parseAslPath, show } from "./aslPath.js";
import type { AslRetrier } from "./aslRetry.js";
import { type AslTemplate, compileAslTemplate } from "./aslTemplate.js";

/** The state types Rebound runs. Map, and any other type, is rejected when the definition loads. */
export const ASL_STATE_TYPES = ["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel"] as const;
/** One of {@link ASL_STATE_TYPES}. */
export type AslStateType = (typeof ASL_STATE_TYPES)[number];

/** The optimized Lambda integration; direct function ARNs are also accepted as Task resources. */
export const LAMBDA_INVOKE_RESOURCE = "arn:aws:states:::lambda:invoke";

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;

/** A Catch entry with its default ResultPath (`$`) filled in. */
export interface AslCatcher {
  readonly errorEquals: readonly string[];
  readonly next: string;
  /** null discards the error output; the default `$` replaces the input with it. */
  readonly resultPath: AslPath | null;
}

interface AslStateBase {
  readonly name: string;
  /** null: the state's input is `{}`; the default `$` passes the whole input. */
  readonly inputPath: AslPath | null;
  /** null: the state's output is `{}`. */
  readonly outputPath: AslPath | null;
  /** Where to go next; undefined for a terminal state (End, Succeed, Fail). */
  readonly next: string | undefined;
}

/** How a Task reaches Lambda. */
export type AslTaskTarget =
  | { readonly kind: "lambda:invoke" }
  | { readonly kind: "function"; readonly functionArn: string };

/** Task state. */
export interface AslTaskState extends AslStateBase {
  readonly type: "Task";
  readonly target: AslTaskTarget;
  readonly parameters: AslTemplate | undefined;
  readonly resultSelector: AslTemplate | undefined;
  readonly resultPath: AslPath | null;
  readonly retry: readonly AslRetrier[];
  readonly catch: readonly AslCatcher[];
  /** Task timeout in ms; undefined when not set (AWS: the execution's own limit applies). */
  readonly timeoutMs: number | undefined;
}

/** Pass state. */
export interface AslPassState extends AslStateBase {
  readonly type: "Pass";
  readonly parameters: AslTemplate | undefined;
  /** The Result field when present (`hasResult` tells an explicit null from absence). */
  readonly result: unknown;
  readonly hasResult: boolean;
  readonly resultPath: AslPath | null;
}

/** Choice state. */
export interface AslChoiceState extends AslStateBase {
  readonly type: "Choice";
  readonly choices: ReadonlyArray<{ readonly condition: AslCondition; readonly next: string }>;
  readonly defaultNext: string | undefined;
}

/** Wait state: exactly one of the four duration forms. */
export interface AslWaitState extends AslStateBase {
  readonly type: "Wait";
  readonly wait:
    | { readonly kind: "seconds"; readonly seconds: number }
    | { readonly kind: "secondsPath"; readonly path: AslPath }
    | { readonly kind: "timestamp"; readonly epochMs: number }
    | { readonly kind: "timestampPath"; readonly path: AslPath };
}

/** Succeed state. */
export interface AslSucceedState extends AslStateBase {
  readonly type: "Succeed";
}

/** Fail state. */
export interface AslFailState extends AslStateBase {
  readonly type: "Fail";
  readonly error: { readonly value: string } | { readonly path: AslPath } | undefined;
  readonly cause: { readonly value: string } | { readonly path: AslPath } | undefined;
}

/** Parallel state: each branch is a machine of its own. */
export interface AslParallelState extends AslStateBase {
  readonly type: "Parallel";
  readonly branches: readonly AslMachine[];
  readonly parameters: AslTemplate | undefined;
  readonly resultSelector: AslTemplate | undefined;
  readonly resultPath: AslPath | null;
  readonly retry: readonly AslRetrier[];
  readonly catch: readonly AslCatcher[];
}

/** Any state Rebound runs. */
export type AslState =
  | AslTaskState
  | AslPassState
  | AslChoiceState
  | AslWaitState
  | AslSucceedState
  | AslFailState
  | AslParallelState;

/** A parsed, validated state machine (or Parallel branch). */
export interface AslMachine {
  readonly startAt: string;
  readonly states: ReadonlyMap<string, AslState>;
  /** Top-level TimeoutSeconds in ms (machines only; undefined when not set). */
  readonly timeoutMs: number | undefined;
}

const COMMON = ["Type", "Comment", "QueryLanguage"];
const FLOW = ["Next", "End"];
const FIELDS: Record<AslStateType, ReadonlySet<string>> = {
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
const NOT_MODELLED: Record<string, string> = {
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
const RETRIER_FIELDS = new Set([
  "ErrorEquals",
  "IntervalSeconds",
  "MaxAttempts",
  "BackoffRate",
  "MaxDelaySeconds",
  "JitterStrategy",
  "Comment",
]);
const CATCHER_FIELDS = new Set(["ErrorEquals", "Next", "ResultPath", "Comment"]);
const MACHINE_FIELDS = new Set([
  "StartAt",
  "States",
  "Comment",
  "TimeoutSeconds",
  "Version",
  "QueryLanguage",
]);
const BRANCH_FIELDS = new Set(["StartAt", "States", "Comment"]);
const LAMBDA_INVOKE_PARAMETERS = new Set(["FunctionName", "Payload", "Qualifier"]);
// ASL's upper bound for IntervalSeconds, MaxAttempts and MaxDelaySeconds (99999999); one year for timeouts.
const ASL_MAX_INT = 99_999_999;

function fieldList(type: AslStateType): string {
  return [...FIELDS[type]].join(", ");
}

function optionalPath(raw: Record<string, unknown>, key: string, where: string): AslPath | null {
  if (!(key in raw)) return parseAslPath("$", where);
  const value = raw[key];
  if (value === null) return null;
  const path = parseAslPath(value as string, `${where}, field ${key}`);
  return path;
}

function integerField(
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

function errorEqualsOf(raw: Record<string, unknown>, where: string, position: "last" | "not last"): string[] {
  const list = raw.ErrorEquals;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((item) => typeof item === "string" && item !== "")
  ) {
    throw new AslDefinitionError(
      `${where}, field ErrorEquals: expected a non-empty array of error names, got ${show(list)}`,
    );
  }
  if (list.includes("States.ALL") && (list.length > 1 || position !== "last")) {
    // ASL rule: States.ALL must appear alone and in the last retrier / catcher.
    throw new AslDefinitionError(
      `${where}, field ErrorEquals: "States.ALL" must be the only name and belong to the last entry`,
    );
  }
  return list as string[];
}

function parseRetriers(raw: unknown, where: string): AslRetrier[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new AslDefinitionError(`${where}, field Retry: expected an array of retriers`);
  return raw.map((entry, index) => {
    const at = `${where}, Retry[${index}]`;
    if (!isPlainObject(entry)) throw new AslDefinitionError(`${at}: expected an object`);
    for (const key of Object.keys(entry)) {
      if (!RETRIER_FIELDS.has(key)) {
        throw new AslDefinitionError(
          `${at}: unknown field ${JSON.stringify(key)} (allowed: ${[...RETRIER_FIELDS].join(", ")})`,
        );
      }
    }
    const backoffRate = entry.BackoffRate ?? 2.0;
    if (typeof backoffRate !== "number" || !(backoffRate >= 1)) {
      throw new AslDefinitionError(
        `${at}, field BackoffRate: expected a number >= 1.0, got ${show(entry.BackoffRate)}`,
      );
    }
    const jitter = entry.JitterStrategy ?? "NONE";
    if (jitter !== "FULL" && jitter !== "NONE") {
      throw new AslDefinitionError(
        `${at}, field JitterStrategy: expected "FULL" or "NONE", got ${show(jitter)}`,
      );
    }
    return {
      errorEquals: errorEqualsOf(entry, at, index === raw.length - 1 ? "last" : "not last"),
      intervalSeconds: integerField(entry, "IntervalSeconds", at, 1, ASL_MAX_INT) ?? 1,
      maxAttempts: integerField(entry, "MaxAttempts", at, 0, ASL_MAX_INT) ?? 3,
      backoffRate,
      maxDelaySeconds: integerField(entry, "MaxDelaySeconds", at, 1, ASL_MAX_INT),
      jitterStrategy: jitter,
    };
  });
}

function parseCatchers(raw: unknown, where: string): AslCatcher[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new AslDefinitionError(`${where}, field Catch: expected an array of catchers`);
  return raw.map((entry, index) => {
    const at = `${where}, Catch[${index}]`;
    if (!isPlainObject(entry)) throw new AslDefinitionError(`${at}: expected an object`);
    for (const key of Object.keys(entry)) {
      if (!CATCHER_FIELDS.has(key)) {
        throw new AslDefinitionError(
          `${at}: unknown field ${JSON.stringify(key)} (allowed: ${[...CATCHER_FIELDS].join(", ")})`,
        );
      }
    }
    if (typeof entry.Next !== "string")
      throw new AslDefinitionError(`${at}, field Next: expected a state name`);
    return {
      errorEquals: errorEqualsOf(entry, at, index === raw.length - 1 ? "last" : "not last"),
      next: entry.Next,
      resultPath: optionalPath(entry, "ResultPath", at),
    };
  });
}

function parseTarget(raw: Record<string, unknown>, where: string): AslTaskTarget {
  const resource = raw.Resource;
  if (resource === LAMBDA_INVOKE_RESOURCE) {
    const parameters = raw.Parameters;
    if (!isPlainObject(parameters)) {
      throw new AslDefinitionError(
        `${where}, field Parameters: ${LAMBDA_INVOKE_RESOURCE} needs Parameters with FunctionName (and usually "Payload.$": "$")`,
      );
    }
    const names = Object.keys(parameters).map((key) => (key.endsWith(".$") ? key.slice(0, -2) : key));
    if (!names.includes("FunctionName")) {
      throw new AslDefinitionError(
        `${where}, field Parameters: ${LAMBDA_INVOKE_RESOURCE} needs FunctionName`,
      );
    }
    for (const name of names) {
      if (!LAMBDA_INVOKE_PARAMETERS.has(name)) {
        throw new AslDefinitionError(
          `${where}, field Parameters.${name}: not supported for ${LAMBDA_INVOKE_RESOURCE} ` +
            `(supported: ${[...LAMBDA_INVOKE_PARAMETERS].join(", ")}; InvocationType and ClientContext are not modelled)`,
        );
      }
    }
    return { kind: "lambda:invoke" };
  }
  if (typeof resource === "string" && LAMBDA_ARN.test(resource))
    return { kind: "function", functionArn: resource };
  throw new AslDefinitionError(
    `${where}, field Resource: ${show(resource)} is not supported; use "${LAMBDA_INVOKE_RESOURCE}" ` +
      "or a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)",
  );
}

function parseFailField(
  raw: Record<string, unknown>,
  key: "Error" | "Cause",
  where: string,
): AslFailState["error"] {
  const value = raw[key];
  const pathValue = raw[`${key}Path`];
  if (value !== undefined && pathValue !== undefined) {
    throw new AslDefinitionError(`${where}: use ${key} or ${key}Path, not both`);
  }
  if (value !== undefined) {
    if (typeof value !== "string") throw new AslDefinitionError(`${where}, field ${key}: expected a string`);
    return { value };
  }
  if (pathValue !== undefined)
    return { path: parseAslPath(pathValue as string, `${where}, field ${key}Path`) };
  return undefined;
}

function parseState(name: string, raw: unknown, stateNames: ReadonlySet<string>): AslState {
  const where = `state ${JSON.stringify(name)}`;
  if (!isPlainObject(raw)) throw new AslDefinitionError(`${where}: expected an object, got ${show(raw)}`);
  const type = raw.Type;
  if (!(ASL_STATE_TYPES as readonly unknown[]).includes(type)) {
    throw new AslDefinitionError(
      `${where}, field Type: ${show(type)} is not supported; Rebound runs ${ASL_STATE_TYPES.join(", ")}` +
        (type === "Map" ? " (Map is not modelled: split the items upstream or use Parallel)" : ""),
    );
  }
  const stateType = type as AslStateType;
  const at = `${where} (${stateType})`;
  for (const key of Object.keys(raw)) {
    if (FIELDS[stateType].has(key)) continue;
    const reason = NOT_MODELLED[key];
    throw new AslDefinitionError(
      `${at}, field ${key}: ${reason ? `not supported (${reason})` : "unknown field"}; allowed fields: ${fieldList(stateType)}`,
    );
  }
  if (raw.QueryLanguage !== undefined && raw.QueryLanguage !== "JSONPath") {
    throw new AslDefinitionError(
      `${at}, field QueryLanguage: only "JSONPath" is supported, got ${show(raw.QueryLanguage)}`,
    );
  }
  const checkTarget = (target: unknown, field: string): string => {
    if (typeof target !== "string" || !stateNames.has(target)) {
      throw new AslDefinitionError(
        `${at}, field ${field}: ${show(target)} is not a state of this machine or branch (states: ${[...stateNames].join(", ")})`,
      );
    }
    return target;
  };
  let next: string | undefined;
  if (FIELDS[stateType].has("Next")) {
    const hasNext = raw.Next !== undefined;
    const end = raw.End === true;
    if (raw.End !== undefined && raw.End !== true) {
      throw new AslDefinitionError(`${at}, field End: expected true (omit End and set Next otherwise)`);
    }
    if (hasNext === end) throw new AslDefinitionError(`${at}: set exactly one of Next or "End": true`);
    if (hasNext) next = checkTarget(raw.Next, "Next");
  }
  const base = {
    name,
    inputPath: optionalPath(raw, "InputPath", at),
    outputPath: optionalPath(raw, "OutputPath", at),
    next,
  };
  const template = (key: string): AslTemplate | undefined =>
    key in raw ? compileAslTemplate(raw[key], `${at}, field ${key}`) : undefined;
  const catchers = (): AslCatcher[] => {
    const list = parseCatchers(raw.Catch, at);
    for (const [index, catcher] of list.entries()) checkTarget(catcher.next, `Catch[${index}].Next`);
    return list;
  };

  switch (stateType) {
    case "Task":
      return {
        ...base,
        type: "Task",
        target: parseTarget(raw, at),
        parameters: template("Parameters"),
        resultSelector: template("ResultSelector"),
        resultPath: optionalPath(raw, "ResultPath", at),
        retry: parseRetriers(raw.Retry, at),
        catch: catchers(),
        timeoutMs: mapDefined(integerField(raw, "TimeoutSeconds", at, 1, ASL_MAX_INT), (s) => s * 1000),
      };
    case "Pass":
      return {
        ...base,
        type: "Pass",
        parameters: template("Parameters"),
        result: raw.Result,
        hasResult: "Result" in raw,
        resultPath: optionalPath(raw, "ResultPath", at),
      };
    case "Choice": {
      if (!Array.isArray(raw.Choices) || raw.Choices.length === 0) {
        throw new AslDefinitionError(`${at}, field Choices: expected a non-empty array of rules`);
      }
      const choices = raw.Choices.map((rule, index) => {
        const ruleWhere = `${at}, Choices[${index}]`;
        if (!isPlainObject(rule) || typeof rule.Next !== "string") {
          throw new AslDefinitionError(`${ruleWhere}: every top-level choice rule needs Next`);
        }
        return {
          condition: compileAslCondition(rule, ruleWhere, true),
          next: checkTarget(rule.Next, `Choices[${index}].Next`),
        };
      });
      return {
        ...base,
        type: "Choice",
        choices,
        defaultNext: raw.Default === undefined ? undefined : checkTarget(raw.Default, "Default"),
      };
    }
    case "Wait": {
      const forms = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"].filter((key) => key in raw);
      if (forms.length !== 1) {
        throw new AslDefinitionError(
          `${at}: set exactly one of Seconds, SecondsPath, Timestamp, TimestampPath (found ${forms.join(", ") || "none"})`,
        );
      }
      const form = forms[0]!;
      let wait: AslWaitState["wait"];
      if (form === "Seconds")
        wait = { kind: "seconds", seconds: integerField(raw, "Seconds", at, 0, ASL_MAX_INT)! };
      else if (form === "Timestamp") {
        const epochMs = parseAslTimestamp(raw.Timestamp);
        if (Number.isNaN(epochMs)) {
          throw new AslDefinitionError(
            `${at}, field Timestamp: expected an RFC 3339 timestamp such as "2026-01-01T00:00:00Z"`,
          );
        }
        wait = { kind: "timestamp", epochMs };
      } else {
        const path = parseAslPath(raw[form] as string, `${at}, field ${form}`);
        wait = form === "SecondsPath" ? { kind: "secondsPath", path } : { kind: "timestampPath", path };
      }
      return { ...base, type: "Wait", wait };
    }
    case "Succeed":
      return { ...base, type: "Succeed" };
    case "Fail":
      return {
        ...base,
        inputPath: parseAslPath("$", at),
        outputPath: parseAslPath("$", at),
        type: "Fail",
        error: parseFailField(raw, "Error", at),
        cause: parseFailField(raw, "Cause", at),
      };
    case "Parallel": {
      if (!Array.isArray(raw.Branches) || raw.Branches.length === 0) {
        throw new AslDefinitionError(
          `${at}, field Branches: expected a non-empty array of {StartAt, States}`,
        );
      }
      const branches = raw.Branches.map((branch, index) =>
        parseMachineBody(branch, `${at}, Branches[${index}]`, BRANCH_FIELDS),
      );
      return {
        ...base,
        type: "Parallel",
        branches,
        parameters: template("Parameters"),
        resultSelector: template("ResultSelector"),
        resultPath: optionalPath(raw, "ResultPath", at),
        retry: parseRetriers(raw.Retry, at),
        catch: catchers(),
      };
    }
  }
}

function mapDefined<T, U>(value: T | undefined, map: (value: T) => U): U | undefined {
  return value === undefined ? undefined : map(value);
}

function parseMachineBody(raw: unknown, where: string, allowed: ReadonlySet<string>): AslMachine {
  if (!isPlainObject(raw))
    throw new AslDefinitionError(`${where}: expected an object with StartAt and States`);
  for (const key of Object.keys(raw)) {
    if (!allowed.has(key)) {
      throw new AslDefinitionError(
        `${where}: unknown field ${JSON.stringify(key)} (allowed: ${[...allowed].join(", ")})`,
      );
    }
  }
  if (!isPlainObject(raw.States) || Object.keys(raw.States).length === 0) {
    throw new AslDefinitionError(`${where}, field States: expected an object with at least one state`);
  }
  const names = new Set(Object.keys(raw.States));
  if (typeof raw.StartAt !== "string" || !names.has(raw.StartAt)) {
    throw new AslDefinitionError(
      `${where}, field StartAt: ${show(raw.StartAt)} is not one of the states (${[...names].join(", ")})`,
    );
  }
  if (raw.QueryLanguage !== undefined && raw.QueryLanguage !== "JSONPath") {
    throw new AslDefinitionError(
      `${where}, field QueryLanguage: only "JSONPath" is supported, got ${show(raw.QueryLanguage)}`,
    );
  }
  if (raw.Version !== undefined && raw.Version !== "1.0") {
    throw new AslDefinitionError(`${where}, field Version: only "1.0" exists, got ${show(raw.Version)}`);
  }
  const states = new Map<string, AslState>();
  for (const [name, state] of Object.entries(raw.States)) states.set(name, parseState(name, state, names));
  const timeoutSeconds = integerField(raw, "TimeoutSeconds", where, 1, ASL_MAX_INT);
  return { startAt: raw.StartAt, states, timeoutMs: mapDefined(timeoutSeconds, (s) => s * 1000) };
}

interface AslValidatorResult {
  readonly isValid: boolean;
  readonly errorsText: (separator?: string) => string;
}
type AslValidator = (
  definition: unknown,
  options?: { checkPaths: boolean; checkArn: boolean },
) => AslValidatorResult;
let aslValidator: AslValidator | undefined;
// asl-validator builds a new Ajv instance and compiles its schemas on every call (0.3-1.3 s measured
// here), so each distinct definition text is checked once per process.
const validatedTexts = new Map<string, string | undefined>();

/**
 * Parses and validates an Amazon States Language definition (object or JSON string). Rebound's own
 * checks run first so errors name the state and field; asl-validator 4.0.0 then checks the rest of
 * the ASL rules (reachability, terminal states, duplicate names). Anything Rebound does not run (Map,
 * JSONata, heartbeats, other Task resources, unknown fields) is rejected, never ignored.
 *
 * @example
 * ```ts
 * import { parseAslDefinition } from "@rebound/simulator";
 * const machine = parseAslDefinition({ StartAt: "Done", States: { Done: { Type: "Succeed" } } });
 * machine.startAt; // "Done"
 * ```
 */
export function parseAslDefinition(definition: unknown): AslMachine {
  let raw = definition;
  if (typeof raw === "string") {
    try {
      raw = JSON.parse(raw) as unknown;
    } catch (error) {
      throw new AslDefinitionError(`the definition is not valid JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const machine = parseMachineBody(raw, "definition", MACHINE_FIELDS);
  const text = JSON.stringify(raw);
  let problems = validatedTexts.get(text);
  if (!validatedTexts.has(text)) {
    // Loaded lazily: asl-validator brings ajv and jsonpath, which importing the simulator should not pay for.
    aslValidator ??= createRequire(import.meta.url)("asl-validator") as AslValidator;
    // asl-validator writes QueryLanguage into the object it checks, so it gets a copy.
    const result = aslValidator(JSON.parse(text), { checkPaths: true, checkArn: true });
    problems = result.isValid ? undefined : result.errorsText("; ");
    validatedTexts.set(text, problems);
  }
  if (problems !== undefined) {
    throw new AslDefinitionError(`the definition breaks ASL rules (asl-validator): ${problems}`);
  }
  return machine;
}
