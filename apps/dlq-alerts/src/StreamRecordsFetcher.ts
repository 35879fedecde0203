import {
  GetRecordsCommand as DdbGetRecords,
  GetShardIteratorCommand as DdbGetShardIterator,
  type DynamoDBStreamsClient,
} from "@aws-sdk/client-dynamodb-streams";
import {
  type KinesisClient,
  GetRecordsCommand as KinesisGetRecords,
  GetShardIteratorCommand as KinesisGetShardIterator,
} from "@aws-sdk/client-kinesis";
import { RetryableError } from "@rebound/errors";
import type { StreamBatch } from "./failedEvent.js";

/** What a fetch found: the records, or why there are none. */
export interface FetchedRecords {
  readonly records: readonly unknown[];
  /** Set when fewer records than the batch came back (trimmed, expired, a page limit). */
  readonly note?: string;
}

/** Options of {@link StreamRecordsFetcher}. */
export interface StreamRecordsFetcherOptions {
  readonly dynamodbStreams: DynamoDBStreamsClient;
  readonly kinesis: KinesisClient;
  /** GetRecords pages read at most per batch (each up to 1,000 records / 10 MB). Default 5. */
  readonly maxPages?: number;
}

// Errors meaning "these records are gone": past retention (DynamoDB 24 h, Kinesis 24 h+), or the
// stream/shard no longer exists. Anything else (throttling, 5xx) may succeed on a later delivery.
const GONE = new Set([
  "TrimmedDataAccessException",
  "ResourceNotFoundException",
  "ExpiredIteratorException",
  "InvalidArgumentException",
]);

function afterEnd(sequenceNumber: string | undefined, end: string): boolean {
  try {
    return sequenceNumber !== undefined && BigInt(sequenceNumber) > BigInt(end);
  } catch {
    return false;
  }
}

function decodeKinesisData(data: Uint8Array | undefined): string {
  if (data === undefined) return "";
  const text = Buffer.from(data).toString("utf8");
  // Show text as text; anything with control characters (other than tab/newline) or invalid UTF-8 as base64.
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd) {
      return `base64:${Buffer.from(data).toString("base64")}`;
    }
  }
  return text;
}

/**
 * Fetches the original records of a stream on-failure record, which carries only the shard and
 * sequence range: `GetShardIterator` AT_SEQUENCE_NUMBER at the start, then `GetRecords` until the end
 * sequence number (or `batchSize` records, or `maxPages`). Records past retention come back as a
 * note, not an error: the alert still goes out, it just says the originals are gone.
 *
 * @example
 * ```ts
 * const fetcher = new StreamRecordsFetcher({ dynamodbStreams: new DynamoDBStreamsClient({}), kinesis: new KinesisClient({}) });
 * const { records, note } = await fetcher.fetch(failed.stream!);
 * ```
 */
export class StreamRecordsFetcher {
  readonly #ddb: DynamoDBStreamsClient;
  readonly #kinesis: KinesisClient;
  readonly #maxPages: number;

  public constructor(options: StreamRecordsFetcherOptions) {
    this.#ddb = options.dynamodbStreams;
    this.#kinesis = options.kinesis;
    this.#maxPages = options.maxPages ?? 5;
  }

  /** Throws {@link RetryableError} for transient failures (throttling, 5xx). */
  public async fetch(batch: StreamBatch): Promise<FetchedRecords> {
    if (!batch.streamArn || !batch.shardId || !batch.startSequenceNumber) {
      return {
        records: [],
        note: "the failure record has no stream position, so the originals cannot be fetched",
      };
    }
    try {
      return batch.service === "dynamodb" ? await this.#fetchDynamo(batch) : await this.#fetchKinesis(batch);
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      if (typeof name === "string" && GONE.has(name)) {
        return {
          records: [],
          note: `the original records are no longer retained (${name}); retention is 24 h by default`,
        };
      }
      throw new RetryableError(`fetching stream records failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async #fetchDynamo(batch: StreamBatch): Promise<FetchedRecords> {
    const { ShardIterator } = await this.#ddb.send(
      new DdbGetShardIterator({
        StreamArn: batch.streamArn,
        ShardId: batch.shardId,
        ShardIteratorType: "AT_SEQUENCE_NUMBER",
        SequenceNumber: batch.startSequenceNumber,
      }),
    );
    const records: unknown[] = [];
    let iterator = ShardIterator;
    for (let page = 0; page < this.#maxPages && iterator; page += 1) {
      const { Records = [], NextShardIterator } = await this.#ddb.send(
        new DdbGetRecords({ ShardIterator: iterator, Limit: Math.min(1_000, Math.max(1, batch.batchSize)) }),
      );
      for (const record of Records) {
        if (afterEnd(record.dynamodb?.SequenceNumber, batch.endSequenceNumber)) return { records };
        records.push({ ...record, eventSourceARN: batch.streamArn });
        if (records.length >= batch.batchSize) return { records };
      }
      // An empty page on an open shard can still be followed by records; stop on the page limit.
      iterator = NextShardIterator;
    }
    return records.length >= batch.batchSize
      ? { records }
      : {
          records,
          note: `found ${records.length} of ${batch.batchSize} record(s) (shard closed or page limit reached)`,
        };
  }

  async #fetchKinesis(batch: StreamBatch): Promise<FetchedRecords> {
    const { ShardIterator } = await this.#kinesis.send(
      new KinesisGetShardIterator({
        StreamARN: batch.streamArn,
        ShardId: batch.shardId,
        ShardIteratorType: "AT_SEQUENCE_NUMBER",
        StartingSequenceNumber: batch.startSequenceNumber,
      }),
    );
    const records: unknown[] = [];
    let iterator = ShardIterator;
    for (let page = 0; page < this.#maxPages && iterator; page += 1) {
      const { Records = [], NextShardIterator } = await this.#kinesis.send(
        new KinesisGetRecords({
          ShardIterator: iterator,
          StreamARN: batch.streamArn,
          Limit: Math.min(10_000, Math.max(1, batch.batchSize)),
        }),
      );
      for (const record of Records) {
        if (afterEnd(record.SequenceNumber, batch.endSequenceNumber)) return { records };
        records.push({
          sequenceNumber: record.SequenceNumber,
          partitionKey: record.PartitionKey,
          approximateArrivalTimestamp: record.ApproximateArrivalTimestamp?.toISOString(),
          data: decodeKinesisData(record.Data),
        });
        if (records.length >= batch.batchSize) return { records };
      }
      iterator = NextShardIterator;
    }
    return records.length >= batch.batchSize
      ? { records }
      : {
          records,
          note: `found ${records.length} of ${batch.batchSize} record(s) (shard closed or page limit reached)`,
        };
  }
}
