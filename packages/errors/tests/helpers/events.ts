// Record and event factories shaped exactly like @types/aws-lambda (and AWS's documented payloads).
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  Context,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  EventBridgeEvent,
  KinesisStreamEvent,
  KinesisStreamRecord,
  SNSEvent,
  SQSEvent,
  SQSRecord,
} from "aws-lambda";
import type { Logger, ParkedEvent, Parker } from "../../src/index.js";

const REGION = "eu-west-1";
const ACCOUNT = "123456789012";
export const STANDARD_QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:payments`;
export const FIFO_QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:payments.fifo`;

export function lambdaContext(awsRequestId = "5d1e6bc8-4b25-4f5b-9c3e-2f2d3c1b0a01"): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "payments-worker",
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:payments-worker`,
    memoryLimitInMB: "512",
    awsRequestId,
    logGroupName: "/aws/lambda/payments-worker",
    logStreamName: "2024/05/01/[$LATEST]0123456789abcdef",
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export interface SqsRecordOptions {
  readonly messageId?: string;
  readonly receiveCount?: number;
  readonly groupId?: string;
  readonly fifo?: boolean;
}

export function sqsRecord(body: string, options: SqsRecordOptions = {}): SQSRecord {
  const messageId = options.messageId ?? "059f36b4-87a3-44ab-83d2-661975830a7d";
  const fifo = options.fifo ?? options.groupId !== undefined;
  return {
    messageId,
    receiptHandle: `AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: "1545082649183",
      SenderId: "AIDAIENQZJOLO23YVJ4VO",
      ApproximateFirstReceiveTimestamp: "1545082649185",
      ...(fifo
        ? {
            MessageGroupId: options.groupId ?? "g-1",
            MessageDeduplicationId: `dedup-${messageId}`,
            SequenceNumber: "18849496460467696128",
          }
        : {}),
    },
    messageAttributes: {},
    md5OfBody: "e4e68fb7bd0e697a0ae8f1bb342846b3",
    eventSource: "aws:sqs",
    eventSourceARN: fifo ? FIFO_QUEUE_ARN : STANDARD_QUEUE_ARN,
    awsRegion: REGION,
  };
}

export function sqsEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/** A standard-queue batch whose bodies are `{"n":i}` and message ids `m-i`. */
export function sqsBatch(count: number): SQSEvent {
  return sqsEvent(
    Array.from({ length: count }, (_, i) => sqsRecord(JSON.stringify({ n: i }), { messageId: `m-${i}` })),
  );
}

export function dynamodbRecord(sequenceNumber: string, id = "o-1"): DynamoDBRecord {
  return {
    eventID: `c4ca4238a0b923820dcc509a6f75849${sequenceNumber.slice(-1)}`,
    eventName: "MODIFY",
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: REGION,
    dynamodb: {
      ApproximateCreationDateTime: 1_714_564_800,
      Keys: { pk: { S: `ORDER#${id}` }, sk: { S: "META" } },
      NewImage: { pk: { S: `ORDER#${id}` }, sk: { S: "META" }, status: { S: "PAID" } },
      SequenceNumber: sequenceNumber,
      SizeBytes: 59,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
    eventSourceARN: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders/stream/2024-05-01T00:00:00.000`,
  };
}

export function kinesisRecord(
  sequenceNumber: string,
  partitionKey = "customer-1",
  data = "eyJvayI6dHJ1ZX0=",
): KinesisStreamRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: "1.0",
      partitionKey,
      sequenceNumber,
      data,
      approximateArrivalTimestamp: 1_714_564_800.123,
    },
    eventSource: "aws:kinesis",
    eventVersion: "1.0",
    eventID: `shardId-000000000000:${sequenceNumber}`,
    eventName: "aws:kinesis:record",
    invokeIdentityArn: `arn:aws:iam::${ACCOUNT}:role/order-events`,
    awsRegion: REGION,
    eventSourceARN: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/order-events`,
  };
}

export function dynamodbEvent(records: DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: records };
}

export function kinesisEvent(records: KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: records };
}

