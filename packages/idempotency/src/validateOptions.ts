import { IdempotencyConfigError } from "./errors.js";

// Small checks shared by makeIdempotent and the stores. Each message names the option, what was
// received and what is expected, so a wrong option fails the cold start with a fix in the text.

/** Throws unless `options` is a plain object whose keys are all in `allowed`. */
export function assertOptionsObject(
  options: unknown,
  allowed: readonly string[],
  where: string,
): asserts options is Record<string, unknown> {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new IdempotencyConfigError(`${where}: options must be an object, received ${describe(options)}`);
  }
  const unknownKeys = Object.keys(options).filter((key) => !allowed.includes(key));
  if (unknownKeys.length > 0) {
    throw new IdempotencyConfigError(
      `${where}: unknown option${unknownKeys.length > 1 ? "s" : ""} ${unknownKeys.map((k) => `"${k}"`).join(", ")}; ` +
        `allowed: ${allowed.join(", ")}`,
    );
  }
}

export function assertFunction(value: unknown, name: string, where: string, optional: boolean): void {
  if (value === undefined && optional) return;
  if (typeof value !== "function") {
    throw new IdempotencyConfigError(`${where}: "${name}" must be a function, received ${describe(value)}`);
  }
}

export function assertPositiveNumber(
  value: unknown,
  name: string,
  where: string,
  { integer }: { readonly integer: boolean },
): void {
  if (value === undefined) return;
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value <= 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new IdempotencyConfigError(
      `${where}: "${name}" must be a positive finite ${integer ? "integer" : "number"}, received ${describe(value)}`,
    );
  }
}

export function assertOneOf(value: unknown, allowed: readonly string[], name: string, where: string): void {
  if (value === undefined) return;
  if (typeof value !== "string" || !allowed.includes(value)) {
    throw new IdempotencyConfigError(
      `${where}: "${name}" must be one of ${allowed.map((v) => `"${v}"`).join(", ")}, received ${describe(value)}`,
    );
  }
}

export function assertNonEmptyString(value: unknown, name: string, where: string, optional: boolean): void {
  if (value === undefined && optional) return;
  if (typeof value !== "string" || value.length === 0) {
    throw new IdempotencyConfigError(
      `${where}: "${name}" must be a non-empty string, received ${describe(value)}`,
    );
  }
}

/** A short, safe description of a received value for error messages (never the whole value). */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string")
    return value.length > 40 ? `a string of ${value.length} characters` : `"${value}"`;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  return typeof value === "object" ? "an object" : typeof value;
}
