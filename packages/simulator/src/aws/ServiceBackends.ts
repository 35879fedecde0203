/**
 * What the local AWS endpoints call to do the work: service behaviour lives in the simulator's
 * models, the endpoints only speak the wire protocols. Every method may answer synchronously or with
 * a promise, and throws `AwsServiceError(code, message, statusCode)` for an AWS error (the code is
 * AWS's wire code for that service, e.g. SQS `QueueDoesNotExist`, SNS `NotFound`, Step Functions
 * `ExecutionAlreadyExists`, SSM `ParameterNotFound`, Kinesis `ResourceNotFoundException`).
 * Any other thrown error becomes a 500 `InternalFailure` naming it (a bug in a model, never hidden).
 *
 * A backend must not wait for a handler invocation to finish inside a call: invocations run one at
 * a time and the caller is usually the invocation in progress.
 */

/** A value or a promise of it. */
export type Awaitable<T> = T | Promise<T>;

/** A DynamoDB attribute value in DynamoDB JSON (`{ "S": "x" }`, `{ "N": "1" }`, `{ "M": {…} }`). */
export type AttributeValueJson = Readonly<Record<string, unknown>>;

/** An item or key in DynamoDB JSON. */
export type AttributeMapJson = Readonly<Record<string, AttributeValueJson>>;

// ---------------------------------------------------------------- SQS

/** An SQS or SNS message attribute. `dataType` is `String`, `Number`, `Binary` or `Type.customLabel`. */
export interface MessageAttributeValue {
  readonly dataType: string;
  readonly stringValue?: string;
  readonly binaryValue?: Uint8Array;
}

/** Message attributes by name. */
export type MessageAttributes = Readonly<Record<string, MessageAttributeValue>>;

/** `SendMessage` (and each entry of `SendMessageBatch`, which the endpoint splits). */
export interface SqsSendMessageInput {
  readonly queueUrl: string;
  readonly body: string;
  readonly messageAttributes: MessageAttributes;
  readonly delaySeconds?: number;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
}

/** The endpoint computes the MD5 digests itself (the SDK checks them), so the backend only gives ids. */
export interface SqsSendMessageOutput {
  readonly messageId: string;
  /** FIFO queues only. */
  readonly sequenceNumber?: string;
}

/** `ReceiveMessage`. Long polling is the backend's business, in virtual time: it answers at once. */
export interface SqsReceiveMessageInput {
  readonly queueUrl: string;
  readonly maxNumberOfMessages: number;
  readonly visibilityTimeout?: number;
  readonly waitTimeSeconds?: number;
  /** Union of `AttributeNames` and `MessageSystemAttributeNames` as sent. */
  readonly attributeNames: readonly string[];
  readonly messageAttributeNames: readonly string[];
  readonly receiveRequestAttemptId?: string;
}

/** A received message. Return every attribute: the endpoint keeps only the requested ones. */
export interface SqsReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** System attributes (`ApproximateReceiveCount`, `SentTimestamp`, `MessageGroupId`, …). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly messageAttributes: MessageAttributes;
}

/** SQS, as the apps and the errors package's parker use it. */
export interface SqsBackend {
  getQueueUrl(input: { readonly queueName: string; readonly queueOwnerAwsAccountId?: string }): Awaitable<{
    readonly queueUrl: string;
  }>;
  getQueueAttributes(input: {
    readonly queueUrl: string;
    readonly attributeNames: readonly string[];
  }): Awaitable<{ readonly attributes: Readonly<Record<string, string>> }>;
  sendMessage(input: SqsSendMessageInput): Awaitable<SqsSendMessageOutput>;
  receiveMessage(
    input: SqsReceiveMessageInput,
  ): Awaitable<{ readonly messages: readonly SqsReceivedMessage[] }>;
  deleteMessage(input: { readonly queueUrl: string; readonly receiptHandle: string }): Awaitable<void>;
  changeMessageVisibility(input: {
    readonly queueUrl: string;
    readonly receiptHandle: string;
    readonly visibilityTimeout: number;
  }): Awaitable<void>;
}

// ---------------------------------------------------------------- SNS

/** `Publish` (and each entry of `PublishBatch`, which the endpoint splits). */
export interface SnsPublishInput {
  /** `TopicArn`, or `TargetArn` when that was sent instead. */
  readonly topicArn: string;
  readonly message: string;
  readonly subject?: string;
  readonly messageStructure?: string;
  readonly messageAttributes: MessageAttributes;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
}

