import { InvalidOptionsError } from "./errors.js";

/** How one option is checked. Internal: each wrapper declares a table of these. */
export interface OptionSpec {
  /** The expected shape in words, with a correct example as the fix: "an integer from 1 to 100, e.g. { concurrency: 10 }". */
  readonly expected: string;
  readonly check: (value: unknown) => boolean;
  readonly required?: boolean;
}

/**
 * Checks a wrapper's options against its table, collecting every problem (unknown key, missing or
 * mistyped value) and throwing once, naming each key, what was received and a correct example.
 */
export function validateOptions(
  where: string,
  options: unknown,
  spec: Readonly<Record<string, OptionSpec>>,
): void {
  if (options !== undefined && (typeof options !== "object" || options === null || Array.isArray(options))) {
    throw new InvalidOptionsError(
      `${where}: options must be an object (received ${describeValue(options)})`,
      {
        problems: ["options"],
      },
    );
  }
  const given = (options ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const known = Object.keys(spec);
  for (const key of Object.keys(given)) {
    if (!(key in spec)) problems.push(`unknown option "${key}"; known options: ${known.join(", ")}`);
  }
  for (const key of known) {
    const option = spec[key]!;
    const value = given[key];
    if (value === undefined) {
      if (option.required) problems.push(`"${key}" is required: ${option.expected}`);
    } else if (!option.check(value)) {
      problems.push(`"${key}" must be ${option.expected} (received ${describeValue(value)})`);
    }
  }
  if (problems.length > 0) {
    throw new InvalidOptionsError(`${where}: invalid options:\n  - ${problems.join("\n  - ")}`, { problems });
  }
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
  text ??= String(typeof value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export const isFunction = (value: unknown): boolean => typeof value === "function";

export const isLogger = (value: unknown): boolean =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as Record<string, unknown>).info === "function" &&
  typeof (value as Record<string, unknown>).warn === "function" &&
  typeof (value as Record<string, unknown>).error === "function";

export const isRules = (value: unknown): boolean =>
  Array.isArray(value) && value.every((rule) => typeof rule === "function");

export const isBoolean = (value: unknown): boolean => typeof value === "boolean";

export function isIntegerIn(min: number, max: number): (value: unknown) => boolean {
  return (value) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

export const isParking = (value: unknown): boolean => {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  if (typeof record.park === "function") return true;
  const keys = Object.keys(record);
  return (
    keys.length === 1 &&
    keys[0] === "queueUrl" &&
    typeof record.queueUrl === "string" &&
    /^https?:\/\/\S+$/.test(record.queueUrl)
  );
};

/** The option table entries every wrapper shares. */
export const COMMON_OPTIONS = {
  rules: {
    expected: "an array of functions (error) => 'retryable' | 'permanent' | undefined",
    check: isRules,
  },
  logger: { expected: "an object with info, warn and error methods", check: isLogger },
  clock: { expected: "a function returning epoch milliseconds", check: isFunction },
} as const satisfies Record<string, OptionSpec>;

export const PARKING_OPTION = {
  expected:
    "a Parker ({ park }) or { queueUrl: <SQS queue URL> }, e.g. { parking: { queueUrl: process.env.PARKING_QUEUE_URL } }",
  check: isParking,
} as const satisfies OptionSpec;
