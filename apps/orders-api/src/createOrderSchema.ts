import { ValidationError } from "@rebound/errors";
import * as v from "valibot";
import type { NewOrder } from "./order.js";

// Bounds keep one order far below DynamoDB's 400 KB item limit (50 lines × ~100 bytes) and the
// amount far below Number.MAX_SAFE_INTEGER (50 × 1,000 × 10,000,000 = 5e11 cents).
const MAX_ITEMS = 50;
const MAX_QUANTITY = 1_000;
const MAX_UNIT_PRICE_CENTS = 10_000_000;

const itemSchema = v.strictObject({
  sku: v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "expected 1-64 of A-Z a-z 0-9 . _ -")),
  quantity: v.pipe(
    v.number(),
    v.integer("expected an integer"),
    v.minValue(1, "expected at least 1"),
    v.maxValue(MAX_QUANTITY, `expected at most ${MAX_QUANTITY}`),
  ),
  unitPriceCents: v.pipe(
    v.number(),
    v.integer("expected integer cents"),
    v.minValue(1, "expected at least 1 cent"),
    v.maxValue(MAX_UNIT_PRICE_CENTS, `expected at most ${MAX_UNIT_PRICE_CENTS}`),
  ),
});

/** The `POST /orders` body; unknown keys are rejected so a typo (`quantitiy`) fails loudly. */
export const createOrderSchema = v.strictObject({
  customerEmail: v.pipe(
    v.string(),
    v.maxLength(254, "expected at most 254 characters"),
    v.email("expected an email address"),
  ),
  currency: v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, "expected an ISO 4217 code such as EUR")),
  items: v.pipe(
    v.array(itemSchema),
    v.minLength(1, "expected at least one item"),
    v.maxLength(MAX_ITEMS, `expected at most ${MAX_ITEMS} items`),
  ),
});

/**
 * Validates a parsed JSON body against {@link createOrderSchema}; every problem is reported at once as
 * `path: message` so the caller can fix them all in one go (HTTP 400 through @rebound/errors).
 *
 * @example
 * ```ts
 * const order = parseCreateOrder({ customerEmail: "a@example.com", currency: "EUR",
 *   items: [{ sku: "SKU-1", quantity: 1, unitPriceCents: 990 }] });
 * ```
 */
export function parseCreateOrder(body: unknown): NewOrder {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ValidationError("request body must be a JSON object", {
      issues: ['body: expected a JSON object such as {"customerEmail","currency","items":[...]}'],
    });
  }
  const result = v.safeParse(createOrderSchema, body, { abortEarly: false });
  if (result.success) return result.output;
  throw new ValidationError("order request is invalid", { issues: formatIssues(result.issues) });
}

/**
 * Turns valibot issues into `path: message` strings (`items.0.quantity: expected at least 1`).
 *
 * @example
 * ```ts
 * formatIssues(v.safeParse(schema, input).issues ?? []);
 * ```
 */
export function formatIssues(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.map((issue) => {
    const path = v.getDotPath(issue) ?? "body";
    const message =
      issue.type === "strict_object" && issue.input !== undefined ? "unknown key" : issue.message;
    return `${path}: ${message}`;
  });
}
