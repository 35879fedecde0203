import { PermanentError } from "@rebound/errors";
import {
  defaultExpiresAfterSeconds,
  maxItemBytes,
  maxKeyBytes,
  maxPutAttempts,
  type OnFailure,
  type RecordStatus,
  recordOverheadBytes,
} from "../constants.js";
import {
  IdempotencyError,
  IdempotencyInProgressError,
  IdempotencyKeyError,
  IdempotencyPayloadMismatchError,
  IdempotencyResultUnavailableError,
  IdempotencyStoreError,
} from "../errors.js";
import { sha256 } from "../hashPayload.js";
import { type IdempotencyRecord, isRecordReplaceable } from "../idempotencyRecord.js";
import type { IdempotencyLogger } from "../logger.js";
import { rehydrateError, serializeError } from "../storedError.js";
import { type LocalCache, type LocalCacheOptions, localCache } from "./LocalCache.js";

/**
 * Options every store takes.
 *
 * @example
 * ```ts
 * import { InMemoryStore } from "@rebound/idempotency";
 * let virtualNowMs = Date.parse("2025-01-01T00:00:00Z"); // a test's clock, moved by the test
 * const store = new InMemoryStore({ clock: () => virtualNowMs, cache: { maxEntries: 100 } });
 * virtualNowMs += 3_600_000;
 * ```
 */
export interface PersistenceLayerOptions {
  /** Epoch milliseconds; the default clock of every wrapper using this store. Default `Date.now`. */
  readonly clock?: () => number;
  /** Keep settled records in memory too (0 requests for a repeated key). Default: no cache. */
  readonly cache?: LocalCacheOptions;
}

/**
 * What a conditional put reports when it did not write: the live record it found, or
 * `PutOutcome.Rejected` when the store did not return it (dynalite ignores
 * `ReturnValuesOnConditionCheckFailure`), in which case the layer reads it.
 *
 * @example
 * ```ts
 * import { type IdempotencyRecord, PutOutcome } from "@rebound/idempotency";
 * function describe(outcome: PutOutcome | IdempotencyRecord): string {
 *   return outcome === PutOutcome.Written ? "lock acquired" : "someone else holds or settled the key";
 * }
 * ```
 */
export const PutOutcome = { Written: "written", Rejected: "rejected" } as const;
export type PutOutcome = (typeof PutOutcome)[keyof typeof PutOutcome];

/**
 * The per-wrapper settings `execute` reads: the validated options of `makeIdempotent` (defaults
 * applied per call). One object per wrapper, not per call.
 *
 * @example
 * ```ts
 * import type { ExecuteSettings } from "@rebound/idempotency";
 * const settings: ExecuteSettings = { expiresAfterSeconds: 3600, onFailure: "remember-permanent", clock: Date.now };
 * ```
 */
export interface ExecuteSettings {
  /** How long a completed (or remembered failed) record protects its key, seconds. */
  readonly expiresAfterSeconds?: number;
  /** On a thrown error: `"release"` the lock or `"remember-permanent"` failures. */
  readonly onFailure?: OnFailure;
  /** Epoch milliseconds. */
  readonly clock?: () => number;
  /** Uniform in [0, 1); only makes lock ids. */
  readonly random?: () => number;
  readonly logger?: IdempotencyLogger;
}

// The messages of the errors and logs about one key start alike; built here once (stores use it too).
export const aboutKey = (id: string, rest: string): string => `idempotency key "${id}" ${rest}`;

// Epoch or duration milliseconds to whole seconds, rounded up.
const toSeconds = (ms: number): number => Math.ceil(ms / 1000);

// UTF-8 size of `text` when it could exceed `max` bytes, else 0: at most 3 bytes per UTF-16 unit,
// so most texts skip the byte count.
const bytesIfOver = (text: string, max: number): number =>
  text.length * 3 > max ? Buffer.byteLength(text) : 0;

