/**
 * Step Functions task entry points (skeleton: replaced by the real tasks in the next commit).
 *
 * @example
 * ```ts
 * await reserveStock({ orderId: "o-1" });
 * ```
 */
export async function reserveStock(input: unknown): Promise<unknown> {
  throw new Error(`reserveStock is not implemented yet (input ${JSON.stringify(input)})`);
}

/**
 * Ships an order (skeleton).
 *
 * @example
 * ```ts
 * await shipOrder({ orderId: "o-1" });
 * ```
 */
export async function shipOrder(input: unknown): Promise<unknown> {
  throw new Error(`shipOrder is not implemented yet (input ${JSON.stringify(input)})`);
}
