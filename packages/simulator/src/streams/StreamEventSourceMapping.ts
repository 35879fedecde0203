import { ConfigurationError } from "../engine/errors.js";
import { AttemptResult, Disposition, type Outcomes } from "../engine/Outcomes.js";
import { SeededRandom } from "../engine/SeededRandom.js";
import type { Simulation } from "../engine/Simulation.js";
import type { Trace } from "../engine/Trace.js";
import { assertBoolean } from "../engine/validate.js";
import { attemptResultOf } from "../lambda/attemptResult.js";
import { type InvocationResult, InvocationStatus, type LambdaFunction } from "../lambda/LambdaFunction.js";
import type { ControllableMapping, EventSourceMappingStatus } from "../lambda/mappingStatus.js";
import type { Stream } from "./Stream.js";
import { StreamKind, type StreamRecordEntry } from "./StreamShard.js";
import { parseBatchResponse } from "./streamBatchResponse.js";
import {
  StartingPosition,
  type StreamMappingOptions,
  type StreamMappingSettings,
  validateStreamMappingOptions,
} from "./streamConfig.js";
import { StreamFailureCondition } from "./streamDestinationRecord.js";
import { StreamFailureDestination, type StreamFailureSink } from "./streamFailureDestination.js";
import { laneOf } from "./streamHash.js";
import {
  type Batch,
  bisectBatch,
  type Item,
  type Lane,
  laneHeldIds,
  newBatch,
  newLane,
  takeBatchItems,
} from "./streamLanes.js";

/** What a stream mapping needs from the topology that owns it. */
export interface StreamMappingEnv {
  readonly simulation: Simulation;
  readonly trace: Trace;
  readonly outcomes: Outcomes;
  /** Where on-failure records go; without it they are only recorded in the outcomes. */
  readonly deliver?: StreamFailureSink;
}

// "Lambda reads records from the data stream ... at a base rate of once per second" (Kinesis) and
// "polls shards in your DynamoDB stream for records at a base rate of 4 times per second".
const POLL_INTERVAL_MS = { [StreamKind.Kinesis]: 1_000, [StreamKind.DynamoDB]: 250 } as const;

/**
 * A Kinesis or DynamoDB Streams event source mapping on the virtual clock. This class reads, invokes
 * and retries; lanes and batches are in streamLanes.ts, giving up on records (on-failure destination,
 * record age, retention) in streamFailureDestination.ts, ReportBatchItemFailures in
 * streamBatchResponse.ts.
 *
 * - Order: one batch at a time per lane; a lane is a shard, or with ParallelizationFactor P one of P
 *   lanes of a shard chosen by a hash of the partition key (Kinesis) or item key (DynamoDB), so order
 *   holds per shard (P = 1) and per key (any P). A failing batch blocks its lane until it succeeds or
 *   is discarded; other lanes and shards go on.
 * - Batching: up to `batchSize` records and 6 MB; with a batching window the first read waits until
 *   the window after the first pending record has passed or the batch is full. Idle shards are polled
 *   on AWS's base rate (Kinesis 1/s, DynamoDB 4/s); a backlog is read at once after each batch.
 * - Errors: a function error (throw, timeout) retries the same batch until MaximumRetryAttempts
 *   (N retries = N+1 invocations) or the record age runs out, then the batch is discarded with an
 *   on-failure record and the lane moves on. Throttles retry without counting.
 * - BisectBatchOnFunctionError: a failing batch of n > 1 splits into the first ceil(n/2) records and
 *   the rest; the first half runs first, the second waits (depth-first, so order holds). A split is
 *   not a retry: the halves keep the parent's retry count. A batch of 1 cannot split, so from there
 *   ordinary retries count. Reported failures and rejected responses do not bisect (AWS bisects on
 *   function errors).
 * - ReportBatchItemFailures: the lowest reported sequence number is the checkpoint; records before it
 *   are done, and the rest form a new batch with a fresh retry budget (observed on AWS: 6 records,
 *   BatchSize 3, MaximumRetryAttempts 3, record #6 always failing → delivered 5 times, invoke count 4).
 *   A checkpoint at the first record is no progress and counts as a retry of the batch.
 * - Record age: before every invocation, records older than MaximumRecordAgeInSeconds are discarded
 *   (RecordAgeExceeded, no responseContext) and the rest of the batch goes on. Records past the stream's
 *   retention can no longer be read: they expire without a record (Lambda cannot read them to report).
 * - Retry delay (AWS documents none): 1 s doubling per consecutive failure, capped at 12 s, so an
 *   always-failing record with MaximumRecordAgeInSeconds 60 is invoked 8 times before it expires,
 *   as observed on AWS (approximateInvokeCount 8).
 *
 * @example
 * ```ts
 * import { StreamEventSourceMapping } from "@rebound/simulator";
 * const mapping = new StreamEventSourceMapping(env, ordersStream, fn, {
 *   startingPosition: "TRIM_HORIZON", batchSize: 10, maximumRetryAttempts: 2, bisectBatchOnFunctionError: true,
 *   destinationConfig: { onFailure: { destination: "arn:aws:sqs:us-east-1:123456789012:stream-failures" } },
 * });
 * ```
 */
