import { createHash } from "node:crypto";

// Deeper payloads are almost surely a cycle the WeakSet missed through toJSON, or a bug; 256 is
// far above any Lambda event (API Gateway v1 events nest 5 levels).
const maxDepth = 256;

/**
 * Hashes a payload so two deliveries of the same key can be checked for the same content
 * (sha256, hex). It follows JSON semantics with object keys sorted, so `{a, b}` and `{b, a}` hash
 * alike, `toJSON` is honoured (a `Date` hashes as its ISO string), `undefined` and function
 * properties are skipped. BigInts hash as `123n`; cycles throw a `TypeError`.
 *
 * @example
 * ```ts
 * import { hashPayload } from "@rebound/idempotency";
 * hashPayload({ orderId: "o-1", amount: 10 }) === hashPayload({ amount: 10, orderId: "o-1" }); // true
 * ```
 */
export function hashPayload(payload: unknown): string {
  return createHash("sha256")
    .update(stableStringify(payload, new WeakSet(), 0))
    .digest("hex");
}

function stableStringify(value: unknown, seen: WeakSet<object>, depth: number): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || typeof value !== "object") {
    // Top-level undefined/function/symbol: JSON.stringify returns undefined; keep them distinct from null.
    return JSON.stringify(value) ?? "undefined";
  }
  if (depth > maxDepth) throw new TypeError(`hashPayload: payload nests deeper than ${maxDepth} levels`);
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === "function") return stableStringify(withJson.toJSON(), seen, depth + 1);
  if (seen.has(value)) throw new TypeError("hashPayload: payload contains a cycle");
  seen.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = `[${value.map((item) => (isSkipped(item) ? "null" : stableStringify(item, seen, depth + 1))).join(",")}]`;
  } else {
    const keys = Object.keys(value).sort();
    const parts: string[] = [];
    for (const key of keys) {
      const entry = (value as Record<string, unknown>)[key];
      if (!isSkipped(entry)) parts.push(`${JSON.stringify(key)}:${stableStringify(entry, seen, depth + 1)}`);
    }
    out = `{${parts.join(",")}}`;
  }
  seen.delete(value);
  return out;
}

function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}
