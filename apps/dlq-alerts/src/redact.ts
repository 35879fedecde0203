/** What a personal value is replaced with. */
export const REDACTED = "[redacted]";

// Keys whose values identify or reach a person (an order's customerEmail, a DynamoDB image's
// { customerEmail: { S: … } }, a shipping address, a phone number, a card number).
const PERSONAL_KEY =
  /e-?mail|phone|mobile|address|street|postcode|postal_?code|zip_?code|birth|(first|last|full|customer)_?name|card_?number|iban/i;
// An e-mail address anywhere in free text (error messages, bodies that are not JSON).
const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[A-Za-z]{2,}/g;
// Deep enough for SNS envelopes around stream records; deeper values are dropped rather than shown.
const MAX_DEPTH = 12;

/**
 * A copy of a value fit for Slack: the value of every key that names personal data (e-mail, phone,
 * address, name, birth date, card or bank number) is replaced by `[redacted]`, and any e-mail address
 * left in text is too. Strings holding JSON (an SQS body, an SNS Message) are redacted inside and
 * stay JSON, so the alert still shows the event's shape. The input is not changed.
 *
 * @example
 * ```ts
 * redact({ orderId: "ord_1", customerEmail: "a@example.com" }); // { orderId: "ord_1", customerEmail: "[redacted]" }
 * redact("no receipt for a@example.com"); // "no receipt for [redacted]"
 * ```
 */
export function redact(value: unknown): unknown {
  return redactAt(value, 0);
}

function redactAt(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) return REDACTED;
  if (typeof value === "string") return redactText(value, depth);
  if (Array.isArray(value)) return value.map((item) => redactAt(item, depth + 1));
  // A Date (the SDK's ApproximateCreationDateTime) and the like: what JSON would show of it.
  if (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { toJSON?: unknown }).toJSON === "function"
  ) {
    return redactAt((value as { toJSON: () => unknown }).toJSON(), depth + 1);
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        PERSONAL_KEY.test(key) ? REDACTED : redactAt(item, depth + 1),
      ]),
    );
  }
  return value;
}

function redactText(text: string, depth: number): string {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.stringify(redactAt(JSON.parse(text), depth + 1));
    } catch {
      // Not JSON after all: treat it as text.
    }
  }
  return text.replace(EMAIL, REDACTED);
}
