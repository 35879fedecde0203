/**
 * Small readers of Terraform JSON values, shared by the loader, the deploy-time checks and `explain`:
 * Terraform writes a nested block as an object or as a one-element list, a list of one as a value,
 * and leaves optional numbers out.
 *
 * @example
 * ```ts
 * firstBlock([{ issuer: "x" }])?.issuer; // "x"
 * asArray("a"); // ["a"]
 * numberOr(undefined, 3); // 3
 * ```
 */
export function firstBlock(value: unknown): Record<string, unknown> | undefined {
  const item = Array.isArray(value) ? value[0] : value;
  return typeof item === "object" && item !== null ? (item as Record<string, unknown>) : undefined;
}

/**
 * A value as a list: `undefined`/`null` is empty, a list stays as it is, anything else is one item.
 *
 * @example
 * ```ts
 * asArray(undefined); // []
 * ```
 */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The value when it is a number, else the fallback (AWS's default for a setting left out).
 *
 * @example
 * ```ts
 * numberOr("10", 3); // 3
 * ```
 */
export function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" ? value : fallback;
}
