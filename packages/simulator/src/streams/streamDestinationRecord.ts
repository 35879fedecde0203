import { StreamKind as Kinds, type StreamKind, type StreamRecordEntry } from "./StreamShard.js";

/**
 * The two conditions a stream mapping reports (not the async ones: `RetryAttemptsExhausted`, not `RetriesExhausted`).
 *
 * @example
 * ```ts
 * import { StreamFailureCondition } from "@rebound/simulator";
 * record.requestContext.condition === StreamFailureCondition.RecordAgeExceeded;
 * ```
 */
export const StreamFailureCondition = {
  RetryAttemptsExhausted: "RetryAttemptsExhausted",
  RecordAgeExceeded: "RecordAgeExceeded",
} as const;
/** One of `StreamFailureCondition`'s values. */
export type StreamFailureCondition = (typeof StreamFailureCondition)[keyof typeof StreamFailureCondition];

/** Everything a stream on-failure record says. */
export interface StreamFailureFacts {
  readonly kind: StreamKind;
  readonly streamArn: string;
  /** The mapping's function ARN, unqualified, as the mapping is configured. */
  readonly functionArn: string;
  readonly requestId: string;
  readonly condition: StreamFailureCondition;
  readonly approximateInvokeCount: number;
  /**
   * For RetryAttemptsExhausted: "Unhandled" when the function failed, null when it returned normally
   * and reported the failure (batchItemFailures or a response AWS rejects). Ignored for RecordAgeExceeded,
   * whose record has no responseContext.
   */
  readonly functionError: "Unhandled" | null;
  /** Virtual epoch ms of the discard. */
  readonly timestampMs: number;
  /** The discarded records, oldest first, all from one shard. */
  readonly records: readonly StreamRecordEntry[];
  /** The invocation event's records (S3 destinations only). */
  readonly payloadRecords?: readonly unknown[];
}

/**
 * Builds a stream on-failure record exactly as docs/aws-semantics.md#destination-and-dlq-records shows it: keys in
 * AWS's order (requestContext, responseContext, version, timestamp, batch info), unqualified
 * functionArn, `responseContext.functionError` "Unhandled" or null, no responseContext for
 * RecordAgeExceeded, DynamoDB arrival times to the second (`...01Z`) and Kinesis to the millisecond
 * (`...01.000Z`). Pass `payloadRecords` for an S3 destination, which adds `payload: {Records}`; SQS and
 * SNS carry metadata only.
 *
 * @example
 * ```ts
 * import { buildStreamFailureRecord } from "@rebound/simulator";
 * const record = buildStreamFailureRecord({ kind: "kinesis", streamArn, functionArn, requestId, condition: "RetryAttemptsExhausted",
 *   approximateInvokeCount: 2, functionError: "Unhandled", timestampMs: Date.now(), records });
 * record.KinesisBatchInfo.batchSize; // records.length
 * ```
 */
export function buildStreamFailureRecord(facts: StreamFailureFacts): Record<string, unknown> {
  const first = facts.records[0];
  const last = facts.records[facts.records.length - 1];
  if (first === undefined || last === undefined)
    throw new RangeError("a stream failure record needs at least one record");
  const arrival = facts.kind === Kinds.DynamoDB ? isoSeconds : isoMillis;
  const record: Record<string, unknown> = {
    requestContext: {
      requestId: facts.requestId,
      functionArn: facts.functionArn,
      condition: facts.condition,
      approximateInvokeCount: facts.approximateInvokeCount,
    },
  };
  if (facts.condition === StreamFailureCondition.RetryAttemptsExhausted) {
    record.responseContext = {
      statusCode: 200,
      executedVersion: "$LATEST",
      functionError: facts.functionError,
    };
  }
  record.version = "1.0";
  record.timestamp = isoMillis(facts.timestampMs);
  record[facts.kind === Kinds.DynamoDB ? "DDBStreamBatchInfo" : "KinesisBatchInfo"] = {
    shardId: first.shardId,
    startSequenceNumber: first.sequenceNumber,
    endSequenceNumber: last.sequenceNumber,
    approximateArrivalOfFirstRecord: arrival(first.arrivalMs),
    approximateArrivalOfLastRecord: arrival(last.arrivalMs),
    batchSize: facts.records.length,
    streamArn: facts.streamArn,
  };
  if (facts.payloadRecords !== undefined) record.payload = { Records: facts.payloadRecords };
  return record;
}

/**
 * The S3 object key of a stream failure record: `aws/lambda/<ESM-UUID>/<shardId>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>`.
 *
 * @example
 * ```ts
 * import { streamFailureObjectKey } from "@rebound/simulator";
 * streamFailureObjectKey("esm-uuid", "shardId-000000000000", Date.UTC(2026, 0, 2, 3, 4, 5), "r-1");
 * // "aws/lambda/esm-uuid/shardId-000000000000/2026/01/02/2026-01-02T03.04.05-r-1"
 * ```
 */
export function streamFailureObjectKey(
  mappingUuid: string,
  shardId: string,
  timestampMs: number,
  uuid: string,
): string {
  const iso = new Date(timestampMs).toISOString();
  const [date, time] = [iso.slice(0, 10), iso.slice(11, 19)];
  return `aws/lambda/${mappingUuid}/${shardId}/${date.replaceAll("-", "/")}/${date}T${time.replaceAll(":", ".")}-${uuid}`;
}

function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