/**
 * All the idempotency logic, on top of four primitive store operations that subclasses implement
 * (`putRecord`, `getRecord`, `settleRecord`, `deleteRecord`). A call:
 *
 * 1. answers from the local cache when it holds a live settled record (0 requests);
 * 2. writes an INPROGRESS lock with a conditional put that succeeds only if no record exists, it
 *    expired, or it is a lock that expired (1 request); on failure the store returns the record it
 *    found (real DynamoDB, same request) or the layer reads it (1 more request);
 * 3. validates the payload hash, then replays a COMPLETED result, re-throws a remembered FAILED
 *    error, or throws `IdempotencyInProgressError` for a live lock;
 * 4. otherwise runs the body and settles the record: COMPLETED with the result (1 request), FAILED,
 *    or deleted so the next delivery can retry. Settling is conditional on our own lock id.
 *
 * Expiry is checked on every read with {@link isRecordReplaceable}, never left to DynamoDB TTL.
 *
 * @example
 * ```ts
 * import { BasePersistenceLayer, type IdempotencyRecord, isRecordReplaceable, PutOutcome } from "@rebound/idempotency";
 * // A store on a Map; a real one (Redis, Postgres) does the same with conditional writes.
 * class MapStore extends BasePersistenceLayer {
 *   readonly #records = new Map<string, IdempotencyRecord>();
 *   constructor() {
 *     super({});
 *   }
 *   protected async putRecord(record: IdempotencyRecord, nowMs: number): Promise<PutOutcome | IdempotencyRecord> {
 *     const existing = this.#records.get(record.id);
 *     if (existing && !isRecordReplaceable(existing, nowMs)) return existing;
 *     this.#records.set(record.id, record);
 *     return PutOutcome.Written;
 *   }
 *   protected async getRecord(id: string): Promise<IdempotencyRecord | undefined> {
 *     return this.#records.get(id);
 *   }
 *   protected async settleRecord(record: IdempotencyRecord, lockId: string): Promise<boolean> {
 *     if (this.#records.get(record.id)?.lockId !== lockId) return false;
 *     this.#records.set(record.id, record);
 *     return true;
 *   }
 *   protected async deleteRecord(id: string, lockId: string): Promise<boolean> {
 *     return this.#records.get(id)?.lockId === lockId && this.#records.delete(id);
 *   }
 * }
 * ```
 */
export abstract class BasePersistenceLayer {
  /** Default clock of the wrappers using this store. */
  declare public readonly clock: () => number;
  readonly #cache: LocalCache | undefined;

  protected constructor(options: PersistenceLayerOptions) {
    this.clock = options.clock ?? Date.now;
    this.#cache = options.cache && localCache(options.cache);
  }

  /**
   * Writes `record` (an INPROGRESS lock) unless a record exists that is not replaceable at `nowMs`.
   * Returns `PutOutcome.Written`, the existing record, or `PutOutcome.Rejected` when the store
   * rejected the write without returning what it found. Throws `IdempotencyStoreError` on failure.
   */
  protected abstract putRecord(
    record: IdempotencyRecord,
    nowMs: number,
  ): Promise<PutOutcome | IdempotencyRecord>;

  /** Reads a record with a strongly consistent read; `undefined` if absent. */
  protected abstract getRecord(id: string): Promise<IdempotencyRecord | undefined>;

  /**
   * Replaces our INPROGRESS lock (identified by `lockId`) with a settled COMPLETED or FAILED
   * record. Returns false, writing nothing, when the lock is no longer ours (it expired and
   * another call took the key over).
   */
  protected abstract settleRecord(record: IdempotencyRecord, lockId: string): Promise<boolean>;

  /** Deletes the record if it is still our lock; returns false when it was not ours. */
  protected abstract deleteRecord(id: string, lockId: string): Promise<boolean>;

  /**
   * Runs `body` at most once per live record of `id` (the full key, namespace included), as
   * described on the class. `payloadHash` is the sha256 of the payload, `lockMs` the lock lifetime
   * from now. Positional arguments and one settings object per wrapper: nothing allocated per call
   * beyond the records themselves.
   *
   * @example
   * ```ts
   * import { hashPayload, InMemoryStore } from "@rebound/idempotency";
   * const store = new InMemoryStore();
   * const input = { orderId: "o-1", amountCents: 1200 };
   * const result = await store.execute({ onFailure: "release" }, "pay#o-1", hashPayload(input), 30_000, async () => ({
   *   chargeId: `ch-${input.orderId}`,
   * }));
   * ```
   */
  public async execute<T>(
    settings: ExecuteSettings,
    id: string,
    payloadHash: string,
    lockMs: number,
    body: () => Promise<T>,
  ): Promise<T> {
    const clock = settings.clock ?? this.clock;
    const logger = settings.logger ?? console;
    const random = settings.random ?? Math.random;
    const lifetimeMs = (settings.expiresAfterSeconds ?? defaultExpiresAfterSeconds) * 1000;
    const nowMs = clock();
    const cached = this.#cache?.get(id, nowMs);
    if (cached) return this.#replay<T>(cached, payloadHash, nowMs);
    const keyBytes = bytesIfOver(id, maxKeyBytes);
    if (keyBytes > maxKeyBytes) {
      throw new IdempotencyKeyError(
        `idempotency key is ${keyBytes} bytes; DynamoDB allows ${maxKeyBytes}: hash it in keyFrom`,
      );
    }
    const inProgressExpiration = nowMs + lockMs;
    // Made after the cache check: a cache hit never needs it. Two 52-bit draws, ~20 characters.
    const lockPart = (): string => Math.floor(random() * 2 ** 52).toString(36);
    const lockId = lockPart() + lockPart();
    const lock: IdempotencyRecord = {
      id,
      status: "INPROGRESS",
      // The TTL must not delete a lock before it expires, even with a lock longer than the record lifetime.
      expiration: toSeconds(Math.max(nowMs + lifetimeMs, inProgressExpiration)),
      inProgressExpiration,
      payloadHash,
      lockId,
    };
    // Replaces our lock with the settled record. Never throws: once the body ran, throwing would
    // make AWS retry, and a retry after the lock expired would run the side effect a second time.
    // The result goes back to the caller; the record stays INPROGRESS until its lock expires, and
    // the error is logged.
    const settle = async (
      status: RecordStatus,
      field: "result" | "resultHash" | "error",
      value: string | undefined,
    ): Promise<void> => {
      const record: IdempotencyRecord = {
        id,
        status,
        expiration: toSeconds(clock() + lifetimeMs),
        payloadHash,
      };
      // A JSON text or a marker, never empty; undefined when the body returned undefined.
      if (value) (record as unknown as Record<string, string>)[field] = value;
      try {
        if (await this.settleRecord(record, lockId)) this.#cache?.set(record);
        else
          logger.warn(aboutKey(id, "settled late: our lock expired and another call took the key over"), {
            status,
          });
      } catch (error) {
        logger.error(aboutKey(id, "could not store the outcome; the lock stays until it expires"), {
          status,
          error: `${error}`,
        });
      }
    };

    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#guard("put", id, () => this.putRecord(lock, nowMs));
      if (outcome === "written") break;
      const existing =
        outcome === "rejected" ? await this.#guard("get", id, () => this.getRecord(id)) : outcome;
      // The record changed between the put and the read (released, or expired on the server's
      // terms): try the put again, a bounded number of times.
      if (existing && !isRecordReplaceable(existing, nowMs))
        return this.#replay<T>(existing, payloadHash, nowMs);
      if (attempt >= maxPutAttempts) {
        throw new IdempotencyInProgressError(aboutKey(id, `changed hands ${attempt} times in one call`), {
          key: id,
          retryAfterSeconds: 1,
        });
      }
    }

