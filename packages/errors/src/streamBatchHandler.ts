import type {
  Context,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from "aws-lambda";
import { type ClassificationRule, type Classifier, createClassifier } from "./classify.js";
import { createJsonLogger, type Logger } from "./createJsonLogger.js";
import { assertContext, describeEvent } from "./describeEvent.js";
import { InvalidEventError } from "./errors.js";
import { logFailure } from "./logFailure.js";
import { errorFields, type Parker, type ParkingOption, parkedEvent, type Trigger } from "./parking.js";
import { RecentIds } from "./RecentIds.js";
import { resolveParker } from "./SqsParker.js";
import {
  COMMON_OPTIONS,
  isFunction,
  isIntegerIn,
  type OptionSpec,
  PARKING_OPTION,
  validateOptions,
} from "./validateOptions.js";

/**
 * A record of either stream type.
 *
 * @example
 * ```ts
 * import type { StreamRecord } from "@rebound/errors";
 * function idOf(record: StreamRecord): string | undefined {
 *   return "kinesis" in record ? record.kinesis.sequenceNumber : record.dynamodb?.SequenceNumber;
 * }
 * ```
 */
export type StreamRecord = DynamoDBRecord | KinesisStreamRecord;

/**
 * How a stream batch handles a retryable failure.
 *
 * @example
 * ```ts
 * import type { KinesisStreamRecord } from "aws-lambda";
 * import { StreamMode, streamBatchHandler } from "@rebound/errors";
 * declare function project(data: string): Promise<void>;
 * export const handler = streamBatchHandler<KinesisStreamRecord>(async (record) => project(record.kinesis.data), {
 *   parking: { queueUrl: process.env.PARKING_QUEUE_URL! },
 *   mode: StreamMode.PerPartitionKey,
 * });
 * ```
 */
export const StreamMode = {
  /** Stop at the first retryable failure and report it: AWS checkpoints there, shard order is kept. */
  StopAtFirstFailure: "stop-at-first-failure",
  /** Keep going for other partition keys; a failed key's later records are reported unprocessed. */
  PerPartitionKey: "per-partition-key",
} as const;
export type StreamMode = (typeof StreamMode)[keyof typeof StreamMode];

/**
 * What the record handler knows about this delivery. Streams carry no receive count, so `isRetry` is
 * `true` only when this warm container reported the same sequence number before (AWS retries a shard
 * from the checkpoint, usually on the same container), else `"unknown"`. Compare with `=== true`.
 *
 * @example
 * ```ts
 * import { streamBatchHandler } from "@rebound/errors";
 * export const handler = streamBatchHandler(async (record, attempt) => {
 *   if (attempt.isRetry === true) console.log(`retry #${attempt.attempt} of ${attempt.sequenceNumber}`);
 * }, { parking: { queueUrl: process.env.PARKING_QUEUE_URL! } });
 * ```
 */
export interface StreamRecordAttempt {
  readonly sequenceNumber: string;
  /** DynamoDB `eventID`, Kinesis `eventID` (`shardId-…:sequenceNumber`). */
  readonly eventId: string;
  readonly isRetry: boolean | "unknown";
  /** 1 + the times this container reported this sequence number (a lower bound). */
  readonly attempt: number;
  readonly trigger: Extract<Trigger, "dynamodb-stream" | "kinesis">;
}

/**
 * The partial batch response for streams: sequence numbers to retry from (the lowest is the checkpoint).
 *
 * @example
 * ```ts
 * import type { StreamBatchResponse } from "@rebound/errors";
 * const response: StreamBatchResponse = { batchItemFailures: [{ itemIdentifier: "4950..." }] };
 * ```
 */
export interface StreamBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * Processes one stream record; throw to fail it.
 *
 * @example
 * ```ts
 * import type { KinesisStreamRecord } from "aws-lambda";
 * import { type StreamRecordHandler, streamBatchHandler } from "@rebound/errors";
 * const project: StreamRecordHandler<KinesisStreamRecord> = async (record) => {
 *   console.log(Buffer.from(record.kinesis.data, "base64").toString("utf8"));
 * };
 * export const handler = streamBatchHandler(project, { parking: { queueUrl: process.env.PARKING_QUEUE_URL! } });
 * ```
 */
export type StreamRecordHandler<R extends StreamRecord = StreamRecord> = (
  record: R,
  attempt: StreamRecordAttempt,
  context: Context,
) => Promise<unknown>;

/**
 * Options of {@link streamBatchHandler}.
 *
 * @example
 * ```ts
 * import type { DynamoDBRecord } from "aws-lambda";
 * import { StreamMode, type StreamBatchHandlerOptions, streamBatchHandler } from "@rebound/errors";
 * const options: StreamBatchHandlerOptions<DynamoDBRecord> = {
 *   parking: { queueUrl: process.env.PARKING_QUEUE_URL! },
 *   mode: StreamMode.PerPartitionKey,
 * };
 * export const handler = streamBatchHandler<DynamoDBRecord>(async (record) => console.log(record.eventID), options);
 * ```
 */
export interface StreamBatchHandlerOptions<R extends StreamRecord = StreamRecord> {
  /** Where permanent failures go (required: a stream cannot skip a record any other way). */
  readonly parking: ParkingOption;
  /** Default `"stop-at-first-failure"`. */
  readonly mode?: StreamMode;
  /**
   * Per-partition-key mode: the key of a record. Default: Kinesis `partitionKey`; DynamoDB the item's
   * primary key (`dynamodb.Keys`, attribute names sorted).
   */
  readonly partitionKey?: (record: R) => string;
  readonly rules?: readonly ClassificationRule[];
  readonly logger?: Logger;
  readonly clock?: () => number;
  /** How many failed sequence numbers a container remembers to recognise retries. Default 1000. */
  readonly rememberFailures?: number;
}

const OPTIONS = {
  parking: [PARKING_OPTION[0], PARKING_OPTION[1], true],
  mode: [
    (value: unknown) => value === StreamMode.StopAtFirstFailure || value === StreamMode.PerPartitionKey,
    '"stop-at-first-failure" or "per-partition-key", e.g. { mode: "per-partition-key" }',
  ],
  partitionKey: [
    isFunction,
    "a function (record) => string, e.g. { partitionKey: (record) => record.kinesis.partitionKey }",
  ],
  ...COMMON_OPTIONS,
  rememberFailures: [isIntegerIn(1, 100_000), "an integer from 1 to 100000, e.g. { rememberFailures: 1000 }"],
} satisfies Record<string, OptionSpec>;

const EXPECTED =
  'a DynamoDB Streams or Kinesis event: { Records: [{ eventSource: "aws:dynamodb", dynamodb: { SequenceNumber } } | { eventSource: "aws:kinesis", kinesis: { sequenceNumber, partitionKey } }] }';

interface Config<R extends StreamRecord> {
  readonly handler: StreamRecordHandler<R>;
  readonly classifier: Classifier;
  readonly parker: Parker;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly perPartitionKey: boolean;
  readonly partitionKey: ((record: R) => string) | undefined;
  readonly failures: RecentIds;
}

/**
 * Wraps a DynamoDB Streams or Kinesis record handler into a Lambda handler returning a partial batch
 * response (enable `ReportBatchItemFailures` on the event source mapping). Records run in order:
 * - success → next record;
 * - permanent failure → the full record is parked and skipped; if parking fails, it is treated as
 *   retryable (never lost);
 * - retryable failure → its sequence number is reported and processing stops: AWS checkpoints at the
 *   lowest reported sequence number and retries from there, so shard order is kept;
 * - `mode: "per-partition-key"` → a failed key's later records are reported unprocessed, other keys go
 *   on. Reported records and everything after the lowest one are redelivered, so records of other keys
 *   processed after it run again: make them idempotent.
 *
 * @example
 * ```ts
 * import type { DynamoDBRecord } from "aws-lambda";
 * import { streamBatchHandler } from "@rebound/errors";
 * declare function publish(image: unknown): Promise<void>;
 * export const handler = streamBatchHandler<DynamoDBRecord>(
 *   async (record) => publish(record.dynamodb?.NewImage),
 *   { parking: { queueUrl: process.env.PARKING_QUEUE_URL! } },
 * );
 * ```
 */
export function streamBatchHandler<R extends StreamRecord = StreamRecord>(
  recordHandler: StreamRecordHandler<R>,
  options: StreamBatchHandlerOptions<R>,
): (event: DynamoDBStreamEvent | KinesisStreamEvent, context: Context) => Promise<StreamBatchResponse> {
  validateOptions("streamBatchHandler", recordHandler, options, OPTIONS);
  const clock = options.clock ?? Date.now;
  const config: Config<R> = {
    handler: recordHandler,
    classifier: createClassifier(options.rules),
    parker: resolveParker(options.parking),
    logger: options.logger ?? createJsonLogger({ clock }),
    clock,
    perPartitionKey: options.mode === StreamMode.PerPartitionKey,
    partitionKey: options.partitionKey,
    failures: new RecentIds(options.rememberFailures ?? 1000),
  };
  return async function reboundStreamBatchHandler(event, context) {
    assertContext("streamBatchHandler", context);
    const records = streamRecordsOf(event) as R[];
    const batchItemFailures: { itemIdentifier: string }[] = [];
    const failedKeys = config.perPartitionKey ? new Set<string>() : undefined;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const sequenceNumber = sequenceNumberOf(record);
      let key: string | undefined;
      if (failedKeys) {
        key = config.partitionKey ? config.partitionKey(record) : defaultPartitionKey(record);
        if (failedKeys.has(key)) {
          batchItemFailures.push({ itemIdentifier: sequenceNumber });
          continue;
        }
      }
      const seen = config.failures.count(sequenceNumber);
      const attempt: StreamRecordAttempt = {
        sequenceNumber,
        eventId: record.eventID ?? "",
        isRetry: seen > 0 ? true : "unknown",
        attempt: seen + 1,
        trigger: triggerOf(record),
      };
      try {
        await config.handler(record, attempt, context);
        continue;
      } catch (error) {
        if (await failAndPark(config, record, attempt, context, error)) continue;
      }
      batchItemFailures.push({ itemIdentifier: sequenceNumber });
      config.failures.add(sequenceNumber);
      if (!failedKeys) break;
      failedKeys.add(key!);
    }
    return { batchItemFailures };
  };
}

