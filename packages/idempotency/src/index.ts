export { Limits, OnFailure, OnMissingKey, RecordStatus } from "./constants.js";
export {
  IdempotencyConfigError,
  IdempotencyError,
  IdempotencyInProgressError,
  IdempotencyKeyError,
  type IdempotencyKeyedErrorOptions,
  IdempotencyPayloadMismatchError,
  IdempotencyResultUnavailableError,
  IdempotencyStoreError,
} from "./errors.js";
export { hashPayload } from "./hashPayload.js";
export { type IdempotencyRecord, isRecordReplaceable } from "./idempotencyRecord.js";
export { keyFromEventId, keyFromMessageId, keyFromPath, keyFromRequestId } from "./keyFrom.js";
export type { IdempotencyLogger } from "./logger.js";
export { type IdempotencyOptions, makeIdempotent } from "./makeIdempotent.js";
export {
  BasePersistenceLayer,
  type ExecuteSettings,
  type PersistenceLayerOptions,
  PutOutcome,
} from "./persistence/BasePersistenceLayer.js";
export { InMemoryStore, type InMemoryStoreOptions } from "./persistence/InMemoryStore.js";
export type { LocalCacheOptions } from "./persistence/LocalCache.js";
