import { EnvironmentOptionsError } from "./errors.js";

/**
 * Checks that `value` is a plain object whose keys are all in `allowed`; throws an
 * `EnvironmentOptionsError` naming the first unknown key and listing the accepted ones, so a typo
 * (`timeoutMS`) fails loudly instead of being ignored.
 */
export function checkKeys(
  value: unknown,
  allowed: readonly string[],
  where: string,
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EnvironmentOptionsError(
      where,
      `${where} must be an object with keys among ${allowed.join(", ")}; got ${describe(value)}`,
    );
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new EnvironmentOptionsError(
        `${where}.${key}`,
        `unknown option ${where}.${key}: accepted keys are ${allowed.join(", ")} (check the spelling)`,
      );
    }
  }
  return value as Record<string, unknown>;
}

/** A non-empty string, or an error naming the key. */
export function checkString(value: unknown, key: string, hint = "a non-empty string"): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new EnvironmentOptionsError(key, `${key} must be ${hint}; got ${describe(value)}`);
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
    throw new EnvironmentOptionsError(
      key,
      `${key} must be ${integer ? "an integer" : "a number"} between ${min} and ${max}; got ${describe(value)}`,
    );
  }
  return value;
}

/** A record of string values (environment variables, headers), or an error naming the bad entry. */
export function checkStringRecord(value: unknown, key: string): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EnvironmentOptionsError(
      key,
      `${key} must be an object of string values; got ${describe(value)}`,
    );
  }
  for (const [name, entry] of Object.entries(value)) {
    if (typeof entry !== "string") {
      throw new EnvironmentOptionsError(
        `${key}.${name}`,
        `${key}.${name} must be a string (Lambda environment values are strings); got ${describe(entry)}`,
      );
    }
  }
  return value as Record<string, string>;
}

/** A short, safe description of a received value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}