/** Logs the failure and parks it if permanent; true when parked (the record is done). */
async function failAndPark<R extends StreamRecord>(
  config: Config<R>,
  record: R,
  attempt: StreamRecordAttempt,
  context: Context,
  error: unknown,
): Promise<boolean> {
  const explained = config.classifier.explain(error);
  const ids = {
    requestId: context.awsRequestId,
    sequenceNumber: attempt.sequenceNumber,
    eventId: attempt.eventId,
    attempt: attempt.attempt,
    eventSourceARN: record.eventSourceARN,
  };
  if (explained.classification === "retryable") {
    logFailure(config.logger, "warn", attempt.trigger, "reported", explained, error, ids);
    return false;
  }
  try {
    await config.parker.park(
      parkedEvent(attempt.trigger, error, context, config.clock, {
        record,
        attempt: attempt.attempt,
        sequenceNumber: attempt.sequenceNumber,
        eventSourceARN: record.eventSourceARN,
      }),
    );
  } catch (parkingFailure) {
    // Treated as retryable: reported, so the shard stops here and nothing is lost.
    logFailure(config.logger, "error", attempt.trigger, "parking-failed", explained, error, {
      ...ids,
      parkingError: errorFields(parkingFailure),
    });
    return false;
  }
  logFailure(config.logger, "error", attempt.trigger, "parked", explained, error, ids);
  return true;
}

