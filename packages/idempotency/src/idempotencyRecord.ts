import type { RecordStatus } from "./constants.js";

/**
 * One idempotency record, as every store keeps it. Timestamps use one unit per kind:
 * `expiration` is epoch **seconds** (DynamoDB's TTL attribute must be), `inProgressExpiration` is
 * epoch **milliseconds** (a lock derived from `getRemainingTimeInMillis()` must not be rounded to
 * whole seconds: on a 3 s function that is a 33% error).
 *
 * @example
 * ```ts
 * import type { IdempotencyRecord } from "@rebound/idempotency";
 * const record: IdempotencyRecord = { id: "pay#o-1", status: "COMPLETED", expiration: 1767225600, payloadHash: "ab12…", result: "{\"ok\":true}" };
 * ```
 */
export interface IdempotencyRecord {
  /** The full key: `namespace#key`, or the key alone without a namespace. */
  readonly id: string;
  readonly status: RecordStatus;
  /** Epoch seconds after which the record no longer counts (and DynamoDB TTL may delete it, days late). */
  readonly expiration: number;
  /** Epoch milliseconds after which an INPROGRESS lock no longer counts. Only on INPROGRESS records. */
  readonly inProgressExpiration?: number;
  /** sha256 (hex) of the payload the key was first used with. */
  readonly payloadHash: string;
  /** Identifies the holder of an INPROGRESS lock, so completion and release touch only our own lock. */
  readonly lockId?: string;
  /** JSON of the result of a COMPLETED record; absent when the body returned `undefined`. */
  readonly result?: string;
  /** Marker instead of `result` when it could not be stored: `sha256:<hex> <bytes>` or `unserializable`. */
  readonly resultHash?: string;
  /** JSON `{ name, message, code, issues? }` of the permanent error of a FAILED record. */
  readonly error?: string;
}

/**
 * Whether a record no longer protects its key at `nowMs`: it expired, or it is an in-progress
 * lock whose holder crashed or timed out. Every store uses this one rule (DynamoDB as a condition
 * expression with the same comparisons), so a record is never replaceable in one place and live
 * in another.
 *
 * @example
 * ```ts
 * import { InMemoryStore, isRecordReplaceable } from "@rebound/idempotency";
 * const store = new InMemoryStore();
 * for (const record of store.records()) {
 *   console.log(record.id, isRecordReplaceable(record, Date.now())); // true once the lock or the record expired
 * }
 * ```
 */
export function isRecordReplaceable(record: IdempotencyRecord, nowMs: number): boolean {
  // Same comparisons, same operands as DynamoDBStore's condition (`#ex <= :s OR #ipx <= :ms`).
  // `undefined <= nowMs` is false: a lock without an expiry never counts as expired.
  return (
    record.expiration <= nowMs / 1000 ||
    (record.status === "INPROGRESS" && (record.inProgressExpiration as number) <= nowMs)
  );
}
