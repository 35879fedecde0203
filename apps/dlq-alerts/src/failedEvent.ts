/** Where a failure record came from; decides how it is explained and redriven. */
export const FailureKind = {
  /** A Rebound parked event (@rebound/errors' parker): permanent failure, original event inside. */
  Parked: "parked",
  /** An async invocation's on-failure destination record (original event in `requestPayload`). */
  AsyncDestination: "async-destination",
  /** A stream event source mapping's on-failure record: shard and sequence numbers only. */
  StreamDestination: "stream-destination",
  /** A function dead-letter queue message: original async event + RequestID/ErrorCode/ErrorMessage attributes. */
  FunctionDlq: "function-dlq",
  /** A message moved here by an SQS redrive policy after maxReceiveCount receives. */
  QueueDlq: "queue-dlq",
} as const;
export type FailureKind = (typeof FailureKind)[keyof typeof FailureKind];

/** The stream part of a stream on-failure record. */
export interface StreamBatch {
  readonly service: "dynamodb" | "kinesis";
  readonly streamArn: string;
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly batchSize: number;
}

/** One failed event, whatever shape it arrived in: what the Slack message is made of. */
export interface FailedEvent {
  readonly kind: FailureKind;
  /** Queue the record was read from (a DLQ, a destination queue or parked-events). */
  readonly foundIn: string;
  /** What failed: a function name and/or the source it was reading. */
  readonly source: string;
  /** `Name: message (code)` or the destination's condition. */
  readonly error: string;
  /** Attempts as far as they are known, with what the number means. */
  readonly attempts: string;
  /** ISO-8601, or undefined when the record does not say. */
  readonly firstSeen: string | undefined;
  readonly lastSeen: string | undefined;
  /** The original event or record, when the record carries it (else the stream fetch adds it). */
  readonly original: unknown;
  /** Only for stream destination records. */
  readonly stream?: StreamBatch;
  /** Function to re-invoke for Lambda-side redrives (name), when known. */
  readonly functionName?: string;
  /** SQS redrive: where the message must go back to (queue ARN), when known. */
  readonly redriveTo?: string;
  /** ARN of the queue the record was read from. */
  readonly foundInArn: string;
}
