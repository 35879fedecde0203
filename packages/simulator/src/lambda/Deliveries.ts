import type { SqsMessageAttributeValue } from "../sqs/sqsMd5.js";

/**
 * Where a destination or DLQ record comes from, for the record's outcome link and the trace.
 *
 * @example
 * ```ts
 * import type { DeliveryContext } from "@rebound/simulator";
 * const context: DeliveryContext = { parent: eventId, detailType: "Lambda Function Invocation Result - Failure" };
 * ```
 */
export interface DeliveryContext {
  /** Outcome id of the event the record is about. */
  readonly parent: number;
  /** EventBridge `detail-type` when the target is a bus. */
  readonly detailType?: string;
  /** Function ARN (qualified) for EventBridge `resources`. */
  readonly functionArn?: string;
  /** SQS message attributes (function DLQ). */
  readonly messageAttributes?: Readonly<Record<string, SqsMessageAttributeValue>>;
  /** S3 object key when the target is a bucket. */
  readonly objectKey?: string;
}

/**
 * Where Lambda sends what it gives up on or reports: on-success and on-failure destinations and
 * function DLQs. `Topology` implements it over its queues, topics, functions, buses and buckets.
 *
 * @example
 * ```ts
 * import type { DeliveryTargets } from "@rebound/simulator";
 * const delivered = targets.deliver(onFailureArn, record, { parent: eventId });
 * ```
 */
export interface DeliveryTargets {
  /**
   * Sends a record to a target ARN; false when AWS could not deliver it (a FIFO queue or topic as a
   * destination), in which case the record is lost, as on AWS.
   */
  deliver(targetArn: string, record: unknown, context: DeliveryContext): boolean;
  /** Throws a `ResourceNotFoundError` that names `where` unless the target exists. */
  assertTargetExists(targetArn: string, where: string): void;
}
