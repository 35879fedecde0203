import { AslDefinitionError } from "../../engine/errors.js";
import { ASL_MAX_INT, CATCHER_FIELDS, integerField, optionalPath, RETRIER_FIELDS } from "./aslFields.js";
import { isPlainObject, show } from "./aslPath.js";
import type { AslRetrier } from "./aslRetry.js";
import type { AslCatcher } from "./aslStateTypes.js";

function errorEqualsOf(raw: Record<string, unknown>, where: string, position: "last" | "not last"): string[] {
  const list = raw.ErrorEquals;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((item) => typeof item === "string" && item !== "")
  ) {
    throw new AslDefinitionError(
      `${where}, field ErrorEquals: expected a non-empty array of error names, got ${show(list)}`,
    );
  }
  if (list.includes("States.ALL") && (list.length > 1 || position !== "last")) {
    // ASL rule: States.ALL must appear alone and in the last retrier / catcher.
    throw new AslDefinitionError(
      `${where}, field ErrorEquals: "States.ALL" must be the only name and belong to the last entry`,
    );
  }
  return list as string[];
}

/**
 * A Task or Parallel state's Retry field: retriers in order, with ASL's defaults (IntervalSeconds 1,
 * MaxAttempts 3, BackoffRate 2.0, JitterStrategy NONE).
 *
 * @example
 * ```ts
 * parseRetriers([{ ErrorEquals: ["States.ALL"], MaxAttempts: 2 }], "state \"Charge\" (Task)");
 * ```
 */
export function parseRetriers(raw: unknown, where: string): AslRetrier[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new AslDefinitionError(`${where}, field Retry: expected an array of retriers`);
  return raw.map((entry, index) => {
    const at = `${where}, Retry[${index}]`;
    if (!isPlainObject(entry)) throw new AslDefinitionError(`${at}: expected an object`);
    for (const key of Object.keys(entry)) {
      if (!RETRIER_FIELDS.has(key)) {
        throw new AslDefinitionError(
          `${at}: unknown field ${JSON.stringify(key)} (allowed: ${[...RETRIER_FIELDS].join(", ")})`,
        );
      }
    }
    const backoffRate = entry.BackoffRate ?? 2.0;
    if (typeof backoffRate !== "number" || !(backoffRate >= 1)) {
      throw new AslDefinitionError(
        `${at}, field BackoffRate: expected a number >= 1.0, got ${show(entry.BackoffRate)}`,
      );
    }
    const jitter = entry.JitterStrategy ?? "NONE";
    if (jitter !== "FULL" && jitter !== "NONE") {
      throw new AslDefinitionError(
        `${at}, field JitterStrategy: expected "FULL" or "NONE", got ${show(jitter)}`,
      );
    }
    return {
      errorEquals: errorEqualsOf(entry, at, index === raw.length - 1 ? "last" : "not last"),
      intervalSeconds: integerField(entry, "IntervalSeconds", at, 1, ASL_MAX_INT) ?? 1,
      maxAttempts: integerField(entry, "MaxAttempts", at, 0, ASL_MAX_INT) ?? 3,
      backoffRate,
      maxDelaySeconds: integerField(entry, "MaxDelaySeconds", at, 1, ASL_MAX_INT),
      jitterStrategy: jitter,
    };
  });
}

/** A Task or Parallel state's Catch field: catchers in order, ResultPath `$` by default. */
export function parseCatchers(raw: unknown, where: string): AslCatcher[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new AslDefinitionError(`${where}, field Catch: expected an array of catchers`);
  return raw.map((entry, index) => {
    const at = `${where}, Catch[${index}]`;
    if (!isPlainObject(entry)) throw new AslDefinitionError(`${at}: expected an object`);
    for (const key of Object.keys(entry)) {
      if (!CATCHER_FIELDS.has(key)) {
        throw new AslDefinitionError(
          `${at}: unknown field ${JSON.stringify(key)} (allowed: ${[...CATCHER_FIELDS].join(", ")})`,
        );
      }
    }
    if (typeof entry.Next !== "string")
      throw new AslDefinitionError(`${at}, field Next: expected a state name`);
    return {
      errorEquals: errorEqualsOf(entry, at, index === raw.length - 1 ? "last" : "not last"),
      next: entry.Next,
      resultPath: optionalPath(entry, "ResultPath", at),
    };
  });
}
