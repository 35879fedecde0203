import { epochSeconds, optionalArray, optionalInteger, optionalString, requiredString } from "./awsWire.js";
import { AwsServiceError } from "./errors.js";
import type { KinesisBackend, KinesisStreamReference } from "./ServiceBackends.js";

/** The operations the local Kinesis endpoint serves (JSON 1.1 `Kinesis_20131202.<name>`). */
export const KINESIS_OPERATIONS = ["PutRecord", "PutRecords", "GetShardIterator", "GetRecords"] as const;

const ITERATOR_TYPES = [
  "AT_SEQUENCE_NUMBER",
  "AFTER_SEQUENCE_NUMBER",
  "TRIM_HORIZON",
  "LATEST",
  "AT_TIMESTAMP",
] as const;

/** Errors that fail one record of PutRecords instead of the whole call, as AWS reports them. */
const PER_RECORD_ERRORS: readonly string[] = ["ProvisionedThroughputExceededException", "InternalFailure"];

/** 1 MiB: Kinesis' limit on a record's data plus partition key. */
const MAX_RECORD_BYTES = 1_048_576;

function streamReference(input: Record<string, unknown>): KinesisStreamReference {
  const streamName = optionalString(input, "StreamName");
  const streamArn = optionalString(input, "StreamARN");
  if (streamName === undefined && streamArn === undefined) {
    throw new AwsServiceError(
      "ValidationException",
      "Either StreamName or StreamARN should be provided.",
      400,
    );
  }
  return {
    ...(streamName === undefined ? {} : { streamName }),
    ...(streamArn === undefined ? {} : { streamArn }),
  };
}

function recordInput(entry: Record<string, unknown>) {
  const data = Buffer.from(requiredString(entry, "Data"), "base64");
  const partitionKey = requiredString(entry, "PartitionKey");
  if (partitionKey.length > 256) {
    throw new AwsServiceError("ValidationException", "PartitionKey must be at most 256 characters", 400);
  }
  if (data.length + Buffer.byteLength(partitionKey) > MAX_RECORD_BYTES) {
    throw new AwsServiceError(
      "ValidationException",
      `the record's data and partition key are larger than ${MAX_RECORD_BYTES} bytes`,
      400,
    );
  }
  const explicitHashKey = optionalString(entry, "ExplicitHashKey");
  return { data, partitionKey, ...(explicitHashKey === undefined ? {} : { explicitHashKey }) };
}

/** Runs one Kinesis operation on the JSON input. */
export async function runKinesisOperation(
  operation: string,
  input: Record<string, unknown>,
  backend: KinesisBackend,
): Promise<unknown> {
  switch (operation) {
    case "PutRecord": {
      const sequenceNumberForOrdering = optionalString(input, "SequenceNumberForOrdering");
      const out = await backend.putRecord({
        ...streamReference(input),
        ...recordInput(input),
        ...(sequenceNumberForOrdering === undefined ? {} : { sequenceNumberForOrdering }),
      });
      return { ShardId: out.shardId, SequenceNumber: out.sequenceNumber };
    }
    case "PutRecords": {
      const stream = streamReference(input);
      const entries = (optionalArray(input, "Records") ?? []) as Record<string, unknown>[];
      if (entries.length < 1 || entries.length > 500) {
        throw new AwsServiceError(
          "ValidationException",
          `1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length between 1 and 500 (got ${entries.length})`,
          400,
        );
      }
      const records = entries.map(recordInput);
      const results: unknown[] = [];
      let failed = 0;
      for (const record of records) {
        try {
          const out = await backend.putRecord({ ...stream, ...record });
          results.push({ ShardId: out.shardId, SequenceNumber: out.sequenceNumber });
        } catch (error) {
          if (!(error instanceof AwsServiceError) || !PER_RECORD_ERRORS.includes(error.code)) throw error;
          failed += 1;
          results.push({ ErrorCode: error.code, ErrorMessage: error.message });
        }
      }
      return { FailedRecordCount: failed, Records: results };
    }
    case "GetShardIterator": {
      const shardId = requiredString(input, "ShardId");
      const type = requiredString(input, "ShardIteratorType");
      if (!(ITERATOR_TYPES as readonly string[]).includes(type)) {
        throw new AwsServiceError(
          "ValidationException",
          `1 validation error detected: Value '${type}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [${ITERATOR_TYPES.join(", ")}]`,
          400,
        );
      }
      const startingSequenceNumber = optionalString(input, "StartingSequenceNumber");
      const timestamp = input["Timestamp"];
      const out = await backend.getShardIterator({
        ...streamReference(input),
        shardId,
        shardIteratorType: type as (typeof ITERATOR_TYPES)[number],
        ...(startingSequenceNumber === undefined ? {} : { startingSequenceNumber }),
        ...(typeof timestamp === "number" ? { timestampMs: Math.round(timestamp * 1000) } : {}),
      });
      return { ShardIterator: out.shardIterator };
    }
    case "GetRecords": {
      const shardIterator = requiredString(input, "ShardIterator");
      const limit = optionalInteger(input, "Limit");
      const streamArn = optionalString(input, "StreamARN");
      const out = await backend.getRecords({
        shardIterator,
        ...(limit === undefined ? {} : { limit }),
        ...(streamArn === undefined ? {} : { streamArn }),
      });
      return {
        Records: out.records.map((record) => ({
          SequenceNumber: record.sequenceNumber,
          ApproximateArrivalTimestamp: epochSeconds(record.approximateArrivalTimestampMs),
          Data: Buffer.from(record.data).toString("base64"),
          PartitionKey: record.partitionKey,
        })),
        ...(out.nextShardIterator === undefined ? {} : { NextShardIterator: out.nextShardIterator }),
        MillisBehindLatest: out.millisBehindLatest,
      };
    }
    default:
      throw new AwsServiceError(
        "UnknownOperationException",
        `Rebound's local Kinesis endpoint does not implement ${operation}; it serves ${KINESIS_OPERATIONS.join(", ")}`,
        400,
      );
  }
}
