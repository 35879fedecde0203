import type { AttributeMapJson, AttributeValueJson } from "./ServiceBackends.js";

/**
 * The size of an item in DynamoDB's own accounting (Developer Guide, "Item sizes and formats"):
 * attribute names count their UTF-8 bytes; strings their UTF-8 bytes; binaries their raw bytes;
 * numbers about one byte per two significant digits plus one; booleans and nulls one byte; lists and
 * maps three bytes plus one per element plus their contents.
 *
 * @example
 * ```ts
 * import { dynamoItemSizeBytes } from "@rebound/simulator";
 * dynamoItemSizeBytes({ orderId: { S: "o-1" } }); // 10: "orderId" (7) + "o-1" (3)
 * ```
 */
export function dynamoItemSizeBytes(item: AttributeMapJson): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function numberSize(text: string): number {
  const digits = text
    .replace(/^[-+]/, "")
    .replace(/[eE].*$/, "")
    .replace(".", "")
    .replace(/^0+/, "")
    .replace(/0+$/, "");
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

function valueSize(value: AttributeValueJson): number {
  const [type, inner] = Object.entries(value)[0] ?? ["NULL", true];
  switch (type) {
    case "S":
      return Buffer.byteLength(String(inner));
    case "N":
      return numberSize(String(inner));
    case "B":
      return Buffer.from(String(inner), "base64").length;
    case "BOOL":
    case "NULL":
      return 1;
    case "SS":
      return (inner as string[]).reduce((sum, entry) => sum + Buffer.byteLength(entry), 0);
    case "NS":
      return (inner as string[]).reduce((sum, entry) => sum + numberSize(entry), 0);
    case "BS":
      return (inner as string[]).reduce((sum, entry) => sum + Buffer.from(entry, "base64").length, 0);
    case "L":
      return (inner as AttributeValueJson[]).reduce((sum, entry) => sum + 1 + valueSize(entry), 3);
    case "M":
      return Object.entries(inner as AttributeMapJson).reduce(
        (sum, [name, entry]) => sum + 1 + Buffer.byteLength(name) + valueSize(entry),
        3,
      );
    default:
      return 0;
  }
}

/**
 * A canonical text of an item, to tell whether a write changed anything: map keys sorted, set
 * members sorted (DynamoDB sets are unordered).
 */
export function canonicalItem(item: AttributeMapJson | undefined): string {
  if (item === undefined) return "";
  return JSON.stringify(canonical(item));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const inner = (value as Record<string, unknown>)[key];
    out[key] =
      (key === "SS" || key === "NS" || key === "BS") && Array.isArray(inner)
        ? [...inner].sort()
        : canonical(inner);
  }
  return out;
}
