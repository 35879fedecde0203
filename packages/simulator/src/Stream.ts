import type { Simulation } from "./Simulation.js";
import type { StreamKind, StreamListener, StreamRecordEntry, StreamShard } from "./StreamShard.js";
import type { Trace } from "./Trace.js";

/** What a stream needs from the topology that owns it. */
export interface StreamEnv {
  readonly simulation: Simulation;
  readonly trace: Trace;
  readonly region: string;
  readonly accountId: string;
}

/**
 * What DynamoDB Streams and Kinesis share: shards, retention, sequence numbers, subscribers. The two
 * subclasses decide which shard a record goes to and how Lambda's record looks.
 *
 * @example
 * ```ts
 * import { KinesisStream } from "@rebound/simulator";
 * const stream = new KinesisStream(env, { streamName: "orders", shardCount: 2 });
 * stream.shards.length; // 2
 * ```
 */
export abstract class Stream {
  public abstract readonly kind: StreamKind;
  /** The ARN event source mappings and destination records name. */
  public abstract readonly streamArn: string;
  /** The stream (or table) name, used in trace sources. */
  public abstract readonly name: string;
  public readonly shards: readonly StreamShard[];
  /** How long a record stays readable. */
  public readonly retentionMs: number;
  protected readonly env: StreamEnv;
  readonly #listeners: StreamListener[] = [];

  protected constructor(env: StreamEnv, shards: readonly StreamShard[], retentionMs: number) {
    this.env = env;
    this.shards = shards;
    this.retentionMs = retentionMs;
  }

  /** Source name in trace lines: `dynamodb-stream:<table>` or `kinesis:<stream>`. */
  public abstract get traceSource(): string;

  /**
   * Calls `listener` for every record appended from now on. Returns a function that unsubscribes.
   * Event source mappings use this; `retained()` gives what was appended before.
   */
  public subscribe(listener: StreamListener): () => void {
    this.#listeners.push(listener);
    return (): void => {
      const index = this.#listeners.indexOf(listener);
      if (index >= 0) this.#listeners.splice(index, 1);
    };
  }

  /** Every retained record of every shard, shard by shard, oldest first within a shard. */
  public retained(): StreamRecordEntry[] {
    this.#trim();
    return this.shards.flatMap((shard) => shard.retained());
  }

  /** True when a record is past the stream's retention at virtual time `nowMs` (it can no longer be read). */
  public isTrimmed(entry: StreamRecordEntry, nowMs: number): boolean {
    return entry.arrivalMs + this.retentionMs <= nowMs;
  }

  /** Appends a record built by the subclass for the shard's next sequence number and notifies listeners. */
  protected appendRecord(
    shardIndex: number,
    orderKey: string,
    build: (sequenceNumber: string, shard: StreamShard, arrivalMs: number) => Record<string, unknown>,
  ): StreamRecordEntry {
    const shard = this.shards[shardIndex]!;
    const arrivalMs = this.env.simulation.now();
    const sequenceNumber = shard.nextSequenceNumber();
    const record = build(sequenceNumber, shard, arrivalMs);
    const entry: StreamRecordEntry = {
      shardId: shard.shardId,
      shardIndex,
      sequenceNumber,
      position: shard.nextPosition,
      arrivalMs,
      orderKey,
      record,
      sizeBytes: Buffer.byteLength(JSON.stringify(record), "utf8"),
    };
    shard.append(entry);
    this.#trim();
    const trace = this.env.trace;
    if (trace.on) {
      trace.emit(this.traceSource, "append", { shard: shard.shardId, seq: sequenceNumber, key: orderKey });
    }
    for (const listener of this.#listeners) listener(entry);
    return entry;
  }

  #trim(): void {
    const horizon = this.env.simulation.now() - this.retentionMs;
    for (const shard of this.shards) shard.trim(horizon + 1);
  }
}
