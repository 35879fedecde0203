/**
 * Lambda entry point of order-events (skeleton: replaced by the real handler in the next commit).
 *
 * @example
 * ```ts
 * await handler(event);
 * ```
 */
export async function handler(event: unknown): Promise<unknown> {
  throw new Error(`order-events is not implemented yet (event ${JSON.stringify(event).slice(0, 100)})`);
}
