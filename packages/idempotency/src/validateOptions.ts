import { IdempotencyConfigError } from "./errors.js";

/**
 * What an option must be: `fn` a function, `str` a non-empty string, `int` a positive integer,
 * `num` a positive finite number, `obj` an object, or a list of allowed strings. Optional unless
 * `required` lists it.
 */
export type OptionSpec = "fn" | "str" | "int" | "num" | "obj" | readonly string[];

const expected: Record<string, string> = {
  fn: "a function",
  str: "a non-empty string",
  int: "a positive integer",
  num: "a positive finite number",
  obj: "an object",
};

// One table-driven check for every options object (makeIdempotent, the stores, the cache), so each
// message has the same shape: where, which option, what it must be, what was received. Unknown
// keys are rejected so a typo fails the cold start instead of being silently ignored.
export function validateOptions(
  where: string,
  options: unknown,
  specs: Record<string, OptionSpec>,
  required: readonly string[] = [],
): asserts options is Record<string, unknown> {
  if (!isObject(options)) fail(`${where}: options must be an object, received ${describe(options)}`);
  for (const key of Object.keys(options)) {
    if (!(key in specs)) fail(`${where}: unknown option "${key}"; allowed: ${Object.keys(specs).join(", ")}`);
  }
  for (const [key, spec] of Object.entries(specs)) {
    const value = options[key];
    if (value === undefined && !required.includes(key)) continue;
    if (!matches(value, spec)) {
      const want =
        typeof spec === "string" ? expected[spec] : `one of ${spec.map((v) => `"${v}"`).join(", ")}`;
      fail(`${where}: "${key}" must be ${want}, received ${describe(value)}`);
    }
  }
}

function matches(value: unknown, spec: OptionSpec): boolean {
  if (typeof spec !== "string") return spec.includes(value as string);
  if (spec === "fn") return typeof value === "function";
  if (spec === "str") return typeof value === "string" && value !== "";
  if (spec === "obj") return isObject(value);
  return (
    typeof value === "number" &&
    value > 0 &&
    Number.isFinite(value) &&
    (spec === "num" || Number.isInteger(value))
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(message: string): never {
  throw new IdempotencyConfigError(message);
}

/** A short, safe description of a received value for error messages (never the whole value). */
export function describe(value: unknown): string {
  if (typeof value === "string")
    return value.length > 40 ? `a string of ${value.length} characters` : `"${value}"`;
  if (value === null || typeof value !== "object")
    return typeof value === "function" ? "a function" : String(value);
  return Array.isArray(value) ? "an array" : "an object";
}
