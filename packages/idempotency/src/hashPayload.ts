import * as crypto from "node:crypto";

// Hashes of recently seen payload texts. The hash is a function of the payload's JSON.stringify
// text alone (see hashPayload), and that text costs ~0.5 µs to make natively, so a payload seen again
// (a redelivery answered from the local cache) skips parsing, key sorting and sha256: ~4 of the
// ~7 µs of a cache hit. Bounded by the characters it holds: at most 256 K (~0.5 MB with the hashes;
// ~1,700 payloads of 150 characters, so a duplicate still finds its text after many other events),
// emptied when full, which is simpler than LRU order. Texts over 16 K characters are not kept.
const recentHashes = new Map<string, string>();
const recentMaxChars = 262_144;
let recentChars = 0;

/**
 * Hashes a payload so two deliveries of the same key can be checked for the same content
 * (sha256, hex). JSON semantics with object keys sorted: `{a, b}` and `{b, a}` hash alike,
 * `toJSON` is honoured (a `Date` hashes as its ISO string), `undefined` and functions are skipped
 * (`null` in arrays). It throws what `JSON.stringify` throws: a `TypeError` on a BigInt or a cycle.
 *
 * @example
 * ```ts
 * import { hashPayload } from "@rebound/idempotency";
 * hashPayload({ orderId: "o-1", amount: 10 }) === hashPayload({ amount: 10, orderId: "o-1" }); // true
 * ```
 */
export function hashPayload(payload: unknown): string {
  // JSON.stringify applies JSON's rules (toJSON, skipped values, holes); its text, parsed back,
  // holds only plain data, which canonicalJson then writes with sorted keys. `undefined` (also a
  // bare function) has no JSON text and hashes as the word.
  const json = JSON.stringify(payload) ?? "undefined";
  let hash = recentHashes.get(json);
  if (hash === undefined) {
    hash = sha256(json === "undefined" ? json : canonicalJson(JSON.parse(json)));
    if (json.length <= recentMaxChars / 16) {
      recentChars += json.length;
      if (recentChars > recentMaxChars) {
        recentHashes.clear();
        recentChars = json.length;
      }
      recentHashes.set(json, hash);
    }
  }
  return hash;
}

/** sha256 of a text, hex; also makes the marker of a result too large to store. */
export function sha256(text: string): string {
  // The one-shot form (Node >= 20.12; Lambda's nodejs20.x and nodejs22.x runtimes have it): half
  // the cost of createHash for small texts.
  return crypto.hash("sha256", text);
}

// JSON text of parsed JSON (null, booleans, numbers, strings, arrays, plain objects) with object
// keys sorted, so the same data in another key order gives the same text.
function canonicalJson(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join()}]`;
  let out = "";
  for (const key of Object.keys(value).sort()) {
    out += `,${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`;
  }
  return `{${out.slice(1)}}`;
}
