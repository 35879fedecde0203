import { ConfigurationError } from "../engine/errors.js";
import { assertIntInRange, assertOptions, assertString, describe } from "../engine/validate.js";
import { Stream, type StreamEnv } from "./Stream.js";
import { StreamKind, type StreamRecordEntry, StreamShard } from "./StreamShard.js";
import { kinesisShardIndex } from "./streamHash.js";

/** Options of a Kinesis data stream, with AWS's names. */
export interface KinesisStreamOptions {
  /** 1–128 characters of `[a-zA-Z0-9_.-]`. */
  readonly streamName: string;
  /** Default 1. Shards split the hash key space evenly (a freshly created provisioned stream). */
  readonly shardCount?: number;
  /** Default 24, 24–8760 (365 days), as IncreaseStreamRetentionPeriod allows. */
  readonly retentionPeriodHours?: number;
}

/** A PutRecord request. */
export interface KinesisPutRecordInput {
  /** 1–256 Unicode characters; decides the shard (MD5) and, with ParallelizationFactor > 1, the lane. */
  readonly partitionKey: string;
  /** The blob: a UTF-8 string or bytes, at most 1 MiB. Lambda receives it base64-encoded. */
  readonly data: string | Uint8Array;
  /** A decimal 128-bit hash key that overrides the partition key's MD5 when choosing the shard. */
  readonly explicitHashKey?: string;
}

/** What PutRecord answers. */
export interface KinesisPutRecordOutput {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

/**
 * PutRecord's answer. The sequence number is formatted only if the caller reads it: the API answer
 * does, a producer loop that ignores it does not pay for 56 digits per record.
 */
class PutRecordResult implements KinesisPutRecordOutput {
  readonly #entry: StreamRecordEntry;

  public constructor(entry: StreamRecordEntry) {
    this.#entry = entry;
  }

  public get shardId(): string {
    return this.#entry.shardId;
  }

  public get sequenceNumber(): string {
    return this.#entry.sequenceNumber;
  }

  public toJSON(): KinesisPutRecordOutput {
    return { shardId: this.shardId, sequenceNumber: this.sequenceNumber };
  }
}

const OPTION_KEYS = ["streamName", "shardCount", "retentionPeriodHours"] as const;
const PUT_KEYS = ["partitionKey", "data", "explicitHashKey"] as const;
const MAX_DATA_BYTES = 1_048_576;
const HOUR_MS = 3_600_000;

/**
 * A Kinesis data stream on the virtual clock. `putRecord` appends at the current virtual time (use
 * `putRecordAt` to schedule); records carry 56-digit sequence numbers that grow within a shard and
 * reach mappings as Lambda delivers them (`Records[].kinesis.data` in base64).
 *
 * @example
 * ```ts
 * import { KinesisStream } from "@rebound/simulator";
 * const stream = new KinesisStream(env, { streamName: "clicks", shardCount: 2, retentionPeriodHours: 48 });
 * stream.putRecord({ partitionKey: "user-1", data: JSON.stringify({ click: 1 }) });
 * ```
 */
export class KinesisStream extends Stream {
  public readonly kind = StreamKind.Kinesis;
  public readonly name: string;
  /** The prefix of a rejected record's message, built once rather than for every record. */
  readonly #putWhere: string;
  public readonly streamArn: string;

  public constructor(env: StreamEnv, options: KinesisStreamOptions) {
    const where = "KinesisStream";
    assertOptions(where, options, OPTION_KEYS);
    assertString(where, "streamName", options.streamName);
    if (!/^[a-zA-Z0-9_.-]{1,128}$/.test(options.streamName)) {
      throw new ConfigurationError(
        "streamName",
        `${where}: streamName ${describe(options.streamName)} must be 1-128 characters of a-z, A-Z, 0-9, _ . -`,
      );
    }
    const shardCount = options.shardCount ?? 1;
    assertIntInRange(
      where,
      "shardCount",
      shardCount,
      1,
      500,
      "ShardCount is at least 1; 500 is the default account quota",
    );
    const retentionHours = options.retentionPeriodHours ?? 24;
    assertIntInRange(
      where,
      "retentionPeriodHours",
      retentionHours,
      24,
      8760,
      "RetentionPeriodHours is 24 (default) to 8760 hours",
    );
    const shards = Array.from({ length: shardCount }, (_, index) => {
      // 56 digits like AWS's: "49", a 6-digit shard index, a 48-digit counter (string order = numeric order).
      const prefix = `49${String(index).padStart(6, "0")}`;
      return new StreamShard(
        `shardId-${String(index).padStart(12, "0")}`,
        index,
        (counter) => prefix + String(counter).padStart(48, "0"),
      );
    });
    super(env, shards, retentionHours * HOUR_MS);
    this.name = options.streamName;
    this.#putWhere = `${options.streamName}.putRecord`;
    this.streamArn = `arn:aws:kinesis:${env.region}:${env.accountId}:stream/${options.streamName}`;
  }

  public get traceSource(): string {
    return `kinesis:${this.name}`;
  }

