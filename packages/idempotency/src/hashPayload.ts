import { createHash } from "node:crypto";

/**
 * Hashes a payload so two deliveries of the same key can be checked for the same content.
 * Object keys are sorted first, so `{a, b}` and `{b, a}` hash alike.
 *
 * @example
 * ```ts
 * import { hashPayload } from "@rebound/idempotency";
 * hashPayload({ orderId: "o-1", amount: 10 }); // "3f1c…" (sha256, hex)
 * ```
 */
export function hashPayload(payload: unknown): string {
  return createHash("sha256").update(stableStringify(payload)).digest("hex");
}

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, entry]) => entry !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${stableStringify(entry)}`).join(",")}}`;
}
