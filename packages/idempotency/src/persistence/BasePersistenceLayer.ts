import { createHash } from "node:crypto";
import { PermanentError } from "@rebound/errors";
import {
  maxItemBytes,
  maxKeyBytes,
  maxPutAttempts,
  RecordStatus,
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
import { type IdempotencyRecord, isRecordReplaceable } from "../idempotencyRecord.js";
import type { IdempotencyLogger } from "../logger.js";
import { rehydrateError, serializeError } from "../storedError.js";
import { LocalCache, type LocalCacheOptions } from "./LocalCache.js";

/**
 * Options every store takes.
 *
 * @example
 * ```ts
 * import { InMemoryStore } from "@rebound/idempotency";
 * new InMemoryStore({ clock: () => virtualClock.now(), cache: { maxEntries: 100 } });
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
 * import { PutOutcome } from "@rebound/idempotency";
 * if (outcome === PutOutcome.Written) console.log("lock acquired");
 * ```
 */
export const PutOutcome = { Written: "written", Rejected: "rejected" } as const;
export type PutOutcome = (typeof PutOutcome)[keyof typeof PutOutcome];

/**
 * One guarded call, as `makeIdempotent` hands it to the store. Stores and the simulator may call
 * `execute` with it directly.
 *
 * @example
 * ```ts
 * const request: ExecuteRequest = { id: "pay#o-1", payloadHash: hashPayload(input), lockMs: 30_000, expiresAfterSeconds: 3600,
 *   rememberPermanentFailures: false, clock: Date.now, random: Math.random, logger: console };
 * ```
 */
export interface ExecuteRequest {
  /** Full key, namespace included. */
  readonly id: string;
  readonly payloadHash: string;
  /** Lock lifetime from now, milliseconds. */
  readonly lockMs: number;
  /** Lifetime of a settled record from when it settles, seconds. */
  readonly expiresAfterSeconds: number;
  /** Keep permanent failures (FAILED record) instead of releasing the lock. */
  readonly rememberPermanentFailures: boolean;
  readonly clock: () => number;
  /** Uniform in [0, 1): makes the call's lock id, so completion and release only touch our own lock. */
  readonly random: () => number;
  readonly logger: IdempotencyLogger;
}

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
 * import { BasePersistenceLayer } from "@rebound/idempotency";
 * class RedisStore extends BasePersistenceLayer { // implement the four protected operations
 * }
 * ```
 */
export abstract class BasePersistenceLayer {
  /** Default clock of the wrappers using this store. */
  public readonly clock: () => number;
  protected readonly cache: LocalCache | undefined;

  protected constructor(options: PersistenceLayerOptions) {
    this.clock = options.clock ?? Date.now;
    this.cache = options.cache === undefined ? undefined : new LocalCache(options.cache);
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
   * Runs `body` at most once per live record of `request.id`, as described on the class.
   *
   * @example
   * ```ts
   * const result = await store.execute(request, () => provider.charge(input));
   * ```
   */
  public async execute<T>(request: ExecuteRequest, body: () => Promise<T>): Promise<T> {
    const { id, random } = request;
    const nowMs = request.clock();
    const cached = this.cache?.get(id, nowMs);
    if (cached) return this.#replay<T>(cached, request, nowMs);
    if (id.length * 3 > maxKeyBytes && Buffer.byteLength(id) > maxKeyBytes) {
      throw new IdempotencyKeyError(
        `idempotency key is ${Buffer.byteLength(id)} bytes; DynamoDB allows ${maxKeyBytes}: hash it in keyFrom`,
      );
    }
    const inProgressExpiration = nowMs + request.lockMs;
    // Made after the cache check: a cache hit never needs it. Two 52-bit draws, ~20 characters.
    const lockId = Math.floor(random() * 2 ** 52).toString(36) + Math.floor(random() * 2 ** 52).toString(36);
    const lock: IdempotencyRecord = {
      id,
      status: RecordStatus.InProgress,
      // The TTL must not delete a lock before it expires, even with a lock longer than the record lifetime.
      expiration: Math.ceil(
        Math.max(nowMs + request.expiresAfterSeconds * 1000, inProgressExpiration) / 1000,
      ),
      inProgressExpiration,
      payloadHash: request.payloadHash,
      lockId,
    };

    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#guard("put", id, () => this.putRecord(lock, nowMs));
      if (outcome === PutOutcome.Written) break;
      const existing =
        outcome === PutOutcome.Rejected ? await this.#guard("get", id, () => this.getRecord(id)) : outcome;
      // The record changed between the put and the read (released, or expired on the server's
      // terms): try the put again, a bounded number of times.
      if (existing && !isRecordReplaceable(existing, nowMs)) return this.#replay<T>(existing, request, nowMs);
      if (attempt >= maxPutAttempts) {
        throw new IdempotencyInProgressError(
          `idempotency key "${id}" changed hands ${attempt} times in one call`,
          {
            key: id,
            retryAfterSeconds: 1,
          },
        );
      }
    }

    let result: T;
    try {
      result = await body();
    } catch (error) {
      // Only failures the application declared permanent are remembered. classify() also calls SDK
      // client faults and 4xx answers permanent (AccessDenied, an expired API key): those are usually
      // fixed by a deploy, and a remembered failure would keep failing the key for expiresAfterSeconds.
      if (request.rememberPermanentFailures && error instanceof PermanentError) {
        await this.#settle(request, lockId, RecordStatus.Failed, "error", serializeError(error));
      } else {
        await this.deleteRecord(id, lockId).catch((deleteError) =>
          // The body's error matters more to the caller; the lock frees itself when it expires.
          request.logger.error("idempotency: could not release the lock", {
            key: id,
            error: `${deleteError}`,
          }),
        );
      }
      throw error;
    }
    let json: string | undefined;
    let resultHash: string | undefined;
    try {
      json = JSON.stringify(result);
    } catch {
      resultHash = "unserializable";
    }
    // A UTF-16 code unit is at most 3 UTF-8 bytes: measure bytes only when the length could be too much.
    const maxBytes = maxItemBytes - recordOverheadBytes - id.length * 3;
    if (json && json.length * 3 > maxBytes && Buffer.byteLength(json) > maxBytes) {
      resultHash = `sha256:${createHash("sha256").update(json).digest("hex")} ${Buffer.byteLength(json)} bytes`;
      json = undefined;
    }
    if (resultHash)
      request.logger.warn("idempotency: result not storable; keeping a marker", { key: id, resultHash });
    await this.#settle(
      request,
      lockId,
      RecordStatus.Completed,
      resultHash ? "resultHash" : "result",
      resultHash ?? json,
    );
    return result;
  }

  /** Answers from an existing live record: replay the result, re-throw, or report the lock. */
  #replay<T>(record: IdempotencyRecord, request: ExecuteRequest, nowMs: number): T {
    const { id, status, resultHash } = record;
    if (record.payloadHash !== request.payloadHash) {
      throw new IdempotencyPayloadMismatchError(
        `idempotency key "${id}" was first used with another payload; use a new key for a new request`,
        { key: id },
      );
    }
    if (status === RecordStatus.InProgress) {
      const lockLeftMs = (record.inProgressExpiration ?? nowMs) - nowMs;
      throw new IdempotencyInProgressError(
        `idempotency key "${id}" is in progress; its lock expires in ${Math.ceil(lockLeftMs)} ms`,
        { key: id, retryAfterSeconds: Math.max(1, Math.ceil(lockLeftMs / 1000)) },
      );
    }
    this.cache?.set(record);
    if (status === RecordStatus.Failed) throw rehydrateError(record.error);
    if (resultHash) {
      throw new IdempotencyResultUnavailableError(
        `idempotency key "${id}" completed but its result was not stored (${resultHash})`,
        { key: id },
      );
    }
    return record.result === undefined ? (undefined as T) : JSON.parse(record.result);
  }

  /**
   * Replaces our lock with the settled record. Never throws: once the body ran, throwing would make
   * AWS retry, and a retry after the lock expired would run the side effect a second time. The
   * result goes back to the caller; the record stays INPROGRESS until its lock expires, and the
   * error is logged.
   */
  async #settle(
    request: ExecuteRequest,
    lockId: string,
    status: RecordStatus,
    field: "result" | "resultHash" | "error",
    value: string | undefined,
  ): Promise<void> {
    const { id, logger, payloadHash } = request;
    const record: IdempotencyRecord = {
      id,
      status,
      expiration: Math.ceil(request.clock() / 1000 + request.expiresAfterSeconds),
      payloadHash,
    };
    if (value !== undefined) (record as unknown as Record<string, string>)[field] = value;
    try {
      if (await this.settleRecord(record, lockId)) this.cache?.set(record);
      else logger.warn("idempotency: lock expired and another call took the key over", { key: id, status });
    } catch (error) {
      logger.error("idempotency: could not store the outcome; the lock stays until it expires", {
        key: id,
        status,
        error: `${error}`,
      });
    }
  }

  /** Runs a store operation; anything that is not already an idempotency error becomes a store error. */
  async #guard<R>(operation: string, id: string, run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof IdempotencyError) throw error;
      throw new IdempotencyStoreError(`idempotency store ${operation} failed for key "${id}": ${error}`, {
        key: id,
        operation,
        cause: error,
      });
    }
  }
}
