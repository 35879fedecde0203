/**
 * Lambda entry point of fulfillment-starter (skeleton: replaced by the real handler in the next commit).
 *
 * @example
 * ```ts
 * await handler(event);
 * ```
 */
export async function handler(event: unknown): Promise<unknown> {
  throw new Error(
    `fulfillment-starter is not implemented yet (event ${JSON.stringify(event).slice(0, 100)})`,
  );
}
