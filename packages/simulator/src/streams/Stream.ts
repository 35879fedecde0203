import type { Simulation } from "../engine/Simulation.js";
import type { Trace } from "../engine/Trace.js";
import type { StreamKind, StreamListener, StreamRecordEntry, StreamShard } from "./StreamShard.js";

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
    for (const shard of shards) {
      shard.bindFactory(
        (owner, position, arrivalMs, orderKey, payload, sizeBytes) =>
          new Entry(owner, position, arrivalMs, orderKey, sizeBytes, payload, this.#builder),
      );
    }
  }

  /** How the subclass turns a stored payload into Lambda's record (undefined: the payload is the record). */
  #builder: ((entry: StreamRecordEntry, payload: unknown) => Readonly<Record<string, unknown>>) | undefined;

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

  /**
   * The record a mapping puts in `event.Records`. Kinesis records name the function's execution role
   * (`invokeIdentityArn`); DynamoDB records are the same for every reader.
   */
  public lambdaRecord(entry: StreamRecordEntry, _invokeIdentityArn: string): unknown {
    return entry.record;
  }

  /**
   * Appends a record for the shard's next sequence number and notifies listeners. `payload` is the
   * record itself, or (for high-volume streams) the compact form that `build` turns into the record
   * when someone reads it; `sizeBytes` is the record's JSON size (measured from `payload` when
   * omitted). A subclass whose record carries its sequence number reads
   * `shards[shardIndex].nextSequenceNumber()` before calling.
   */
  protected appendRecord(
    shardIndex: number,
    orderKey: string,
    payload: unknown,
    sizeBytes?: number,
    build?: (entry: StreamRecordEntry, payload: unknown) => Readonly<Record<string, unknown>>,
  ): StreamRecordEntry {
    const shard = this.shards[shardIndex]!;
    const entry = new Entry(
      shard,
      shard.nextPosition,
      this.env.simulation.now(),
      orderKey,
      sizeBytes ?? Buffer.byteLength(JSON.stringify(payload), "utf8"),
      payload,
      build,
    );
    this.#builder = build;
    shard.append(entry);
    this.#trim();
    const trace = this.env.trace;
    if (trace.on) {
      trace.emit(this.traceSource, "append", {
        shard: shard.shardId,
        seq: entry.sequenceNumber,
        key: orderKey,
      });
    }
    for (const listener of this.#listeners) listener(entry);
    return entry;
  }

  #trim(): void {
    const horizon = this.env.simulation.now() - this.retentionMs;
    for (const shard of this.shards) shard.trim(horizon + 1);
  }
}

/**
 * A record handed to listeners and readers. Kinesis keeps only the compact payload (base64 data) and
 * builds Lambda's record when it is read; with the shard's columnar storage this took the 1M-record
 * streams benchmark from 796 MB to 277 MB peak RSS and from 21,000 to 69,000 deliveries per second.
 */
class Entry implements StreamRecordEntry {
  #sequenceNumber: string | undefined;

  public constructor(
    readonly shard: StreamShard,
    public readonly position: number,
    public readonly arrivalMs: number,
    public readonly orderKey: string,
    public readonly sizeBytes: number,
    public readonly payload: unknown,
    private readonly build:
      | ((entry: StreamRecordEntry, payload: unknown) => Readonly<Record<string, unknown>>)
      | undefined,
  ) {}

  public get shardId(): string {
    return this.shard.shardId;
  }

  public get shardIndex(): number {
    return this.shard.index;
  }

  /**
   * Formatted when first read, then kept: a 56-digit Kinesis sequence number per record was the
   * largest allocation of the streams benchmark, and most records are never asked for theirs there.
   */
  public get sequenceNumber(): string {
    this.#sequenceNumber ??= this.shard.formatSequence(this.position);
    return this.#sequenceNumber;
  }

  public get record(): Readonly<Record<string, unknown>> {
    return this.build === undefined
      ? (this.payload as Readonly<Record<string, unknown>>)
      : this.build(this, this.payload);
  }
}