  /** Appends one record now; returns its shard and sequence number. */
  public putRecord(input: KinesisPutRecordInput): KinesisPutRecordOutput {
    return this.#put(input);
  }

  /** Schedules `putRecord` at virtual time `timeMs` (not before now). */
  public putRecordAt(timeMs: number, input: KinesisPutRecordInput): void {
    this.#validate(input);
    this.env.simulation.at(timeMs, () => {
      this.#put(input);
    });
  }

  #validate(input: KinesisPutRecordInput): Buffer {
    const where = this.#putWhere;
    assertOptions(where, input, PUT_KEYS);
    if (
      typeof input.partitionKey !== "string" ||
      input.partitionKey.length < 1 ||
      input.partitionKey.length > 256
    ) {
      throw new ConfigurationError(
        "partitionKey",
        `${where}: partitionKey must be a string of 1-256 characters, got ${describe(input.partitionKey)}`,
      );
    }
    if (input.explicitHashKey !== undefined) {
      if (!/^\d{1,39}$/.test(input.explicitHashKey) || BigInt(input.explicitHashKey) >= 1n << 128n) {
        throw new ConfigurationError(
          "explicitHashKey",
          `${where}: explicitHashKey must be a decimal integer from 0 to 2^128 - 1, got ${describe(input.explicitHashKey)}`,
        );
      }
    }
    let data: Buffer;
    if (typeof input.data === "string") data = Buffer.from(input.data, "utf8");
    else if (input.data instanceof Uint8Array) data = Buffer.from(input.data);
    else {
      throw new ConfigurationError(
        "data",
        `${where}: data must be a string or a Uint8Array, got ${describe(input.data)}`,
      );
    }
    if (data.length > MAX_DATA_BYTES) {
      throw new ConfigurationError(
        "data",
        `${where}: data is ${data.length} bytes; Kinesis accepts at most 1 MiB per record`,
      );
    }
    return data;
  }

  #put(input: KinesisPutRecordInput): KinesisPutRecordOutput {
    const data = this.#validate(input).toString("base64");
    const key = input.partitionKey;
    let shardIndex: number;
    if (input.explicitHashKey !== undefined)
      shardIndex = kinesisShardIndex(key, this.shards.length, input.explicitHashKey);
    else if (this.shards.length === 1) shardIndex = 0;
    else {
      // MD5 per record was a third of the streams benchmark; keys repeat, so their shard is cached
      // (bounded: cleared at 100,000 keys).
      shardIndex = this.#shardOfKey.get(key) ?? -1;
      if (shardIndex < 0) {
        if (this.#shardOfKey.size >= 100_000) this.#shardOfKey.clear();
        shardIndex = kinesisShardIndex(key, this.shards.length);
        this.#shardOfKey.set(key, shardIndex);
      }
    }
    const entry: StreamRecordEntry = this.appendRecord(
      shardIndex,
      key,
      data,
      // The record's JSON size without building it: the fixed part measured once, plus what varies.
      this.#fixedRecordBytes() + data.length + Buffer.byteLength(key, "utf8"),
      this.#build,
    );
    return new PutRecordResult(entry);
  }

  /** Lambda's record for a mapping, with its function's role as `invokeIdentityArn`. */
  public override lambdaRecord(entry: StreamRecordEntry, invokeIdentityArn: string): unknown {
    return this.#recordOf(entry, { data: entry.payload as string }, invokeIdentityArn);
  }

  readonly #shardOfKey = new Map<string, number>();

  #fixedBytes: number | undefined;

  #fixedRecordBytes(): number {
    // Every sequence number has the same 56 digits, so the first one stands for all.
    this.#fixedBytes ??= Buffer.byteLength(
      JSON.stringify(
        this.#recordOf(
          {
            shardId: this.shards[0]!.shardId,
            sequenceNumber: this.shards[0]!.formatSequence(0),
            orderKey: "",
            arrivalMs: 1_657_720_081_123,
          } as StreamRecordEntry,
          { data: "" },
          "",
        ),
      ),
      "utf8",
    );
    return this.#fixedBytes;
  }

  readonly #build = (entry: StreamRecordEntry, payload: unknown): Readonly<Record<string, unknown>> =>
    this.#recordOf(entry, { data: payload as string }, "");

  #recordOf(
    entry: StreamRecordEntry,
    payload: { data: string },
    invokeIdentityArn: string,
  ): Readonly<Record<string, unknown>> {
    return {
      kinesis: {
        kinesisSchemaVersion: "1.0",
        partitionKey: entry.orderKey,
        sequenceNumber: entry.sequenceNumber,
        data: payload.data,
        // Epoch seconds with millisecond precision, a number, as Lambda delivers it.
        approximateArrivalTimestamp: entry.arrivalMs / 1000,
      },
      eventSource: "aws:kinesis",
      eventVersion: "1.0",
      eventID: `${entry.shardId}:${entry.sequenceNumber}`,
      eventName: "aws:kinesis:record",
      invokeIdentityArn,
      awsRegion: this.env.region,
      eventSourceARN: this.streamArn,
    };
  }
}
