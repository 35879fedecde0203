import { IdempotencyConfigError } from "./errors.js";

/**
 * What an option must be: `f` a function, `s` a non-empty string, `i` a positive integer, `n` a
 * positive finite number, `o` an object, a list of allowed strings, or `[test, what it must be]`
 * for a one-off rule. A letter in upper case (`F`, `S`, `I`, `O`) marks a required option; the
 * others may be `undefined`. One letter per kind keeps the tables small in a minified bundle.
 */
export type OptionSpec =
  | "f"
  | "s"
  | "i"
  | "n"
  | "o"
  | "F"
  | "S"
  | "I"
  | "O"
  | readonly string[]
  | readonly [test: (value: unknown) => boolean, mustBe: string];

const expected: Record<string, string> = {
  f: "a function",
  s: "a non-empty string",
  i: "a positive integer",
  n: "a positive finite number",
  o: "an object",
};

/**
 * Throws `IdempotencyConfigError` with `where: message`: the one way this package reports a bad
 * option or argument, so every message starts with the API that was called.
 */
export function configError(where: string, message: string): never {
  throw new IdempotencyConfigError(`${where}: ${message}`);
}

// One table-driven check for every options object (makeIdempotent, the stores, the cache), so each
// message has the same shape: where, which option, what it must be, what was received. Unknown
// keys are rejected so a typo fails the cold start instead of being silently ignored.
export function validateOptions(
  where: string,
  options: unknown,
  specs: Record<string, OptionSpec>,
): asserts options is Record<string, unknown> {
  if (!isObject(options)) configError(where, `options must be an object, received ${describe(options)}`);
  const keys = Object.keys(specs);
  for (const key in options) {
    if (!(key in specs)) configError(where, `unknown option "${key}"; allowed: ${keys.join(", ")}`);
  }
  for (const key of keys) {
    const spec = specs[key]!;
    const value = options[key];
    const kind = typeof spec === "string" ? spec.toLowerCase() : "";
    if (value === undefined && spec !== kind.toUpperCase()) continue;
    const [test, mustBe] = spec as readonly [(value: unknown) => boolean, string];
    const ok =
      kind === "f"
        ? typeof value === "function"
        : kind === "s"
          ? typeof value === "string" && value !== ""
          : kind === "o"
            ? isObject(value)
            : kind !== ""
              ? isPositive(value) && (kind === "n" || Number.isInteger(value))
              : typeof test === "function"
                ? test(value)
                : (spec as readonly unknown[]).includes(value);
    if (!ok) {
      const want =
        expected[kind] ??
        (typeof test === "function"
          ? mustBe
          : `one of ${(spec as readonly string[]).map((v) => `"${v}"`).join(", ")}`);
      configError(where, `"${key}" must be ${want}, received ${describe(value)}`);
    }
  }
}

/** A positive finite number: the shape of every duration and size option. */
export function isPositive(value: unknown): value is number {
  return typeof value === "number" && value > 0 && value < Number.POSITIVE_INFINITY;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A short, safe description of a received value for error messages (never the whole value). */
export function describe(value: unknown): string {
  if (typeof value === "string")
    return value.length > 40 ? `a string of ${value.length} characters` : `"${value}"`;
  if (value === null || typeof value !== "object")
    return typeof value === "function" ? "a function" : String(value);
  return Array.isArray(value) ? "an array" : "an object";
}
