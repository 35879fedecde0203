import type { StreamRecordEntry } from "./StreamShard.js";

/**
 * A record as a stream mapping tracks it: the stream entry and its outcome id. Lambda's record is built
 * when a batch is invoked (`StreamFailureSource.lambdaRecordOf`), not when the record arrives: a
 * mapping that falls behind holds its backlog for a long time, and a record object per waiting item
 * lived long enough to be promoted and then collected, which was half of the streams benchmark.
 */
export interface Item {
  readonly entry: StreamRecordEntry;
  readonly id: number;
}

/** A batch being invoked or retried. */
export interface Batch {
  items: Item[];
  /** Retries used of MaximumRetryAttempts (bisect splits do not count). */
  retriesUsed: number;
  /** Invocations of exactly this batch that reached the function (approximateInvokeCount). */
  invokeCount: number;
  lastRequestId: string | undefined;
}

/** One ordered lane: a shard (ParallelizationFactor 1) or one of its per-key lanes. */
export interface Lane {
  readonly label: string;
  readonly pending: Item[];
  head: number;
  /** The batch in flight or waiting for its retry; undefined when the lane is idle. */
  current: Batch | undefined;
  /** Right halves waiting after a bisect, the next one on top (depth-first, so shard order holds). */
  readonly splits: Batch[];
  /** Consecutive failed attempts, for the retry backoff. */
  streak: number;
  pollAtMs: number | undefined;
  pollToken: number;
}

// Lambda's invocation payload limit (6 MB, synchronous invoke); a batch closes before it.
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/**
 * An idle lane labelled for the trace: the shard id, or `shardId#n` for lane n of a shard with
 * ParallelizationFactor above 1.
 *
 * @example
 * ```ts
 * const lane = newLane("shardId-000000000000#1");
 * ```
 */
export function newLane(label: string): Lane {
  return {
    label,
    pending: [],
    head: 0,
    current: undefined,
    splits: [],
    streak: 0,
    pollAtMs: undefined,
    pollToken: 0,
  };
}

/** A fresh batch of `items`: no retries used, no invocation yet. */
export function newBatch(items: Item[], retriesUsed: number): Batch {
  return { items, retriesUsed, invokeCount: 0, lastRequestId: undefined };
}

/** Takes up to `batchSize` pending records, closing the batch before Lambda's 6 MB payload limit. */
export function takeBatchItems(lane: Lane, batchSize: number): Item[] {
  const items: Item[] = [];
  let bytes = 0;
  while (lane.head < lane.pending.length && items.length < batchSize) {
    const item = lane.pending[lane.head]!;
    if (items.length > 0 && bytes + item.entry.sizeBytes > MAX_PAYLOAD_BYTES) break;
    bytes += item.entry.sizeBytes;
    items.push(item);
    lane.head++;
  }
  compactLane(lane);
  return items;
}

function compactLane(lane: Lane): void {
  // Drop consumed items from the front now and then, so a long run keeps only what is pending.
  if (lane.head > 1024 && lane.head * 2 > lane.pending.length) {
    lane.pending.splice(0, lane.head);
    lane.head = 0;
  }
}

/**
 * BisectBatchOnFunctionError: the failed batch splits into the first ceil(n/2) records, which become
 * the lane's current batch, and the rest, which waits on top of the lane's splits (depth-first, so
 * order holds). A split is not a retry: both halves keep the parent's retry count.
 */
export function bisectBatch(lane: Lane, batch: Batch): void {
  const half = Math.ceil(batch.items.length / 2);
  const right = newBatch(batch.items.slice(half), batch.retriesUsed);
  const left = newBatch(batch.items.slice(0, half), batch.retriesUsed);
  lane.splits.push(right);
  lane.current = left;
}

/** Outcome ids of the records a lane holds: waiting to be read, in its batch, or waiting after a bisect. */
export function laneHeldIds(lane: Lane, ids: number[]): void {
  for (let i = lane.head; i < lane.pending.length; i++) ids.push(lane.pending[i]!.id);
  for (const item of lane.current?.items ?? []) ids.push(item.id);
  for (const split of lane.splits) for (const item of split.items) ids.push(item.id);
}
