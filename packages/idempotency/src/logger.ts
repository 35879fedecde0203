/**
 * The logger the wrapper reports through: anything with `warn` and `error`, such as Powertools'
 * `Logger`, pino, or `console` (the default).
 *
 * @example
 * ```ts
 * import type { IdempotencyLogger } from "@rebound/idempotency";
 * const logger: IdempotencyLogger = { warn: (m, d) => console.warn(m, d), error: (m, d) => console.error(m, d) };
 * ```
 */
export interface IdempotencyLogger {
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}
