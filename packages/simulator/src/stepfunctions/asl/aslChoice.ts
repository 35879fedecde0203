import { AslDefinitionError, StatesFailure } from "../../engine/errors.js";
import { type AslPath, isPlainObject, parseAslPath, readAslPath, show } from "./aslPath.js";
import type { AslEvaluationScope } from "./aslTemplate.js";

/** A compiled Choice rule: true when the rule matches the state's input. */
export type AslCondition = (scope: AslEvaluationScope) => boolean;

type Kind = "string" | "numeric" | "boolean" | "timestamp";
type Relation = "Equals" | "LessThan" | "GreaterThan" | "LessThanEquals" | "GreaterThanEquals";

const KIND_PREFIX: Record<string, Kind> = {
  String: "string",
  Numeric: "numeric",
  Boolean: "boolean",
  Timestamp: "timestamp",
};
const RELATIONS: readonly Relation[] = [
  "Equals",
  "LessThan",
  "GreaterThan",
  "LessThanEquals",
  "GreaterThanEquals",
];
const TYPE_TESTS = ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"] as const;

// RFC 3339 as Step Functions accepts it: date, "T", time, optional fraction, and Z or an offset.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses an RFC 3339 timestamp (as Step Functions accepts it) to epoch ms; NaN when the value is not one.
 *
 * @example
 * ```ts
 * import { parseAslTimestamp } from "@rebound/simulator";
 * parseAslTimestamp("2026-01-01T00:00:00Z"); // 1767225600000
 * ```
 */
export function parseAslTimestamp(value: unknown): number {
  if (typeof value !== "string" || !TIMESTAMP.test(value)) return Number.NaN;
  return Date.parse(value);
}

function matchesOfKind(kind: Kind, value: unknown): boolean {
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "numeric":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "timestamp":
      return !Number.isNaN(parseAslTimestamp(value));
  }
}

function compare(kind: Kind, relation: Relation, left: unknown, right: unknown): boolean {
  // A value of the wrong type simply does not match (ASL: comparisons are false across types).
  if (!matchesOfKind(kind, left) || !matchesOfKind(kind, right)) return false;
  if (kind === "boolean") return relation === "Equals" && left === right;
  const a = kind === "timestamp" ? parseAslTimestamp(left) : (left as number | string);
  const b = kind === "timestamp" ? parseAslTimestamp(right) : (right as number | string);
  switch (relation) {
    case "Equals":
      return a === b;
    case "LessThan":
      return a < b;
    case "GreaterThan":
      return a > b;
    case "LessThanEquals":
      return a <= b;
    case "GreaterThanEquals":
      return a >= b;
  }
}

/** `*` matches any run of characters; `\*` is a literal star (ASL StringMatches). */
function wildcardToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === "\\" && (pattern[i + 1] === "*" || pattern[i + 1] === "\\")) {
      source += `\\${pattern[++i]}`;
    } else if (char === "*") source += ".*";
    else source += char.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}

function readVariable(path: AslPath, scope: AslEvaluationScope, where: string): unknown {
  const lookup = readAslPath(path.root === "context" ? scope.context : scope.input, path);
  if (!lookup.found) {
    // AWS fails the execution with States.Runtime when a comparison's Variable is missing; IsPresent
    // exists to guard against exactly this.
    throw new StatesFailure(
      "States.Runtime",
      `${where}: Invalid path '${path.text}': the choice state's condition path references an invalid value`,
    );
  }
  return lookup.value;
}

/**
 * Compiles one Choice rule (or a nested rule inside And/Or/Not) into a predicate. Supports every ASL
 * data-test operator (String*, Numeric*, Boolean*, Timestamp*, their *Path forms, StringMatches and the
 * Is* type tests) and And, Or, Not. Unknown operators or extra fields are definition errors.
 *
 * @example
 * ```ts
 * import { compileAslCondition } from "@rebound/simulator";
 * const isBig = compileAslCondition({ Variable: "$.total", NumericGreaterThan: 100 }, "state Route, Choices[0]", false);
 * isBig({ input: { total: 250 }, context: {}, random: Math.random }); // true
 * ```
 */
