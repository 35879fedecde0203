import type { RunEvent } from "./RunResult.js";

/**
 * The value of a business field (`orderId`) for one event, so a reader can find "order 42" among
 * message ids: the first string or number under `field` in the event's payload, then in its record,
 * looking inside JSON text too (an SQS body, an API request's `body`, a DLQ message's payload), at
 * most 6 levels deep. Undefined when the event carries no such field.
 *
 * @example
 * ```ts
 * businessKeyOf({ ...event, payload: '{"orderId":"ord_1"}' }, "orderId"); // "ord_1"
 * ```
 */
export function businessKeyOf(
  event: Pick<RunEvent, "payload" | "record">,
  field: string,
): string | undefined {
  return find(event.payload, field, 0) ?? find(event.record, field, 0);
}

function find(value: unknown, field: string, depth: number): string | undefined {
  if (depth > 6 || value === null || value === undefined) return undefined;
  if (typeof value === "string") {
    // Only text that looks like JSON is parsed: most strings are plain values.
    if (value.length < 2 || (value[0] !== "{" && value[0] !== "[")) return undefined;
    try {
      return find(JSON.parse(value), field, depth + 1);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== "object") return undefined;
  if (!Array.isArray(value)) {
    const direct = (value as Record<string, unknown>)[field];
    if (typeof direct === "string" || typeof direct === "number") return String(direct);
  }
  for (const child of Object.values(value as Record<string, unknown>)) {
    const found = find(child, field, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
