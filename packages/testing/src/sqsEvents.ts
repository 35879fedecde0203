import type { SQSEvent, SQSRecord } from "aws-lambda";

/**
 * One SQS record as the Lambda SQS poller delivers it (docs/aws-semantics.md#sqs-record-shape).
 *
 * @example
 * ```ts
 * import { sqsRecord } from "@rebound/testing";
 * const record = sqsRecord(JSON.stringify({ orderId: "o-1" }), { receiveCount: 3, queue: "payments" });
 * ```
 */
export function sqsRecord(
  body: string,
  options: { messageId?: string; receiveCount?: number; queue?: string; sentAtMs?: number } = {},
): SQSRecord {
  const sentAt = String(options.sentAtMs ?? 1_704_110_400_000);
  const queue = options.queue ?? "payments";
  return {
    messageId: options.messageId ?? crypto.randomUUID(),
    receiptHandle: `AQEB${crypto.randomUUID().replaceAll("-", "")}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: sentAt,
      SenderId: "AROAEXAMPLE:orders-api",
      ApproximateFirstReceiveTimestamp: sentAt,
    },
    messageAttributes: {},
    md5OfBody: "0".repeat(32),
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${queue}`,
    awsRegion: "us-east-1",
  };
}

/**
 * An SQS event of the given records.
 *
 * @example
 * ```ts
 * import { sqsEvent, sqsRecord } from "@rebound/testing";
 * const event = sqsEvent(sqsRecord("{}"), sqsRecord("{}"));
 * ```
 */
export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}
