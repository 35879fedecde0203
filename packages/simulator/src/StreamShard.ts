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

/** One record in a shard, with the Lambda-shaped record built once at append time. */
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
}

/** Receives each record appended to a stream. */
export type StreamListener = (entry: StreamRecordEntry) => void;

/**
 * One shard: an append-only, ordered log with sequence numbers that only grow, trimmed by retention.
 * Records are kept (not copied) so a mapping created later with TRIM_HORIZON can read what is still
 * retained.
 *
 * @example
 * ```ts
 * import { StreamShard } from "@rebound/simulator";
 * const shard = new StreamShard("shardId-000000000000", 0, (n) => String(n).padStart(20, "0"));
 * shard.nextSequenceNumber(); // "00000000000000000000"
 * ```
 */
export class StreamShard {
  #records: StreamRecordEntry[] = [];
  #head = 0;
  #counter = 0;

  public constructor(
    public readonly shardId: string,
    public readonly index: number,
    readonly formatSequence: (counter: number) => string,
  ) {}

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
    this.#records.push(entry);
  }

  /** Drops records that arrived before `horizonMs` (retention), compacting now and then. */
  public trim(horizonMs: number): void {
    const records = this.#records;
    while (this.#head < records.length && records[this.#head]!.arrivalMs < horizonMs) this.#head++;
    // Compact when more than half the array is dead, so memory stays proportional to what is retained.
    if (this.#head > 1024 && this.#head * 2 > records.length) {
      this.#records = records.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Records still retained, oldest first. */
  public retained(): readonly StreamRecordEntry[] {
    return this.#records.slice(this.#head);
  }

  /** Number of records ever appended. */
  public get appended(): number {
    return this.#counter;
  }
}