export function compileAslCondition(rule: unknown, where: string, topLevel: boolean): AslCondition {
  if (!isPlainObject(rule))
    throw new AslDefinitionError(`${where}: a choice rule must be an object, got ${show(rule)}`);
  const allowed = new Set(["Comment", ...(topLevel ? ["Next"] : [])]);
  const operators = Object.keys(rule).filter((key) => !allowed.has(key) && key !== "Variable");
  if (operators.length !== 1) {
    throw new AslDefinitionError(
      `${where}: a choice rule needs exactly one operator (And, Or, Not, or a comparison such as StringEquals), found ${
        operators.length === 0 ? "none" : operators.join(", ")
      }`,
    );
  }
  const operator = operators[0]!;
  const operand = rule[operator];
  if (operator === "And" || operator === "Or") {
    if ("Variable" in rule) throw new AslDefinitionError(`${where}: ${operator} rules take no Variable`);
    if (!Array.isArray(operand) || operand.length === 0) {
      throw new AslDefinitionError(`${where}.${operator}: expected a non-empty array of rules`);
    }
    const inner = operand.map((item, index) =>
      compileAslCondition(item, `${where}.${operator}[${index}]`, false),
    );
    return operator === "And"
      ? (scope) => inner.every((test) => test(scope))
      : (scope) => inner.some((test) => test(scope));
  }
  if (operator === "Not") {
    if ("Variable" in rule) throw new AslDefinitionError(`${where}: Not rules take no Variable`);
    const inner = compileAslCondition(operand, `${where}.Not`, false);
    return (scope) => !inner(scope);
  }
  if (typeof rule.Variable !== "string") {
    throw new AslDefinitionError(`${where}: the comparison ${operator} needs "Variable": "$.path"`);
  }
  const variable = parseAslPath(rule.Variable, `${where}.Variable`);

  if ((TYPE_TESTS as readonly string[]).includes(operator)) {
    if (typeof operand !== "boolean")
      throw new AslDefinitionError(`${where}.${operator}: expected true or false`);
    return (scope) => {
      const lookup = readAslPath(variable.root === "context" ? scope.context : scope.input, variable);
      if (operator === "IsPresent") return lookup.found === operand;
      if (!lookup.found) return false === operand;
      const value = lookup.value;
      const is =
        operator === "IsNull"
          ? value === null
          : operator === "IsNumeric"
            ? typeof value === "number"
            : operator === "IsString"
              ? typeof value === "string"
              : operator === "IsBoolean"
                ? typeof value === "boolean"
                : !Number.isNaN(parseAslTimestamp(value));
      return is === operand;
    };
  }

  if (operator === "StringMatches") {
    if (typeof operand !== "string")
      throw new AslDefinitionError(`${where}.StringMatches: expected a pattern string`);
    const pattern = wildcardToRegExp(operand);
    return (scope) => {
      const value = readVariable(variable, scope, where);
      return typeof value === "string" && pattern.test(value);
    };
  }

  const match =
    /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/.exec(
      operator,
    );
  if (match === null || (match[1] === "Boolean" && match[2] !== "Equals")) {
    throw new AslDefinitionError(
      `${where}: unknown choice operator ${JSON.stringify(operator)}; use And, Or, Not, Is*, StringMatches or ` +
        `String|Numeric|Boolean|Timestamp + ${RELATIONS.join("|")} (+Path)`,
    );
  }
  const kind = KIND_PREFIX[match[1]!]!;
  const relation = match[2] as Relation;
  if (match[3] === "Path") {
    if (typeof operand !== "string")
      throw new AslDefinitionError(`${where}.${operator}: expected a path string`);
    const other = parseAslPath(operand, `${where}.${operator}`);
    return (scope) =>
      compare(kind, relation, readVariable(variable, scope, where), readVariable(other, scope, where));
  }
  if (!matchesOfKind(kind, operand)) {
    throw new AslDefinitionError(`${where}.${operator}: expected a ${kind} value, got ${show(operand)}`);
  }
  return (scope) => compare(kind, relation, readVariable(variable, scope, where), operand);
}
