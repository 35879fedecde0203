import { ConfigurationError } from "./errors.js";

/**
 * Throws unless `value` is a plain object whose keys are all in `allowed`. Every public entry point
 * calls this first, so a typo (`maxRecieveCount`) fails loudly instead of silently using a default.
 *
 * @example
 * ```ts
 * import { assertOptions } from "@rebound/simulator";
 * assertOptions("createQueue", { queueName: "q" }, ["queueName", "fifoQueue"]);
 * ```
 */
export function assertOptions(where: string, value: unknown, allowed: readonly string[]): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigurationError(
      where,
      `${where}: expected an options object, got ${describe(value)}; pass { ${allowed.join(", ")} }`,
    );
  }
  const unknown = firstUnknownKey(value, allowed);
  if (unknown !== undefined) {
    throw new ConfigurationError(
      unknown,
      `${where}: unknown option "${unknown}"; the accepted options are ${allowed.join(", ")} (check the spelling)`,
    );
  }
}

/**
 * The first own key of `value` not in `allowed`. A for-in with an own-property check reads the same
 * keys as `Object.keys` without building an array per call: `assertOptions` runs once per record on
 * the stream producers' hot path.
 */
function firstUnknownKey(value: object, allowed: readonly string[]): string | undefined {
  for (const key in value) {
    if (Object.hasOwn(value, key) && !allowed.includes(key)) return key;
  }
  return undefined;
}

/** Throws unless `value` is a non-empty string. */
export function assertString(where: string, key: string, value: unknown): asserts value is string {
  if (typeof value !== "string" || value.length === 0) {
    throw new ConfigurationError(key, `${where}: ${key} must be a non-empty string, got ${describe(value)}`);
  }
}

/**
 * Throws unless `value` is an integer in [min, max]. `rule` is AWS's own wording, quoted so the user
 * recognises the error they would get from the real API.
 */
export function assertIntInRange(
  where: string,
  key: string,
  value: unknown,
  min: number,
  max: number,
  rule?: string,
): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(
      key,
      `${where}: ${key} must be an integer from ${min} to ${max}, got ${describe(value)}` +
        (rule === undefined ? "" : ` (AWS: ${rule})`),
    );
  }
}

/** Throws unless `value` is a boolean. */
export function assertBoolean(where: string, key: string, value: unknown): asserts value is boolean {
  if (typeof value !== "boolean") {
    throw new ConfigurationError(key, `${where}: ${key} must be true or false, got ${describe(value)}`);
  }
}

/** Throws unless `value` is a function. */
export function assertFunction(where: string, key: string, value: unknown): void {
  if (typeof value !== "function") {
    throw new ConfigurationError(key, `${where}: ${key} must be a function, got ${describe(value)}`);
  }
}

// The check* variants below return the checked value and name nested keys as dotted paths
// (`routes.POST /charges.status`): the environment pieces (host, endpoints, scripted services) take
// nested option objects, where a path says more than a top-level key.

/**
 * Checks that `value` is a plain object whose keys are all in `allowed`; throws an
 * `ConfigurationError` naming the first unknown key and listing the accepted ones, so a typo
 * (`timeoutMS`) fails loudly instead of being ignored.
 */
export function checkKeys(
  value: unknown,
  allowed: readonly string[],
  where: string,
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigurationError(
      where,
      `${where} must be an object with keys among ${allowed.join(", ")}; got ${describe(value)}`,
    );
  }
  const unknown = firstUnknownKey(value, allowed);
  if (unknown !== undefined) {
    throw new ConfigurationError(
      `${where}.${unknown}`,
      `unknown option ${where}.${unknown}: accepted keys are ${allowed.join(", ")} (check the spelling)`,
    );
  }
  return value as Record<string, unknown>;
}

/** A non-empty string, or an error naming the key. */
export function checkString(value: unknown, key: string, hint = "a non-empty string"): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new ConfigurationError(key, `${key} must be ${hint}; got ${describe(value)}`);
  }
  return value;
}

/** A finite number in [min, max], or an error naming the key and the range. */
export function checkNumber(value: unknown, key: string, min: number, max: number, integer = false): number {
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw new ConfigurationError(
      key,
      `${key} must be ${integer ? "an integer" : "a number"} between ${min} and ${max}; got ${describe(value)}`,
    );
  }
  return value;
}

/** A record of string values (environment variables, headers), or an error naming the bad entry. */
export function checkStringRecord(value: unknown, key: string): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigurationError(key, `${key} must be an object of string values; got ${describe(value)}`);
  }
  for (const [name, entry] of Object.entries(value)) {
    if (typeof entry !== "string") {
      throw new ConfigurationError(
        `${key}.${name}`,
        `${key}.${name} must be a string (Lambda environment values are strings); got ${describe(entry)}`,
      );
    }
  }
  return value as Record<string, string>;
}

/** A short, safe rendering of any value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "string")
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
  if (typeof value === "function") return "a function";
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json.length > 80 ? `${json.slice(0, 80)}...` : json;
  } catch {
    return String(value);
  }
}
