import { createHash } from "node:crypto";
import { ConfigurationError } from "../engine/errors.js";

/** FIFO deduplication interval: 5 minutes (AWS, fixed). */
export const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

/**
 * The deduplication id of a FIFO send: the one sent, else the SHA-256 of the body when the queue has
 * contentBasedDeduplication; a send with neither is refused, as SQS refuses it.
 *
 * @example
 * ```ts
 * deduplicationIdOf("sendMessage(orders.fifo)", undefined, true, '{"orderId":1}'); // 64 hex digits
 * ```
 */
export function deduplicationIdOf(
  where: string,
  messageDeduplicationId: string | undefined,
  contentBasedDeduplication: boolean,
  body: string,
): string {
  if (messageDeduplicationId !== undefined) return messageDeduplicationId;
  if (!contentBasedDeduplication) {
    throw new ConfigurationError(
      "messageDeduplicationId",
      `${where}: send a messageDeduplicationId or enable contentBasedDeduplication (AWS: "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")`,
    );
  }
  return createHash("sha256").update(body).digest("hex");
}

/**
 * The deduplication ids a FIFO queue saw in the last 5 minutes. A send with one of them is a duplicate:
 * SQS answers success and does not deliver it twice. Expired ids are pruned once the map grows past
 * 10,000 entries, so a long run does not keep every id it ever saw.
 *
 * @example
 * ```ts
 * const window = new DeduplicationWindow();
 * window.admit("order-1", 0); // true: first send
 * window.admit("order-1", 60_000); // false: a duplicate within 5 minutes
 * ```
 */
export class DeduplicationWindow {
  readonly #until = new Map<string, number>();

  /** True when `deduplicationId` is new in the window (and records it); false for a duplicate. */
  public admit(deduplicationId: string, now: number): boolean {
    const until = this.#until.get(deduplicationId);
    if (until !== undefined && until > now) return false;
    this.#until.set(deduplicationId, now + DEDUPLICATION_WINDOW_MS);
    if (this.#until.size > 10_000) this.#prune(now);
    return true;
  }

  #prune(now: number): void {
    for (const [id, until] of this.#until) if (until <= now) this.#until.delete(id);
  }
}