/** Kinesis-like sequence numbers: increasing, same length (AWS's are 56 digits). */
export function sequenceNumber(i: number): string {
  return `4959${String(i).padStart(52, "0")}`;
}

export function apiGatewayV1Event(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    resource: "/orders/{id}",
    path: "/orders/o-1",
    httpMethod: "POST",
    headers: { "Content-Type": "application/json", Host: "api.example.com", "X-Trace": "a" },
    multiValueHeaders: {
      "Content-Type": ["application/json"],
      Host: ["api.example.com"],
      "X-Trace": ["a", "b"],
    },
    queryStringParameters: { status: "PAID" },
    multiValueQueryStringParameters: { status: ["PAID"] },
    pathParameters: { id: "o-1" },
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT,
      apiId: "1234567890",
      authorizer: null,
      protocol: "HTTP/1.1",
      httpMethod: "POST",
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: "192.0.2.1",
        user: null,
        userAgent: "curl/8.5.0",
        userArn: null,
      },
      path: "/prod/orders/o-1",
      stage: "prod",
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      requestTimeEpoch: 1_714_564_800_000,
      resourceId: "123456",
      resourcePath: "/orders/{id}",
    },
    body: '{"amountCents":1200}',
    isBase64Encoded: false,
    ...overrides,
  };
}

export function apiGatewayV2Event(overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: "POST /orders/{id}",
    rawPath: "/orders/o-1",
    rawQueryString: "status=PAID&tag=a&tag=b",
    cookies: ["session=abc", "theme=dark"],
    headers: { "content-type": "application/json", host: "api.example.com" },
    queryStringParameters: { status: "PAID", tag: "a,b" },
    pathParameters: { id: "o-1" },
    requestContext: {
      accountId: ACCOUNT,
      apiId: "api-id",
      domainName: "api.example.com",
      domainPrefix: "api",
      http: {
        method: "POST",
        path: "/orders/o-1",
        protocol: "HTTP/1.1",
        sourceIp: "192.0.2.1",
        userAgent: "curl/8.5.0",
      },
      requestId: "JKJaXmPLvHcESHA=",
      routeKey: "POST /orders/{id}",
      stage: "$default",
      time: "01/May/2024:12:00:00 +0000",
      timeEpoch: 1_714_564_800_000,
    },
    body: '{"amountCents":1200}',
    isBase64Encoded: false,
    ...overrides,
  };
}

export function snsEvent(message: string): SNSEvent {
  return {
    Records: [
      {
        EventVersion: "1.0",
        EventSubscriptionArn: `arn:aws:sns:${REGION}:${ACCOUNT}:receipts:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
        EventSource: "aws:sns",
        Sns: {
          SignatureVersion: "1",
          Timestamp: "2024-05-01T12:00:00.000Z",
          Signature: "EXAMPLE",
          SigningCertUrl:
            "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem",
          MessageId: "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
          Message: message,
          MessageAttributes: {},
          Type: "Notification",
          UnsubscribeUrl: "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe",
          TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:receipts`,
          Subject: "order paid",
        },
      },
    ],
  };
}

export function eventBridgeEvent(detail: unknown): EventBridgeEvent<"OrderPaid", unknown> {
  return {
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "OrderPaid",
    source: "rebound.orders",
    account: ACCOUNT,
    time: "2024-05-01T12:00:00Z",
    region: REGION,
    resources: [],
    detail,
  };
}

export interface LogLine {
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** A real Logger that keeps its lines, to assert what was logged. */
export function recordingLogger(): Logger & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (message, fields) => void lines.push({ level: "info", message, fields }),
    warn: (message, fields) => void lines.push({ level: "warn", message, fields }),
    error: (message, fields) => void lines.push({ level: "error", message, fields }),
  };
}

/** A Parker that keeps what it parked; `failWith` makes every park reject. */
export function memoryParker(failWith?: Error): Parker & { readonly parked: ParkedEvent[] } {
  const parked: ParkedEvent[] = [];
  return {
    parked,
    park: async (entry) => {
      if (failWith) throw failWith;
      parked.push(entry);
    },
  };
}

export const FIXED_NOW = Date.parse("2024-05-01T12:00:00.000Z");
export const fixedClock = (): number => FIXED_NOW;
