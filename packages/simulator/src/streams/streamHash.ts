import { createHash } from "node:crypto";

const TWO_128 = 1n << 128n;

/**
 * The Kinesis shard a partition key lands on: MD5 of the key as a 128-bit unsigned integer, and shards
 * owning equal slices of [0, 2^128) in order, as a freshly created stream with evenly split shards does.
 * An explicit hash key (a decimal string) overrides the MD5.
 *
 * @example
 * ```ts
 * import { kinesisShardIndex } from "@rebound/simulator";
 * kinesisShardIndex("order-42", 4); // 0..3, the same on every run
 * ```
 */
export function kinesisShardIndex(
  partitionKey: string,
  shardCount: number,
  explicitHashKey?: string,
): number {
  const hash = explicitHashKey === undefined ? md5BigInt(partitionKey) : BigInt(explicitHashKey);
  return Number((hash * BigInt(shardCount)) / TWO_128);
}

/**
 * MD5 of a UTF-8 string as an unsigned 128-bit integer (Kinesis's hash key of a partition key).
 *
 * @example
 * ```ts
 * import { md5BigInt } from "@rebound/simulator";
 * md5BigInt("order-42") < 1n << 128n; // true
 * ```
 */
export function md5BigInt(text: string): bigint {
  return BigInt(`0x${createHash("md5").update(text, "utf8").digest("hex")}`);
}

/**
 * The lane of a record inside a shard when ParallelizationFactor > 1: FNV-1a (32-bit) of the key modulo
 * the factor. Records of one key always share a lane, which is what keeps per-key order; a hash other
 * than the shard's MD5 keeps lanes evenly used inside a shard whose keys share an MD5 range.
 *
 * @example
 * ```ts
 * import { laneOf } from "@rebound/simulator";
 * laneOf("order-42", 10); // 0..9
 * ```
 */
export function laneOf(key: string, parallelizationFactor: number): number {
  if (parallelizationFactor === 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % parallelizationFactor;
}