function streamRecordsOf(event: unknown): StreamRecord[] {
  const records = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) {
    throw new InvalidEventError(`streamBatchHandler expected ${EXPECTED}; received ${describeEvent(event)}`, {
      expected: EXPECTED,
    });
  }
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as Record<string, unknown> | null;
    const ok =
      (record?.eventSource === "aws:dynamodb" &&
        typeof (record.dynamodb as { SequenceNumber?: unknown } | undefined)?.SequenceNumber === "string") ||
      (record?.eventSource === "aws:kinesis" &&
        typeof (record.kinesis as { sequenceNumber?: unknown } | undefined)?.sequenceNumber === "string");
    if (!ok) {
      throw new InvalidEventError(
        `streamBatchHandler expected ${EXPECTED}; Records[${i}] is not a stream record with a sequence number (received ${describeEvent(event)})`,
        { expected: EXPECTED },
      );
    }
  }
  return records as StreamRecord[];
}

function sequenceNumberOf(record: StreamRecord): string {
  return "kinesis" in record ? record.kinesis.sequenceNumber : (record.dynamodb!.SequenceNumber as string);
}

function triggerOf(record: StreamRecord): StreamRecordAttempt["trigger"] {
  return record.eventSource === "aws:kinesis" ? "kinesis" : "dynamodb-stream";
}

function defaultPartitionKey(record: StreamRecord): string {
  if ("kinesis" in record) return record.kinesis.partitionKey;
  const keys = record.dynamodb?.Keys ?? {};
  // Attribute order in `Keys` is not guaranteed; sorting makes the same item give the same key.
  return Object.keys(keys)
    .sort()
    .map((name) => `${name}=${JSON.stringify(keys[name])}`)
    .join("&");
}
