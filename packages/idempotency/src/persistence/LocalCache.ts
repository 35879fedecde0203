import type { IdempotencyRecord } from "../idempotencyRecord.js";
import { validateOptions } from "../validateOptions.js";

/**
 * Options of the optional in-process cache of settled (COMPLETED or FAILED) records. A warm
 * Lambda container that sees the same key again answers from memory with 0 requests.
 *
 * @example
 * ```ts
 * import { InMemoryStore } from "@rebound/idempotency";
 * new InMemoryStore({ cache: { maxEntries: 500 } });
 * ```
 */
export interface LocalCacheOptions {
  /** Records kept; the least recently used one is dropped beyond this. */
  readonly maxEntries: number;
}

/**
 * A bounded least-recently-used map of settled records, checked for expiry on every read. Never
 * holds INPROGRESS records: another container may complete or release them at any time.
 */
export class LocalCache {
  readonly #maxEntries: number;
  // A Map iterates in insertion order, so re-inserting on use makes the first key the LRU one.
  readonly #records = new Map<string, IdempotencyRecord>();

  public constructor(options: LocalCacheOptions) {
    validateOptions("cache", options, { maxEntries: "int" }, ["maxEntries"]);
    this.#maxEntries = options.maxEntries;
  }

  public get(id: string, nowMs: number): IdempotencyRecord | undefined {
    const record = this.#records.get(id);
    if (record === undefined) return undefined;
    this.#records.delete(id);
    if (record.expiration <= nowMs / 1000) return undefined;
    this.#records.set(id, record);
    return record;
  }

  public set(record: IdempotencyRecord): void {
    this.#records.delete(record.id);
    this.#records.set(record.id, record);
    if (this.#records.size > this.#maxEntries) {
      const oldest = this.#records.keys().next();
      if (!oldest.done) this.#records.delete(oldest.value);
    }
  }
}
