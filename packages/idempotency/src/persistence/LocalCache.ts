import { type IdempotencyRecord, isRecordReplaceable } from "../idempotencyRecord.js";
import { aPositiveInteger, required, validateOptions } from "../validateOptions.js";

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

/** The cache a store keeps when `cache` is set: `get` checks expiry, `set` makes a record the most recently used. */
export interface LocalCache {
  get(id: string, nowMs: number): IdempotencyRecord | undefined;
  set(record: IdempotencyRecord): void;
}

/**
 * A bounded least-recently-used map of settled records, checked for expiry on every read. Never
 * holds INPROGRESS records: another container may complete or release them at any time. A closure
 * rather than a class: no private-field plumbing, fewer bytes in a bundle.
 */
export function localCache(options: LocalCacheOptions): LocalCache {
  validateOptions("cache", options, { maxEntries: required(aPositiveInteger) });
  const { maxEntries } = options;
  // A Map iterates in insertion order, so re-inserting on use makes the first key the LRU one.
  const records = new Map<string, IdempotencyRecord>();
  return {
    // No re-insert on a read: the layer sets every record it answers with (see #replay), and
    // that set is what makes it the most recently used.
    get(id, nowMs) {
      const record = records.get(id);
      if (record && isRecordReplaceable(record, nowMs)) {
        records.delete(id);
        return undefined;
      }
      return record;
    },
    set(record) {
      records.delete(record.id);
      records.set(record.id, record);
      // Map keys() of a non-empty map always yields: the oldest entry.
      if (records.size > maxEntries) records.delete(records.keys().next().value!);
    },
  };
}
