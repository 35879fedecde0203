import { createHash } from "node:crypto";

/**
 * Hashes a payload so two deliveries of the same key can be checked for the same content
 * (sha256, hex). JSON semantics with object keys sorted: `{a, b}` and `{b, a}` hash alike,
 * `toJSON` is honoured (a `Date` hashes as its ISO string), `undefined` and functions are skipped.
 * It throws on a BigInt (`TypeError`, as `JSON.stringify` does) and on a cycle (`RangeError`).
 *
 * @example
 * ```ts
 * import { hashPayload } from "@rebound/idempotency";
 * hashPayload({ orderId: "o-1", amount: 10 }) === hashPayload({ amount: 10, orderId: "o-1" }); // true
 * ```
 */
export function hashPayload(payload: unknown): string {
  // The native serializer does the walking (toJSON, skipping, cycle detection); the replacer only
  // re-creates each plain object with sorted keys. `undefined` alone gets a text of its own.
  return createHash("sha256")
    .update(JSON.stringify(payload, sortKeys) ?? "undefined")
    .digest("hex");
}

function sortKeys(_key: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  // No prototype, so a "__proto__" key (JSON.parse makes it an own property) is copied, not applied.
  const sorted: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}
