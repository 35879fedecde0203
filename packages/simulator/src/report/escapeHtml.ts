const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for HTML element content and quoted attribute values. Everything that comes from an
 * event (ids, bodies, records, error messages) goes through this before it reaches the report.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "@rebound/simulator";
 * escapeHtml('<img src=x onerror="alert(1)">'); // "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}
