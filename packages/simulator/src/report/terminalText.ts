/**
 * Text from a user's files (scenario names, descriptions, paths, error details) made safe to print:
 * control characters (C0, DEL, C1) and the bidirectional overrides and isolates that can reorder what
 * a terminal shows are written as `\u{…}` escapes, so a file cannot move the cursor, clear the screen
 * or disguise a line; text longer than `maxLength` characters is cut with `…` so one field cannot
 * flood the terminal. Newlines are escaped too: callers split multi-line output themselves.
 *
 * @param maxLength the most characters kept (default 300)
 * @example
 * ```ts
 * import { terminalText } from "@rebound/simulator";
 * terminalText("pay\u001b[2Jment"); // "pay\\u{1b}[2Jment"
 * terminalText("x".repeat(500), 10); // "xxxxxxxxx…"
 * ```
 */
export function terminalText(text: string, maxLength = 300): string {
  const escaped = text.replace(UNSAFE, (char) => `\\u{${char.codePointAt(0)?.toString(16)}}`);
  return escaped.length > maxLength ? `${escaped.slice(0, Math.max(0, maxLength - 1))}…` : escaped;
}

// C0 controls, DEL and C1 controls; the bidi marks, embeddings, overrides and isolates
// (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