/** SNS. */
export interface SnsBackend {
  publish(
    input: SnsPublishInput,
  ): Awaitable<{ readonly messageId: string; readonly sequenceNumber?: string }>;
}

// ---------------------------------------------------------------- Step Functions

/** `DescribeExecution`'s answer. Dates are epoch milliseconds (virtual time). */
export interface SfnExecutionDescription {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "PENDING_REDRIVE";
  readonly startDateMs: number;
  readonly stopDateMs?: number;
  readonly input?: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

/** Step Functions. */
export interface SfnBackend {
  /** `name` is undefined when the caller let AWS generate one. `input` defaults to `"{}"`. */
  startExecution(input: {
    readonly stateMachineArn: string;
    readonly name: string | undefined;
    readonly input: string;
    readonly traceHeader?: string;
  }): Awaitable<{ readonly executionArn: string; readonly startDateMs: number }>;
  describeExecution(input: { readonly executionArn: string }): Awaitable<SfnExecutionDescription>;
  /** The execution's events as GetExecutionHistory returns them (timestamps as epoch ms). */
  getExecutionHistory(input: {
    readonly executionArn: string;
    readonly reverseOrder: boolean;
  }): Awaitable<readonly SfnHistoryEvent[]>;
}

/** One history event: `timestampMs` becomes the wire's epoch-seconds `timestamp`. */
export interface SfnHistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestampMs: number;
  readonly type: string;
  readonly details: Readonly<Record<string, unknown>>;
}

// ---------------------------------------------------------------- DynamoDB Streams

/** A shard of a DynamoDB stream. */
export interface DynamoDbStreamShard {
  readonly shardId: string;
  readonly parentShardId?: string;
  readonly startingSequenceNumber: string;
  /** Set once the shard is closed. */
  readonly endingSequenceNumber?: string;
}

/** `DescribeStream`'s answer. */
export interface DynamoDbStreamDescription {
  readonly streamArn: string;
  readonly streamLabel: string;
  readonly streamStatus: "ENABLING" | "ENABLED" | "DISABLING" | "DISABLED";
  readonly streamViewType: "KEYS_ONLY" | "NEW_IMAGE" | "OLD_IMAGE" | "NEW_AND_OLD_IMAGES";
  readonly tableName: string;
  readonly keySchema: readonly { readonly attributeName: string; readonly keyType: "HASH" | "RANGE" }[];
  readonly creationRequestDateTimeMs: number;
  readonly shards: readonly DynamoDbStreamShard[];
  readonly lastEvaluatedShardId?: string;
}

/** One DynamoDB stream record, as GetRecords returns it. */
export interface DynamoDbStreamRecord {
  readonly eventID: string;
  readonly eventName: "INSERT" | "MODIFY" | "REMOVE";
  readonly eventVersion?: string;
  readonly awsRegion: string;
  readonly dynamodb: {
    readonly approximateCreationDateTimeMs: number;
    readonly keys: AttributeMapJson;
    readonly newImage?: AttributeMapJson;
    readonly oldImage?: AttributeMapJson;
    readonly sequenceNumber: string;
    readonly sizeBytes: number;
    readonly streamViewType: DynamoDbStreamDescription["streamViewType"];
  };
  /** TTL deletions: `{ type: "Service", principalId: "dynamodb.amazonaws.com" }`. */
  readonly userIdentity?: { readonly type: string; readonly principalId: string };
}

/** DynamoDB Streams (dlq-alerts reads the failed record a stream failure destination points at). */
export interface DynamoDbStreamsBackend {
  describeStream(input: {
    readonly streamArn: string;
    readonly limit?: number;
    readonly exclusiveStartShardId?: string;
  }): Awaitable<DynamoDbStreamDescription>;
  getShardIterator(input: {
    readonly streamArn: string;
    readonly shardId: string;
    readonly shardIteratorType: "TRIM_HORIZON" | "LATEST" | "AT_SEQUENCE_NUMBER" | "AFTER_SEQUENCE_NUMBER";
    readonly sequenceNumber?: string;
  }): Awaitable<{ readonly shardIterator: string }>;
  getRecords(input: { readonly shardIterator: string; readonly limit?: number }): Awaitable<{
    readonly records: readonly DynamoDbStreamRecord[];
    /** Absent once the shard is closed and read to its end. */
    readonly nextShardIterator?: string;
  }>;
}

// ---------------------------------------------------------------- Kinesis

/** Which stream a Kinesis call names: AWS accepts the name or the ARN. */
export interface KinesisStreamReference {
  readonly streamName?: string;
  readonly streamArn?: string;
}

