/**
 * A bounded memory of ids a warm container has seen, with how often. Used to tell a retry from a
 * first attempt where AWS makes it knowable (async retries keep the `awsRequestId`). Oldest ids are
 * forgotten first; a cold container, or a retry that lands on another container, starts empty, which is
 * why the answer is `true` or `"unknown"`, never a certain `false`.
 *
 * @example
 * ```ts
 * import { RecentIds } from "@rebound/errors";
 * const seen = new RecentIds(1000);
 * seen.add("req-1"); // 1
 * seen.add("req-1"); // 2
 * ```
 */
export class RecentIds {
  readonly #limit: number;
  readonly #counts = new Map<string, number>();

  public constructor(limit = 1000) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new TypeError(`RecentIds: limit must be a positive integer (received ${limit})`);
    this.#limit = limit;
  }

  /** Records one more sighting of `id` and returns how many this container has had (1 = first). */
  public add(id: string): number {
    const count = (this.#counts.get(id) ?? 0) + 1;
    // Delete-then-set moves the id to the newest end, so eviction drops the least recently seen.
    this.#counts.delete(id);
    this.#counts.set(id, count);
    if (this.#counts.size > this.#limit) this.#counts.delete(this.#counts.keys().next().value as string);
    return count;
  }

  /** How many times `id` was recorded (0 if never, or forgotten). */
  public count(id: string): number {
    return this.#counts.get(id) ?? 0;
  }

  public get size(): number {
    return this.#counts.size;
  }
}
