/**
 * The two stream services Lambda reads with a stream event source mapping.
 *
 * @example
 * ```ts
 * import { StreamKind } from "@rebound/simulator";
 * stream.kind === StreamKind.DynamoDB; // "dynamodb"
 * ```
 */
export const StreamKind = { DynamoDB: "dynamodb", Kinesis: "kinesis" } as const;
/** One of `StreamKind`'s values. */
export type StreamKind = (typeof StreamKind)[keyof typeof StreamKind];

/** One record in a shard; `record` builds Lambda's record from it (Kinesis) or is the stored one (DynamoDB). */
export interface StreamRecordEntry {
  readonly shardId: string;
  readonly shardIndex: number;
  /** Decimal string, fixed width per shard, so string order is numeric order. */
  readonly sequenceNumber: string;
  /** Position in the shard, 0-based: cheaper than comparing sequence strings. */
  readonly position: number;
  /** Virtual epoch ms the stream received the record (Kinesis ApproximateArrivalTimestamp). */
  readonly arrivalMs: number;
  /** What order is kept by: the partition key (Kinesis) or the item key (DynamoDB). */
  readonly orderKey: string;
  /** The record exactly as Lambda puts it in `event.Records`. */
  readonly record: Readonly<Record<string, unknown>>;
  /** Bytes of the record's JSON, for the 6 MB invocation payload cap. */
  readonly sizeBytes: number;
  /** The compact stored form: Kinesis keeps the base64 data; DynamoDB keeps the record itself. */
  readonly payload: unknown;
}

/** Receives each record appended to a stream. */
export type StreamListener = (entry: StreamRecordEntry) => void;

/** Rebuilds a stored record's entry from its columns (the stream knows how Lambda's record looks). */
export type StreamEntryFactory = (
  shard: StreamShard,
  position: number,
  arrivalMs: number,
  orderKey: string,
  payload: unknown,
  sizeBytes: number,
) => StreamRecordEntry;

/**
 * One shard: an append-only, ordered log with sequence numbers that only grow, trimmed by retention.
 * Records are stored in columns (arrival, key, compact payload, size) rather than as objects, because a
 * day of retention can hold millions of them and every live object costs the garbage collector on each
 * major cycle; entries are rebuilt when a mapping created later with TRIM_HORIZON reads them.
 *
 * @example
 * ```ts
 * import { StreamShard } from "@rebound/simulator";
 * const shard = new StreamShard("shardId-000000000000", 0, (n) => String(n).padStart(20, "0"));
 * shard.nextSequenceNumber(); // "00000000000000000000"
 * ```
 */
export class StreamShard {
  #arrivals: number[] = [];
  #keys: string[] = [];
  #payloads: unknown[] = [];
  #sizes: number[] = [];
  /** Index of the oldest retained record in the columns. */
  #head = 0;
  /** Position of the record at column index 0. */
  #base = 0;
  #counter = 0;
  #factory: StreamEntryFactory | undefined;

  public constructor(
    public readonly shardId: string,
    public readonly index: number,
    readonly formatSequence: (counter: number) => string,
  ) {}

  /** Called once by the stream that owns the shard. */
  public bindFactory(factory: StreamEntryFactory): void {
    this.#factory = factory;
  }

  /** The sequence number the next record will get. */
  public nextSequenceNumber(): string {
    return this.formatSequence(this.#counter);
  }

  /** Position the next record will get. */
  public get nextPosition(): number {
    return this.#counter;
  }

  /** Appends a record built for the next sequence number. */
  public append(entry: StreamRecordEntry): void {
    if (entry.position !== this.#counter) {
      throw new RangeError(
        `shard ${this.shardId}: expected position ${this.#counter}, got ${entry.position}`,
      );
    }
    this.#counter++;
    this.#arrivals.push(entry.arrivalMs);
    this.#keys.push(entry.orderKey);
    this.#payloads.push(entry.payload);
    this.#sizes.push(entry.sizeBytes);
  }

  /** Drops records that arrived before `horizonMs` (retention), compacting now and then. */
  public trim(horizonMs: number): void {
    const arrivals = this.#arrivals;
    while (this.#head < arrivals.length && arrivals[this.#head]! < horizonMs) this.#head++;
    // Compact when more than half the columns are dead, so memory stays proportional to what is retained.
    if (this.#head > 1024 && this.#head * 2 > arrivals.length) {
      const head = this.#head;
      this.#arrivals = arrivals.slice(head);
      this.#keys = this.#keys.slice(head);
      this.#payloads = this.#payloads.slice(head);
      this.#sizes = this.#sizes.slice(head);
      this.#base += head;
      this.#head = 0;
    }
  }

  /** Records still retained, oldest first. */
  public retained(): StreamRecordEntry[] {
    const factory = this.#factory;
    if (factory === undefined) throw new RangeError(`shard ${this.shardId} belongs to no stream`);
    const entries: StreamRecordEntry[] = [];
    for (let i = this.#head; i < this.#arrivals.length; i++) {
      entries.push(
        factory(this, this.#base + i, this.#arrivals[i]!, this.#keys[i]!, this.#payloads[i], this.#sizes[i]!),
      );
    }
    return entries;
  }

  /** Number of records ever appended. */
  public get appended(): number {
    return this.#counter;
  }
}