    let result: T;
    try {
      result = await body();
    } catch (error) {
      // Only failures the application declared permanent are remembered. classify() also calls SDK
      // client faults and 4xx answers permanent (AccessDenied, an expired API key): those are usually
      // fixed by a deploy, and a remembered failure would keep failing the key for expiresAfterSeconds.
      if (settings.onFailure === "remember-permanent" && error instanceof PermanentError) {
        await settle("FAILED", "error", serializeError(error));
      } else {
        await this.deleteRecord(id, lockId).catch((deleteError) =>
          // The body's error matters more to the caller; the lock frees itself when it expires.
          logger.error(aboutKey(id, "could not be released; its lock will expire"), {
            error: `${deleteError}`,
          }),
        );
      }
      throw error;
    }
    let json: string | undefined;
    let marker: string | undefined;
    try {
      json = JSON.stringify(result);
    } catch {
      marker = "unserializable";
    }
    // A UTF-16 code unit is at most 3 UTF-8 bytes: measure bytes only when the length could be too much.
    const maxBytes = maxItemBytes - recordOverheadBytes - id.length * 3;
    const jsonBytes = json ? bytesIfOver(json, maxBytes) : 0;
    if (jsonBytes > maxBytes) {
      marker = `sha256:${sha256(json!)} ${jsonBytes} bytes`;
    }
    if (marker) {
      logger.warn(aboutKey(id, "has a result that cannot be stored; keeping a marker"), {
        resultHash: marker,
      });
    }
    await settle("COMPLETED", marker ? "resultHash" : "result", marker ?? json);
    return result;
  }

  /** Answers from an existing live record: replay the result, re-throw, or report the lock. */
  #replay<T>(record: IdempotencyRecord, payloadHash: string, nowMs: number): T {
    const { id, status, resultHash } = record;
    if (record.payloadHash !== payloadHash) {
      throw new IdempotencyPayloadMismatchError(
        aboutKey(id, "was first used with another payload; use a new key for a new request"),
        { key: id },
      );
    }
    if (status === "INPROGRESS") {
      const lockLeftMs = Math.ceil((record.inProgressExpiration ?? nowMs) - nowMs);
      throw new IdempotencyInProgressError(
        aboutKey(id, `is in progress; its lock expires in ${lockLeftMs} ms`),
        {
          key: id,
          retryAfterSeconds: Math.max(1, toSeconds(lockLeftMs)),
        },
      );
    }
    // Also on a cache hit: setting it again makes it the most recently used.
    this.#cache?.set(record);
    if (status === "FAILED") throw rehydrateError(record.error);
    if (resultHash) {
      throw new IdempotencyResultUnavailableError(
        aboutKey(id, `completed but its result was not stored (${resultHash})`),
        { key: id },
      );
    }
    // JSON text is never empty: no result stored means the body returned undefined.
    return (record.result && JSON.parse(record.result)) as T;
  }

  /** Runs a store operation; anything that is not already an idempotency error becomes a store error. */
  async #guard<R>(operation: string, id: string, run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof IdempotencyError) throw error;
      throw new IdempotencyStoreError(aboutKey(id, `failed in the store's ${operation}: ${error}`), {
        key: id,
        operation,
        cause: error,
      });
    }
  }
}
