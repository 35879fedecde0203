/** A DynamoDB attribute value in the wire format (`{ S: "x" }`, `{ N: "1" }`, ...). */
export type AttributeValue = Readonly<Record<string, unknown>>;

/**
 * Converts a plain JSON object (a scenario's table write) to DynamoDB's attribute-value format:
 * strings S, numbers N, booleans BOOL, null NULL, arrays L, objects M.
 *
 * @example
 * ```ts
 * marshallItem({ orderId: "o-1", amountCents: 1200 }); // { orderId: { S: "o-1" }, amountCents: { N: "1200" } }
 * ```
 */
export function marshallItem(item: Readonly<Record<string, unknown>>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(item).map(([key, value]) => [key, marshall(value)]));
}

function marshall(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === "string") return { S: value };
  if (typeof value === "number") return { N: String(value) };
  if (typeof value === "boolean") return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(marshall) };
  if (typeof value === "object") return { M: marshallItem(value as Record<string, unknown>) };
  throw new TypeError(`cannot store a ${typeof value} in DynamoDB`);
}