/** One Kinesis record as GetRecords returns it. */
export interface KinesisRecord {
  readonly sequenceNumber: string;
  readonly approximateArrivalTimestampMs: number;
  readonly data: Uint8Array;
  readonly partitionKey: string;
}

/** Kinesis Data Streams. */
export interface KinesisBackend {
  /**
   * `PutRecord`, and each record of `PutRecords`: there, an `AwsServiceError` coded
   * `ProvisionedThroughputExceededException` or `InternalFailure` fails that record only (AWS's partial
   * failure); any other error fails the whole call.
   */
  putRecord(
    input: KinesisStreamReference & {
      readonly data: Uint8Array;
      readonly partitionKey: string;
      readonly explicitHashKey?: string;
      readonly sequenceNumberForOrdering?: string;
    },
  ): Awaitable<{ readonly shardId: string; readonly sequenceNumber: string }>;
  getShardIterator(
    input: KinesisStreamReference & {
      readonly shardId: string;
      readonly shardIteratorType:
        | "AT_SEQUENCE_NUMBER"
        | "AFTER_SEQUENCE_NUMBER"
        | "TRIM_HORIZON"
        | "LATEST"
        | "AT_TIMESTAMP";
      readonly startingSequenceNumber?: string;
      readonly timestampMs?: number;
    },
  ): Awaitable<{ readonly shardIterator: string }>;
  getRecords(input: {
    readonly shardIterator: string;
    readonly limit?: number;
    readonly streamArn?: string;
  }): Awaitable<{
    readonly records: readonly KinesisRecord[];
    readonly nextShardIterator?: string;
    readonly millisBehindLatest: number;
  }>;
}

// ---------------------------------------------------------------- SSM

/** A stored SSM parameter. SecureString values are stored in clear: the endpoint "encrypts" them. */
export interface SsmParameter {
  readonly name: string;
  readonly type: "String" | "StringList" | "SecureString";
  readonly value: string;
  readonly version: number;
  readonly lastModifiedDateMs?: number;
  readonly dataType?: string;
}

/** SSM Parameter Store (dlq-alerts reads the Slack webhook URL, a SecureString). */
export interface SsmBackend {
  /** Throws `AwsServiceError("ParameterNotFound", …)` for a missing name. */
  getParameter(input: { readonly name: string }): Awaitable<SsmParameter>;
}

// ---------------------------------------------------------------- Lambda

/**
 * The Lambda API's configuration calls, answered with AWS's field names and the defaults AWS fills
 * in. A missing function or mapping throws `AwsServiceError("ResourceNotFoundException", …, 404)`.
 */
export interface LambdaBackend {
  getFunctionConfiguration(functionName: string): Awaitable<Record<string, unknown>>;
  getFunctionConcurrency(functionName: string): Awaitable<Record<string, unknown>>;
  putFunctionConcurrency(functionName: string, reserved: number): Awaitable<void>;
  deleteFunctionConcurrency(functionName: string): Awaitable<void>;
  getFunctionEventInvokeConfig(functionName: string): Awaitable<Record<string, unknown>>;
  getEventSourceMapping(uuid: string): Awaitable<Record<string, unknown>>;
  updateEventSourceMapping(uuid: string, enabled: boolean): Awaitable<Record<string, unknown>>;
  listEventSourceMappings(filter: {
    readonly functionName?: string;
    readonly eventSourceArn?: string;
  }): Awaitable<readonly Record<string, unknown>[]>;
}

// ---------------------------------------------------------------- all

/**
 * The backends the endpoints dispatch to. A service left out answers every call with a clear
 * error naming the operation (the SDK throws it; nothing hangs).
 *
 * @example
 * ```ts
 * import { InMemoryParameterStore, LocalAwsEndpoints, type ServiceBackends } from "@rebound/simulator";
 * const backends: ServiceBackends = { ssm: new InMemoryParameterStore([{ name: "/slack", type: "SecureString", value: "https://hooks" }]) };
 * const endpoints = await LocalAwsEndpoints.start({ backends });
 * ```
 */
export interface ServiceBackends {
  readonly sqs?: SqsBackend;
  readonly sns?: SnsBackend;
  readonly sfn?: SfnBackend;
  readonly dynamodbStreams?: DynamoDbStreamsBackend;
  readonly kinesis?: KinesisBackend;
  readonly ssm?: SsmBackend;
  readonly lambda?: LambdaBackend;
}
