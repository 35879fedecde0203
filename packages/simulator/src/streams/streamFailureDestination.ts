import { Disposition, type Outcomes } from "../engine/Outcomes.js";
import type { SeededRandom } from "../engine/SeededRandom.js";
import type { Simulation } from "../engine/Simulation.js";
import type { Trace } from "../engine/Trace.js";
import type { LambdaFunction } from "../lambda/LambdaFunction.js";
import type { Stream } from "./Stream.js";
import type { StreamDestinationKind, StreamMappingSettings } from "./streamConfig.js";
import {
  buildStreamFailureRecord,
  StreamFailureCondition,
  streamFailureObjectKey,
} from "./streamDestinationRecord.js";
import type { Item } from "./streamLanes.js";

/** One on-failure record on its way to the mapping's destination. */
export interface StreamFailureDelivery {
  readonly destination: string;
  readonly kind: StreamDestinationKind;
  /** The record as JSON data (SQS body / SNS Message / S3 object, once serialised). */
  readonly record: Readonly<Record<string, unknown>>;
  /** S3 only: the object key AWS would use. */
  readonly objectKey?: string;
  /** Outcome id of the first discarded record (links the destination message to it). */
  readonly parent: number;
}

/** Receives on-failure records (the topology routes them to its queue, topic or bucket). */
export type StreamFailureSink = (delivery: StreamFailureDelivery) => void;

/** What the failure path needs from the mapping's environment. */
export interface StreamFailureEnv {
  readonly simulation: Simulation;
  readonly trace: Trace;
  readonly outcomes: Outcomes;
  /** Where on-failure records go; without it they are only recorded in the outcomes. */
  readonly deliver?: StreamFailureSink;
}

/** The mapping's identity and settings the failure path reads. */
export interface StreamFailureSource {
  /** Trace source of the mapping. */
  readonly source: string;
  /** The mapping's UUID (S3 object keys). */
  readonly uuid: string;
  readonly settings: StreamMappingSettings;
  /** Lambda's record of an item as this mapping's function receives it. */
  lambdaRecordOf(item: Item): unknown;
}

/**
 * Where a stream mapping's records go when it gives up on them: records past MaximumRecordAgeInSeconds
 * or out of retries are discarded with an on-failure record (SQS, SNS or S3 destination), or, without
 * a destination, settled as expired (record age) or dropped (retries). Records past the stream's
 * retention can no longer be read: they expire without a record (Lambda cannot read them to report).
 *
 * @example
 * ```ts
 * const failures = new StreamFailureDestination(env, mapping, stream, fn, random);
 * failures.discard(items, StreamFailureCondition.RetryAttemptsExhausted, requestId, 3, "Unhandled");
 * ```
 */
export class StreamFailureDestination {
  readonly #env: StreamFailureEnv;
  readonly #mapping: StreamFailureSource;
  readonly #stream: Stream;
  readonly #fn: LambdaFunction;
  readonly #random: SeededRandom;

  public constructor(
    env: StreamFailureEnv,
    mapping: StreamFailureSource,
    stream: Stream,
    fn: LambdaFunction,
    /** The mapping's own random source: request ids and object keys come from it, in the mapping's order. */
    random: SeededRandom,
  ) {
    this.#env = env;
    this.#mapping = mapping;
    this.#stream = stream;
    this.#fn = fn;
    this.#random = random;
  }

  /** Discards records past MaximumRecordAgeInSeconds (emptying `items`); none: nothing happens. */
  public flushTooOld(items: Item[], requestId: string | undefined, invokeCount: number): void {
    if (items.length === 0) return;
    // approximateInvokeCount is 1 for a record discarded before any invocation (observed on AWS).
    this.discard(
      items.splice(0),
      StreamFailureCondition.RecordAgeExceeded,
      requestId,
      Math.max(1, invokeCount),
      null,
    );
  }

  /** Records past the stream's retention: expired, with no on-failure record. */
  public expireTrimmed(items: readonly Item[]): void {
    const outcomes = this.#env.outcomes;
    const trace = this.#env.trace;
    if (trace.on) {
      trace.emit(this.#mapping.source, "trimmed", {
        first: items[0]!.entry.sequenceNumber,
        last: items[items.length - 1]!.entry.sequenceNumber,
        size: items.length,
      });
    }
    for (const item of items)
      outcomes.settle(item.id, Disposition.Expired, { reason: "RetentionPeriodExceeded" });
  }

  /** Gives up on `items`: the on-failure record to the destination, or the settlement without one. */
  public discard(
    items: readonly Item[],
    condition: StreamFailureCondition,
    requestId: string | undefined,
    invokeCount: number,
    functionError: "Unhandled" | null,
  ): void {
    const now = this.#env.simulation.now();
    const onFailure = this.#mapping.settings.onFailure;
    const entries = items.map((item) => item.entry);
    const record =
      onFailure === undefined
        ? undefined
        : buildStreamFailureRecord({
            kind: this.#stream.kind,
            streamArn: this.#stream.streamArn,
            functionArn: this.#fn.arn,
            requestId: requestId ?? this.#random.uuid(),
            condition,
            approximateInvokeCount: invokeCount,
            functionError,
            timestampMs: now,
            records: entries,
            ...(onFailure.kind === "s3"
              ? { payloadRecords: items.map((item) => this.#mapping.lambdaRecordOf(item)) }
              : {}),
          });
    const trace = this.#env.trace;
    if (trace.on) {
      trace.emit(this.#mapping.source, "discard", {
        condition,
        first: entries[0]!.sequenceNumber,
        last: entries[entries.length - 1]!.sequenceNumber,
        size: entries.length,
        invokeCount,
        destination: onFailure?.destination,
      });
    }
    const outcomes = this.#env.outcomes;
    if (onFailure === undefined || record === undefined) {
      const disposition =
        condition === StreamFailureCondition.RecordAgeExceeded ? Disposition.Expired : Disposition.Dropped;
      for (const item of items) outcomes.settle(item.id, disposition, { reason: condition });
      return;
    }
    const objectKey =
      onFailure.kind === "s3"
        ? streamFailureObjectKey(this.#mapping.uuid, entries[0]!.shardId, now, this.#random.uuid())
        : undefined;
    this.#env.deliver?.({
      destination: onFailure.destination,
      kind: onFailure.kind,
      record,
      ...(objectKey !== undefined ? { objectKey } : {}),
      parent: items[0]!.id,
    });
    for (const item of items) {
      outcomes.settle(item.id, Disposition.SentToDestination, {
        target: onFailure.destination,
        reason: condition,
        record,
      });
    }
  }
}
