import { ConfigurationError } from "../engine/errors.js";

/**
 * The content-filter operators Rebound's EventBridge matches; any other (`wildcard`, `cidr`, `$or`,
 * `anything-but` of a `suffix`/`wildcard`) is refused when the rule is created, naming it, rather
 * than matched wrongly.
 */
const OPERATORS = new Set(["prefix", "suffix", "anything-but", "exists", "numeric", "equals-ignore-case"]);
const NUMERIC_OPERATORS = new Set(["<", "<=", "=", ">=", ">"]);

/**
 * Checks an EventBridge event pattern (the JSON of a rule's `event_pattern`) and returns it parsed.
 * Every leaf must be a list of values or operators; each operator must be one Rebound matches.
 *
 * @example
 * ```ts
 * const pattern = parseEventPattern('{"source":["lambda"],"detail-type":[{"prefix":"Lambda Function"}]}', "aws_cloudwatch_event_rule.failures");
 * ```
 */
export function parseEventPattern(text: string, where: string): Record<string, unknown> {
  let pattern: unknown;
  try {
    pattern = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(
      "event_pattern",
      `${where}: event_pattern is not JSON: ${(error as Error).message}`,
    );
  }
  if (pattern === null || typeof pattern !== "object" || Array.isArray(pattern))
    throw new ConfigurationError("event_pattern", `${where}: event_pattern must be a JSON object`);
  checkNode(pattern as Record<string, unknown>, where, "");
  return pattern as Record<string, unknown>;
}

function checkNode(node: Record<string, unknown>, where: string, path: string): void {
  for (const [key, value] of Object.entries(node)) {
    const at = path === "" ? key : `${path}.${key}`;
    if (key.startsWith("$"))
      throw new ConfigurationError(
        "event_pattern",
        `${where}: event_pattern ${at}: ${key} is not modelled by Rebound (list the alternatives as values instead)`,
      );
    if (Array.isArray(value)) {
      for (const item of value) {
        if (item !== null && typeof item === "object")
          checkOperator(item as Record<string, unknown>, where, at);
      }
    } else if (value !== null && typeof value === "object") {
      checkNode(value as Record<string, unknown>, where, at);
    } else {
      throw new ConfigurationError(
        "event_pattern",
        `${where}: event_pattern ${at} must be a list of values (e.g. ["lambda"]), got ${JSON.stringify(value)}`,
      );
    }
  }
}

function checkOperator(operator: Record<string, unknown>, where: string, at: string): void {
  const [name, ...others] = Object.keys(operator);
  if (name === undefined || others.length > 0 || !OPERATORS.has(name))
    throw new ConfigurationError(
      "event_pattern",
      `${where}: event_pattern ${at}: the filter ${JSON.stringify(operator)} is not modelled by Rebound; it matches exact values, prefix, suffix, anything-but, exists, numeric and equals-ignore-case`,
    );
  const argument = operator[name];
  if (
    name === "anything-but" &&
    argument !== null &&
    typeof argument === "object" &&
    !Array.isArray(argument)
  ) {
    const inner = Object.keys(argument as object);
    if (inner.length !== 1 || inner[0] !== "prefix")
      throw new ConfigurationError(
        "event_pattern",
        `${where}: event_pattern ${at}: anything-but of ${JSON.stringify(argument)} is not modelled (anything-but of values or of a prefix is)`,
      );
  }
  if (name === "numeric") {
    const parts = argument as unknown[];
    const valid =
      Array.isArray(parts) &&
      parts.length % 2 === 0 &&
      parts.every((part, index) =>
        index % 2 === 0 ? NUMERIC_OPERATORS.has(String(part)) : typeof part === "number",
      );
    if (!valid)
      throw new ConfigurationError(
        "event_pattern",
        `${where}: event_pattern ${at}: numeric takes pairs such as [">", 0, "<=", 5], got ${JSON.stringify(argument)}`,
      );
  }
}

/**
 * Whether an event matches a pattern, as EventBridge decides: every field of the pattern must match
 * (nested objects field by field); a field matches when any value of its list matches; a value
 * matches an equal scalar, or any element of an array field. Missing fields match only
 * `{"exists": false}` (docs/aws-semantics.md#eventbridge-rules).
 *
 * @example
 * ```ts
 * matchesEventPattern({ source: ["lambda"] }, { source: "lambda", detail: {} }); // true
 * ```
 */
export function matchesEventPattern(pattern: Readonly<Record<string, unknown>>, event: unknown): boolean {
  if (event === null || typeof event !== "object") return false;
  for (const [key, expected] of Object.entries(pattern)) {
    const present = key in (event as object);
    const actual = (event as Record<string, unknown>)[key];
    if (Array.isArray(expected)) {
      if (!matchesField(expected, present, actual)) return false;
    } else if (!present || !matchesEventPattern(expected as Record<string, unknown>, actual)) {
      return false;
    }
  }
  return true;
}

function matchesField(expected: readonly unknown[], present: boolean, actual: unknown): boolean {
  const values = Array.isArray(actual) ? actual : [actual];
  return expected.some((rule) => {
    if (rule !== null && typeof rule === "object")
      return matchesOperator(rule as Record<string, unknown>, present, values);
    return present && values.some((value) => value === rule);
  });
}

function matchesOperator(
  operator: Record<string, unknown>,
  present: boolean,
  values: readonly unknown[],
): boolean {
  const [name] = Object.keys(operator);
  const argument = operator[name!];
  if (name === "exists") return argument === present;
  if (!present) return false;
  switch (name) {
    case "prefix":
      return values.some((value) => typeof value === "string" && value.startsWith(String(argument)));
    case "suffix":
      return values.some((value) => typeof value === "string" && value.endsWith(String(argument)));
    case "equals-ignore-case":
      return values.some(
        (value) => typeof value === "string" && value.toLowerCase() === String(argument).toLowerCase(),
      );
    case "anything-but": {
      if (argument !== null && typeof argument === "object" && !Array.isArray(argument)) {
        const prefix = String((argument as { prefix: unknown }).prefix);
        return values.every((value) => !(typeof value === "string" && value.startsWith(prefix)));
      }
      const excluded = Array.isArray(argument) ? argument : [argument];
      return values.every((value) => !excluded.includes(value));
    }
    case "numeric": {
      const parts = argument as unknown[];
      return values.some((value) => {
        if (typeof value !== "number") return false;
        for (let index = 0; index < parts.length; index += 2) {
          const bound = parts[index + 1] as number;
          const ok = {
            "<": value < bound,
            "<=": value <= bound,
            "=": value === bound,
            ">=": value >= bound,
            ">": value > bound,
          }[parts[index] as "<"];
          if (!ok) return false;
        }
        return true;
      });
    }
    default:
      return false;
  }
}