export class StreamEventSourceMapping implements ControllableMapping {
  public readonly uuid: string;
  public readonly settings: StreamMappingSettings;
  public readonly source: string;
  /** Invocations that reached the function. */
  public invocations = 0;
  /** Invokes throttled. */
  public throttles = 0;
  readonly #env: StreamMappingEnv;
  readonly #stream: Stream;
  readonly #fn: LambdaFunction;
  readonly #random: SeededRandom;
  readonly #lanes: Lane[];
  readonly #originMs: number;
  readonly #pollIntervalMs: number;
  readonly #invokeIdentityArn: string;
  readonly #unsubscribe: () => void;
  readonly #failures: StreamFailureDestination;
  #enabled: boolean;
  #lastProcessingResult: NonNullable<EventSourceMappingStatus["LastProcessingResult"]> =
    "No records processed";

  public constructor(
    env: StreamMappingEnv,
    stream: Stream,
    fn: LambdaFunction,
    options: StreamMappingOptions,
  ) {
    if (
      env === null ||
      typeof env !== "object" ||
      env.simulation === undefined ||
      env.outcomes === undefined
    ) {
      throw new ConfigurationError(
        "env",
        "StreamEventSourceMapping: env must hold simulation, trace and outcomes",
      );
    }
    this.settings = validateStreamMappingOptions(options, stream.kind);
    this.#env = env;
    this.#stream = stream;
    this.#fn = fn;
    this.#random = new SeededRandom(
      SeededRandom.derive(env.simulation.random.seed, `esm:${stream.streamArn}:${fn.functionName}`),
    );
    this.uuid = this.settings.uuid ?? this.#random.uuid();
    this.source = `esm:${stream.name}:${fn.functionName}`;
    this.#originMs = env.simulation.now();
    this.#pollIntervalMs = POLL_INTERVAL_MS[stream.kind];
    const accountId = fn.arn.split(":")[4];
    // The function's execution role, as Lambda assumes it to read the stream; a made-up one only
    // when the stack names none.
    this.#invokeIdentityArn = fn.roleArn ?? `arn:aws:iam::${accountId}:role/${fn.functionName}-role`;
    const factor = this.settings.parallelizationFactor;
    this.#lanes = [];
    for (const shard of stream.shards) {
      for (let lane = 0; lane < factor; lane++) {
        this.#lanes.push(newLane(factor === 1 ? shard.shardId : `${shard.shardId}#${lane}`));
      }
    }
    this.#failures = new StreamFailureDestination(env, this, stream, fn, this.#random);
    this.#enabled = this.settings.enabled;
    const { startingPosition, startingPositionTimestampMs } = this.settings;
    if (startingPosition !== StartingPosition.Latest) {
      for (const entry of stream.retained()) {
        if (startingPositionTimestampMs === undefined || entry.arrivalMs >= startingPositionTimestampMs) {
          this.#accept(entry);
        }
      }
    }
    this.#unsubscribe = stream.subscribe((entry) => this.#accept(entry));
  }

  public get enabled(): boolean {
    return this.#enabled;
  }

  public get eventSourceArn(): string {
    return this.#stream.streamArn;
  }

  public get functionName(): string {
    return this.#fn.functionName;
  }

  /**
   * UpdateEventSourceMapping `Enabled`: a disabled mapping reads no batch (records keep arriving in
   * the stream and wait, aging as usual; a batch in flight, with its retries, finishes); enabling it
   * resumes every shard from its checkpoint at the next poll.
   */
  public setEnabled(enabled: boolean): void {
    assertBoolean("setEnabled", "enabled", enabled);
    if (enabled === this.#enabled) return;
    this.#enabled = enabled;
    const trace = this.#env.trace;
    if (trace.on) trace.emit(this.source, enabled ? "enabled" : "disabled", {});
    if (enabled) for (const lane of this.#lanes) this.#schedulePoll(lane, false);
  }

  /** GetEventSourceMapping's state fields, `LastProcessingResult` included. */
  public status(): EventSourceMappingStatus {
    return {
      UUID: this.uuid,
      EventSourceArn: this.#stream.streamArn,
      FunctionArn: this.#fn.arn,
      State: this.#enabled ? "Enabled" : "Disabled",
      StateTransitionReason: "User action",
      LastProcessingResult: this.#lastProcessingResult,
    };
  }

  /** Stops taking new records from the stream (DeleteEventSourceMapping); records already taken finish. */
  public stop(): void {
    this.#unsubscribe();
  }

  /** Outcome ids of records this mapping holds: waiting to be read, in a batch, or waiting after a bisect. */
  public heldEventIds(): number[] {
    const ids: number[] = [];
    for (const lane of this.#lanes) laneHeldIds(lane, ids);
    return ids;
  }

  /** Records waiting to be read across all lanes (not counting batches in flight). */
  public get backlog(): number {
    let total = 0;
    for (const lane of this.#lanes) total += lane.pending.length - lane.head;
    return total;
  }

  /** Lambda's record of an item for this mapping's function (its role is the Kinesis `invokeIdentityArn`). */
  public lambdaRecordOf(item: Item): unknown {
    return this.#stream.lambdaRecord(item.entry, this.#invokeIdentityArn);
  }

  #accept(entry: StreamRecordEntry): void {
    const outcomes = this.#env.outcomes;
    // Only detailed outcomes keep a key; without them the sequence number is not formatted here.
    const id = outcomes.inject(this.source, outcomes.detailed ? entry.sequenceNumber : "");
    const lane =
      this.#lanes[
        entry.shardIndex * this.settings.parallelizationFactor +
          laneOf(entry.orderKey, this.settings.parallelizationFactor)
      ]!;
    lane.pending.push({ entry, id });
    this.#schedulePoll(lane, false);
  }

  #nextTick(timeMs: number): number {
    const interval = this.#pollIntervalMs;
    return this.#originMs + Math.ceil((timeMs - this.#originMs) / interval) * interval;
  }

  /** The first tick of the poll grid strictly after `timeMs`. */
  #tickAfter(timeMs: number): number {
    const interval = this.#pollIntervalMs;
    return this.#originMs + (Math.floor((timeMs - this.#originMs) / interval) + 1) * interval;
  }

  /**
   * Schedules the lane's next read on the poll grid (Kinesis once a second, DynamoDB four times a
   * second): after a batch, a waiting backlog is read at the next poll, never at the instant the
   * batch ended (docs/aws-semantics.md#choice-stream-polling).
   */
  #schedulePoll(lane: Lane, afterBatch: boolean): void {
    if (!this.#enabled || lane.current !== undefined || lane.head >= lane.pending.length) return;
    const now = this.#env.simulation.now();
    const first = lane.pending[lane.head]!;
    const full = lane.pending.length - lane.head >= this.settings.batchSize;
    const windowEnd = full
      ? now
      : Math.max(now, first.entry.arrivalMs + this.settings.maximumBatchingWindowInSeconds * 1000);
    const due = afterBatch
      ? Math.max(this.#tickAfter(now), this.#nextTick(windowEnd))
      : this.#nextTick(windowEnd);
    if (lane.pollAtMs !== undefined && lane.pollAtMs <= due) return;
    this.#pollAt(lane, due);
  }

  // Apart from #schedulePoll, which runs for every arriving record and mostly returns early: a closure
  // there made V8 allocate its context on every call.
  #pollAt(lane: Lane, due: number): void {
    const token = ++lane.pollToken;
    lane.pollAtMs = due;
    this.#env.simulation.at(due, () => {
      if (lane.pollToken !== token) return;
      lane.pollAtMs = undefined;
      if (this.#enabled) this.#read(lane);
    });
  }

  /** Takes the next batch from a lane's pending records and invokes it. */
  #read(lane: Lane): void {
    if (lane.current !== undefined) return;
    this.#discardUnreadable(lane);
    const items = takeBatchItems(lane, this.settings.batchSize);
    if (items.length === 0) return;
    lane.current = newBatch(items, 0);
    this.#invoke(lane);
  }

  #isTooOld(entry: StreamRecordEntry, now: number): boolean {
    const age = this.settings.maximumRecordAgeInSeconds;
    return age !== -1 && now - entry.arrivalMs > age * 1000;
  }

  /** Discards pending records that are past retention or too old before they are ever read into a batch. */
  #discardUnreadable(lane: Lane): void {
    const now = this.#env.simulation.now();
    const tooOld: Item[] = [];
    while (lane.head < lane.pending.length) {
      const item = lane.pending[lane.head]!;
      if (this.#stream.isTrimmed(item.entry, now)) {
        this.#failures.flushTooOld(tooOld, undefined, 0);
        this.#failures.expireTrimmed([item]);
      } else if (this.#isTooOld(item.entry, now)) {
        tooOld.push(item);
        // One record per batch's worth, as a batch read would have carried them.
        if (tooOld.length === this.settings.batchSize) this.#failures.flushTooOld(tooOld, undefined, 0);
      } else break;
      lane.head++;
    }
    this.#failures.flushTooOld(tooOld, undefined, 0);
  }

  /** Invokes the lane's current batch after dropping what aged out while it waited. */
  #invoke(lane: Lane): void {
    const batch = lane.current!;
    const now = this.#env.simulation.now();
    let cut = 0;
    while (cut < batch.items.length && this.#stream.isTrimmed(batch.items[cut]!.entry, now)) cut++;
    if (cut > 0) this.#failures.expireTrimmed(batch.items.splice(0, cut));
    cut = 0;
    while (cut < batch.items.length && this.#isTooOld(batch.items[cut]!.entry, now)) cut++;
    if (cut > 0)
      this.#failures.flushTooOld(batch.items.splice(0, cut), batch.lastRequestId, batch.invokeCount);
    if (batch.items.length === 0) {
      this.#nextBatch(lane);
      return;
    }
    const requestId = this.#random.uuid();
    const event = { Records: batch.items.map((item) => this.lambdaRecordOf(item)) };
    const trace = this.#env.trace;
    if (trace.on) {
      trace.emit(this.source, "batch", {
        lane: lane.label,
        requestId,
        first: batch.items[0]!.entry.sequenceNumber,
        last: batch.items[batch.items.length - 1]!.entry.sequenceNumber,
        size: batch.items.length,
        invoke: batch.invokeCount + 1,
        retries: batch.retriesUsed,
      });
    }
    this.#fn.invoke(event, requestId, (result) => this.#onResult(lane, batch, result));
  }

  #recordAttempts(batch: Batch, result: InvocationResult, outcome: (index: number) => AttemptResult): void {
    const outcomes = this.#env.outcomes;
    if (!outcomes.detailed) {
      outcomes.countAttempts(batch.items.length);
      return;
    }
    const keys = batch.items.map((item) => item.entry.sequenceNumber);
    const errorType = result.status === InvocationStatus.FunctionError ? result.error.errorType : undefined;
    batch.items.forEach((item, index) => {
      const attempt = outcome(index);
      outcomes.attempt(item.id, {
        startMs: result.startMs,
        endMs: result.endMs,
        functionName: this.#fn.functionName,
        requestId: result.requestId,
        result: attempt,
        ...(errorType !== undefined && attempt !== AttemptResult.Success ? { errorType } : {}),
        batch: keys,
      });
    });
  }

  #onResult(lane: Lane, batch: Batch, result: InvocationResult): void {
    if (result.status === InvocationStatus.Throttled) {
      // Never reached the function: retried until the records age out, not counted as a retry.
      this.throttles++;
      this.#recordAttempts(batch, result, () => AttemptResult.Throttled);
      this.#retryLater(lane, "throttled");
      return;
    }
    this.invocations++;
    batch.invokeCount++;
    batch.lastRequestId = result.requestId;
    this.#lastProcessingResult =
      result.status === InvocationStatus.FunctionError ? "PROBLEM: Function call failed" : "OK";
    if (result.status === InvocationStatus.FunctionError) {
      const attempt = attemptResultOf(result);
      this.#recordAttempts(batch, result, () => attempt);
      if (this.settings.bisectBatchOnFunctionError && batch.items.length > 1) {
        bisectBatch(lane, batch);
        const trace = this.#env.trace;
        if (trace.on)
          trace.emit(this.source, "bisect", {
            lane: lane.label,
            left: lane.current!.items.length,
            right: lane.splits[lane.splits.length - 1]!.items.length,
          });
        this.#retryLater(lane, "bisect");
        return;
      }
      this.#failBatch(lane, batch, "Unhandled");
      return;
    }
    const response = this.settings.reportBatchItemFailures
      ? parseBatchResponse(result.payload, batch)
      : { kind: "success" as const };
    if (response.kind === "success") {
      this.#recordAttempts(batch, result, () => AttemptResult.Success);
      for (const item of batch.items) this.#env.outcomes.settle(item.id, Disposition.Processed);
      lane.streak = 0;
      this.#nextBatch(lane);
      return;
    }
    if (response.kind === "invalid") {
      this.#recordAttempts(batch, result, () => AttemptResult.InvalidResponse);
      const trace = this.#env.trace;
      if (trace.on) trace.emit(this.source, "invalid-response", { lane: lane.label, why: response.why });
      this.#failBatch(lane, batch, null);
      return;
    }
    const checkpoint = response.checkpoint;
    this.#recordAttempts(batch, result, (index) =>
      index < checkpoint ? AttemptResult.Success : AttemptResult.ItemFailure,
    );
    if (checkpoint === 0) {
      this.#failBatch(lane, batch, null);
      return;
    }
    for (const item of batch.items.slice(0, checkpoint))
      this.#env.outcomes.settle(item.id, Disposition.Processed);
    const trace = this.#env.trace;
    if (trace.on) {
      trace.emit(this.source, "checkpoint", {
        lane: lane.label,
        seq: batch.items[checkpoint]!.entry.sequenceNumber,
      });
    }
    // The checkpoint moved: the rest is a new batch with a fresh retry budget (observed on AWS).
    lane.current = newBatch(batch.items.slice(checkpoint), 0);
    lane.streak = 0;
    this.#retryLater(lane, "checkpoint");
  }

  /** A failed attempt that counts toward MaximumRetryAttempts. */
  #failBatch(lane: Lane, batch: Batch, functionError: "Unhandled" | null): void {
    const max = this.settings.maximumRetryAttempts;
    if (max === -1 || batch.retriesUsed < max) {
      batch.retriesUsed++;
      this.#retryLater(lane, "retry");
      return;
    }
    this.#failures.discard(
      batch.items,
      StreamFailureCondition.RetryAttemptsExhausted,
      batch.lastRequestId,
      batch.invokeCount,
      functionError,
    );
    lane.streak = 0;
    this.#nextBatch(lane);
  }

  #retryLater(lane: Lane, why: string): void {
    lane.streak++;
    const { retryBaseDelayMs, retryMaxDelayMs } = this.settings;
    const delayMs = Math.min(retryMaxDelayMs, retryBaseDelayMs * 2 ** Math.min(lane.streak - 1, 30));
    const trace = this.#env.trace;
    if (trace.on) {
      trace.emit(this.source, "retry-scheduled", {
        lane: lane.label,
        why,
        delayMs,
        retries: lane.current!.retriesUsed,
      });
    }
    this.#env.simulation.after(delayMs, () => this.#invoke(lane));
  }

  /** The lane's batch is done (processed or discarded): the next bisect half, or the next read. */
  #nextBatch(lane: Lane): void {
    const next = lane.splits.pop();
    if (next !== undefined) {
      lane.current = next;
      this.#invoke(lane);
      return;
    }
    lane.current = undefined;
    this.#schedulePoll(lane, true);
  }
}
