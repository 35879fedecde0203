import { createRequire } from "node:module";
import { AslDefinitionError } from "../../engine/errors.js";
import { compileAslCondition, parseAslTimestamp } from "./aslChoice.js";
import {
  ASL_MAX_INT,
  BRANCH_FIELDS,
  FIELDS,
  fieldList,
  integerField,
  MACHINE_FIELDS,
  NOT_MODELLED,
  optionalPath,
} from "./aslFields.js";
import { isPlainObject, parseAslPath, show } from "./aslPath.js";
import { parseCatchers, parseRetriers } from "./aslRetryCatch.js";
import {
  ASL_STATE_TYPES,
  type AslCatcher,
  type AslFailState,
  type AslMachine,
  type AslState,
  type AslStateType,
  type AslWaitState,
} from "./aslStateTypes.js";
import { parseTaskTarget } from "./aslTaskTarget.js";
import { type AslTemplate, compileAslTemplate } from "./aslTemplate.js";

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
        target: parseTaskTarget(raw, at),
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
