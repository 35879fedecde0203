import type { IdempotencyRecord } from "../idempotencyRecord.js";
import { isRecordReplaceable } from "../idempotencyRecord.js";
import { aFunction, anObject, validateOptions } from "../validateOptions.js";
import {
  BasePersistenceLayer,
  type PersistenceLayerOptions,
  type PutOutcome,
} from "./BasePersistenceLayer.js";

/**
 * Options of {@link InMemoryStore}.
 *
 * @example
 * ```ts
 * import { InMemoryStore } from "@rebound/idempotency";
 * new InMemoryStore({ clock: () => 0 });
 * ```
 */
export type InMemoryStoreOptions = PersistenceLayerOptions;

/**
 * A store in a `Map`, for tests, the simulator and single-process tools. It behaves like
 * `DynamoDBStore` on real DynamoDB: the same replaceability rule, and a rejected put returns the
 * record it found (one operation per duplicate). Each operation yields to the event loop once, so
 * concurrent calls interleave as they would over a network.
 *
 * @example
 * ```ts
 * import { InMemoryStore, makeIdempotent } from "@rebound/idempotency";
 * declare function charge(input: { orderId: string; amountCents: number }): Promise<{ chargeId: string }>;
 * const store = new InMemoryStore();
 * const chargeOnce = makeIdempotent(charge, { store, keyFrom: (input) => input.orderId });
 * ```
 */
export class InMemoryStore extends BasePersistenceLayer {
  readonly #records = new Map<string, IdempotencyRecord>();

  public constructor(options: InMemoryStoreOptions = {}) {
    validateOptions("InMemoryStore", options, { clock: aFunction, cache: anObject });
    super(options);
  }

  /**
   * A copy of every stored record, expired ones included (as DynamoDB keeps them until TTL runs):
   * for invariant checks in tests and the simulator.
   *
   * @example
   * ```ts
   * import { InMemoryStore } from "@rebound/idempotency";
   * const store = new InMemoryStore();
   * const completed = store.records().filter((record) => record.status === "COMPLETED");
   * ```
   */
  public records(): IdempotencyRecord[] {
    return [...this.#records.values()].map((record) => ({ ...record }));
  }

  protected async putRecord(
    record: IdempotencyRecord,
    nowMs: number,
  ): Promise<PutOutcome | IdempotencyRecord> {
    await Promise.resolve();
    const existing = this.#records.get(record.id);
    if (existing !== undefined && !isRecordReplaceable(existing, nowMs)) return existing;
    this.#records.set(record.id, record);
    return "written";
  }

  protected async getRecord(id: string): Promise<IdempotencyRecord | undefined> {
    await Promise.resolve();
    return this.#records.get(id);
  }

  protected async settleRecord(record: IdempotencyRecord, lockId: string): Promise<boolean> {
    await Promise.resolve();
    if (this.#records.get(record.id)?.lockId !== lockId) return false;
    this.#records.set(record.id, record);
    return true;
  }

  protected async deleteRecord(id: string, lockId: string): Promise<boolean> {
    await Promise.resolve();
    if (this.#records.get(id)?.lockId !== lockId) return false;
    this.#records.delete(id);
    return true;
  }
}
