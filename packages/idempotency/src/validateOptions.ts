import { IdempotencyConfigError } from "./errors.js";

/**
 * What an option must be: a test, the words that finish "must be …" in the error message, and a
 * `1` when the option is required (otherwise `undefined` passes). The shared rules below are
 * module constants, so a spec table is one short reference per option in a minified bundle.
 */
export type OptionSpec = readonly [test: (value: unknown) => boolean, mustBe: string, required?: 1];

export const isFunction = (value: unknown): boolean => typeof value === "function";
/** A positive finite number: the shape of every duration and size option. */
export const isPositive = (value: unknown): value is number =>
  Number.isFinite(value) && (value as number) > 0;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const aFunction: OptionSpec = [isFunction, "a function"];
export const isNonEmptyString = (value: unknown): value is string =>
  typeof value === "string" && value !== "";
export const aString: OptionSpec = [isNonEmptyString, "a non-empty string"];
export const anObject: OptionSpec = [isObject, "an object"];
export const aPositiveInteger: OptionSpec = [
  (value) => Number.isInteger(value) && (value as number) > 0,
  "a positive integer",
];
/** The same rule, for an option that must be given. */
export const required = ([test, mustBe]: OptionSpec): OptionSpec => [test, mustBe, 1];
/** One of a list of strings; the message lists them. */
export const oneOf = (...allowed: string[]): OptionSpec => [
  (value) => allowed.includes(value as string),
  `one of "${allowed.join('", "')}"`,
];

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
    const [test, mustBe, isRequired] = specs[key]!;
    const value = options[key];
    if ((value !== undefined || isRequired) && !test(value)) {
      configError(where, `"${key}" must be ${mustBe}, received ${describe(value)}`);
    }
  }
}

/** A short, safe description of a received value for error messages: a string's first 40 characters, an object's kind. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 40));
  if (Array.isArray(value)) return "an array";
  return typeof value === "function"
    ? "a function"
    : value && typeof value === "object"
      ? "an object"
      : String(value);
}
