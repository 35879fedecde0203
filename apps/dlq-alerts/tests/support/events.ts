import type { Context, SQSEvent, SQSRecord } from "aws-lambda";

/** A Lambda context as the Node runtime passes it. */
export function lambdaContext(functionName: string, overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "2024/01/01/[$LATEST]0123456789abcdef",
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}

/** One SQS record as the Lambda SQS poller delivers it (aws-semantics §3.6). */
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

/** An SQS event of the given records. */
export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}
