import { InvalidPropsError } from "./errors.js";

/**
 * Collects every problem with one set of props and throws them together, so a user fixes them in
 * one pass instead of one synth per mistake.
 *
 * @example
 * ```ts
 * import { PropChecks } from "@rebound/infra/PropChecks";
 * const checks = new PropChecks("QueueWorker payments", props, ["queueName", "batchSize"]);
 * checks.integer("batchSize", props.batchSize, 1, 10_000);
 * checks.throwIfAny();
 * ```
 */
export class PropChecks {
  private readonly problems: string[] = [];

  public constructor(
    private readonly subject: string,
    props: object,
    allowedKeys: readonly string[],
  ) {
    for (const key of Object.keys(props)) {
      if (!allowedKeys.includes(key)) {
        this.problems.push(`unknown prop "${key}"; expected one of: ${allowedKeys.join(", ")}`);
      }
    }
  }

  /** An optional integer within [min, max]; `undefined` passes (the default applies). */
  public integer(name: string, value: number | undefined, min: number, max: number, hint = ""): void {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}${hint}, got ${String(value)}`);
    }
  }

  /** An optional integer that is either one sentinel (such as -1 for "unbounded") or within [min, max]. */
  public integerOr(
    name: string,
    value: number | undefined,
    sentinel: number,
    min: number,
    max: number,
  ): void {
    if (value === undefined || value === sentinel) return;
    this.integer(name, value, min, max, ` (or ${sentinel})`);
  }

  /** A required non-empty string matching `pattern`. */
  public string(name: string, value: unknown, pattern: RegExp, expected: string): void {
    if (typeof value !== "string" || !pattern.test(value)) {
      this.problems.push(`${name} must be ${expected}, got ${JSON.stringify(value)}`);
    }
  }

  /** A condition the props must meet, with the message to show when they do not. */
  public require(condition: boolean, message: string): void {
    if (!condition) this.problems.push(message);
  }

  public throwIfAny(): void {
    if (this.problems.length > 0) throw new InvalidPropsError(this.subject, this.problems);
  }
}
