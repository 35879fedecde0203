import { InvalidOptionsError } from "./errors.js";

/**
 * How one option is checked, as a tuple to keep the option tables small in bundles: the check, the
 * expected shape in words with a correct example as the fix ("an integer from 1 to 100, e.g.
 * { concurrency: 10 }"), and whether it is required. Internal: each wrapper declares a table of these.
 */
export type OptionSpec = readonly [check: (value: unknown) => boolean, expected: string, required?: true];

/**
 * Checks a wrapper's handler and options against its table, collecting every problem (unknown key,
 * missing or mistyped value) and throwing once, naming each key, what was received and a correct
 * example: `sqsBatchHandler: "concurrency" must be an integer from 1 to 100, e.g. { concurrency: 10 }
 * (received 0); unknown option "paking" (known: parking, concurrency, ...)`.
 */
export function validateOptions(
  where: string,
  handler: unknown,
  options: unknown,
  spec: Readonly<Record<string, OptionSpec>>,
): void {
  const given = (options ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof handler !== "function") {
    problems.push(`the first argument must be the handler function (received ${describeValue(handler)})`);
  } else if (typeof given !== "object" || Array.isArray(given)) {
    problems.push(`options must be an object (received ${describeValue(options)})`);
  } else {
    for (const key in given) {
      if (!(key in spec)) problems.push(`unknown option "${key}" (known: ${Object.keys(spec).join(", ")})`);
    }
    for (const key in spec) {
      const [check, expected, required] = spec[key]!;
      const value = given[key];
      if (value === undefined ? required : !check(value)) {
        problems.push(
          `"${key}" ${value === undefined ? "is required" : "must be"}: ${expected} (received ${describeValue(value)})`,
        );
      }
    }
  }
  if (problems.length > 0) throw new InvalidOptionsError(`${where}: ${problems.join("; ")}`, { problems });
}

/**
 * The options with each key of `defaults` resolved: the option when it is defined, else its default.
 * An option given as `undefined` gets the default too (a spread of the options would keep undefined).
 */
export function withDefaults<Defaults extends object>(options: object, defaults: Defaults): Defaults {
  const resolved = {} as Defaults;
  for (const key in defaults) resolved[key] = (options as Partial<Defaults>)[key] ?? defaults[key];
  return resolved;
}

/**
 * A short, safe description of a value for error messages: JSON with `undefined` and functions made
 * visible (`{"queueUrl":"undefined"}` says the environment variable was not set), cut at 120 characters.
 */
export function describeValue(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, inner: unknown) =>
      inner === undefined ? "undefined" : typeof inner === "function" ? "[function]" : inner,
    );
  } catch {
    // A cycle or a BigInt: fall back to the type.
  }
  text ??= typeof value;
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export const isFunction = (value: unknown): boolean => typeof value === "function";

const isMethods = (value: unknown): boolean =>
  typeof value === "object" &&
  value !== null &&
  ["info", "warn", "error"].every((method) => isFunction((value as Record<string, unknown>)[method]));

export const isRules = (value: unknown): boolean => Array.isArray(value) && value.every(isFunction);

export const isBoolean = (value: unknown): boolean => typeof value === "boolean";

export function isIntegerIn(min: number, max: number): (value: unknown) => boolean {
  return (value) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

/** A Parker (`park` method), or exactly `{ queueUrl }` with an http(s) URL. */
export const isParking = (value: unknown): boolean => {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.park === "function" || (Object.keys(record).length === 1 && isQueueUrl(record.queueUrl))
  );
};

export const isQueueUrl = (value: unknown): boolean =>
  typeof value === "string" && /^https?:\/\/\S+$/.test(value);

/** The option table entries every wrapper shares. */
export const COMMON_OPTIONS = {
  rules: [isRules, "an array of functions (error) => 'retryable' | 'permanent' | undefined"],
  logger: [isMethods, "an object with info, warn and error methods"],
  clock: [isFunction, "a function returning epoch milliseconds"],
} as const satisfies Record<string, OptionSpec>;

export const PARKING_OPTION = [
  isParking,
  "a Parker ({ park }) or { queueUrl: <SQS queue URL> }, e.g. { parking: { queueUrl: process.env.PARKING_QUEUE_URL } }",
] as const satisfies OptionSpec;
