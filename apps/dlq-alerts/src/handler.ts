/**
 * Lambda entry point of dlq-alerts (skeleton: replaced by the real handler in the next commit).
 *
 * @example
 * ```ts
 * await handler(event);
 * ```
 */
export async function handler(event: unknown): Promise<unknown> {
  throw new Error(`dlq-alerts is not implemented yet (event ${JSON.stringify(event).slice(0, 100)})`);
}
