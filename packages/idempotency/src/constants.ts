/**
 * Status of an idempotency record. Stored as-is in the `status` attribute.
 *
 * @example
 * ```ts
 * import { InMemoryStore, RecordStatus } from "@rebound/idempotency";
 * const store = new InMemoryStore();
 * const completed = store.records().filter((record) => record.status === RecordStatus.Completed);
 * ```
 */
export const RecordStatus = {
  /** The body runs now (or crashed); the lock in `inProgressExpiration` says until when it is protected. */
  InProgress: "INPROGRESS",
  /** The body finished; `result` holds its JSON (or `resultHash` a marker when too large). */
  Completed: "COMPLETED",
  /** The body failed permanently and `onFailure: "remember-permanent"` kept the error in `error`. */
  Failed: "FAILED",
} as const;
export type RecordStatus = (typeof RecordStatus)[keyof typeof RecordStatus];

/**
 * What to do with the lock when the wrapped function throws.
 *
 * @example
 * ```ts
 * import { OnFailure } from "@rebound/idempotency";
 * const options = { onFailure: OnFailure.RememberPermanent };
 * ```
 */
export const OnFailure = {
  /** Delete the lock so the next delivery runs the body again (Powertools' only behaviour). */
  Release: "release",
  /** Keep permanent failures (per `classify()` of @rebound/errors) so a known-bad request is not run again. */
  RememberPermanent: "remember-permanent",
} as const;
export type OnFailure = (typeof OnFailure)[keyof typeof OnFailure];

/**
 * What to do when `keyFrom` returns no key.
 *
 * @example
 * ```ts
 * import { OnMissingKey } from "@rebound/idempotency";
 * const options = { onMissingKey: OnMissingKey.RunWithoutIdempotency };
 * ```
 */
export const OnMissingKey = {
  /** Throw an `IdempotencyKeyError` (a permanent error: the event will never grow a key). */
  Throw: "throw",
  /** Run the body unguarded and log a warning. */
  RunWithoutIdempotency: "run-without-idempotency",
} as const;
export type OnMissingKey = (typeof OnMissingKey)[keyof typeof OnMissingKey];

// The limits as plain constants too, so the code that uses them is minified to short names and
// `Limits` itself is dropped from bundles that do not import it.
export const defaultExpiresAfterSeconds = 3600;
export const defaultInProgressExpiresAfterMs = 60_000;
export const maxItemBytes = 400 * 1024;
export const recordOverheadBytes = 256;
export const maxKeyBytes = 2048;
export const maxPutAttempts = 3;

/**
 * Defaults and limits, in one place so the README and the code cannot drift apart.
 *
 * @example
 * ```ts
 * import { Limits } from "@rebound/idempotency";
 * Limits.defaultExpiresAfterSeconds; // 3600
 * ```
 */
export const Limits = {
  /** Completed records stay valid for 1 hour unless `expiresAfterSeconds` says otherwise. */
  defaultExpiresAfterSeconds,
  /** The lock lifetime when no Lambda context is passed (60 s, longer than most API timeouts of 29 s). */
  defaultInProgressExpiresAfterMs,
  /** DynamoDB's item size limit, 400 KB with 1 KB = 1024 bytes, attribute names included. */
  maxItemBytes,
  /** Room kept for the record's other attributes besides `result` and the key (they take ~150 bytes). */
  recordOverheadBytes,
  /** DynamoDB's limit for a partition key value. */
  maxKeyBytes,
  /**
   * Conditional puts tried per call before giving up with "in progress". A second put is needed
   * only when the record changed between our put and our read (it expired or was released).
   */
  maxPutAttempts,
} as const;
