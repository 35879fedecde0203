import { AwsServiceError } from "../../src/aws/errors.js";
import type {
  DynamoDbStreamRecord,
  DynamoDbStreamsBackend,
  KinesisBackend,
  KinesisRecord,
  SfnBackend,
  SfnExecutionDescription,
  SnsBackend,
  SnsPublishInput,
  SqsBackend,
  SqsReceivedMessage,
  SqsSendMessageInput,
} from "../../src/aws/ServiceBackends.js";

/**
 * Small in-memory backends for the protocol tests: just enough behaviour to prove that what the SDK
 * sends reaches the backend intact and what the backend answers reaches the SDK intact.
 */
export class MemorySqs implements SqsBackend {
  public readonly sent: SqsSendMessageInput[] = [];
  public readonly deleted: string[] = [];
  public readonly visibilityChanges: { receiptHandle: string; visibilityTimeout: number }[] = [];
  public readonly receiveRequests: {
    attributeNames: readonly string[];
    messageAttributeNames: readonly string[];
  }[] = [];
  /** Set once the endpoints know their port: queue URLs are `<baseUrl>/123456789012/<name>`. */
  public baseUrl = "";
  #ids = 0;

  public constructor(private readonly queueNames: readonly string[]) {}

  #check(queueUrl: string): void {
    if (!this.queueNames.some((name) => queueUrl === `${this.baseUrl}/123456789012/${name}`)) {
      throw new AwsServiceError("QueueDoesNotExist", "The specified queue does not exist.", 400);
    }
  }

  public getQueueUrl(input: { queueName: string }) {
    if (!this.queueNames.includes(input.queueName)) {
      throw new AwsServiceError("QueueDoesNotExist", "The specified queue does not exist.", 400);
    }
    return { queueUrl: `${this.baseUrl}/123456789012/${input.queueName}` };
  }

  public getQueueAttributes(input: { queueUrl: string; attributeNames: readonly string[] }) {
    this.#check(input.queueUrl);
    return {
      attributes: {
        ApproximateNumberOfMessages: String(this.sent.filter((m) => m.queueUrl === input.queueUrl).length),
      },
    };
  }

  public sendMessage(input: SqsSendMessageInput) {
    this.#check(input.queueUrl);
    if (input.body.includes("reject-me")) {
      throw new AwsServiceError("InvalidMessageContents", "Invalid characters found.", 400);
    }
    this.sent.push(input);
    this.#ids += 1;
    return {
      messageId: `m-${this.#ids}`,
      ...(input.messageGroupId ? { sequenceNumber: String(1000 + this.#ids) } : {}),
    };
  }

  public receiveMessage(input: {
    queueUrl: string;
    maxNumberOfMessages: number;
    attributeNames: readonly string[];
    messageAttributeNames: readonly string[];
  }) {
    this.#check(input.queueUrl);
    this.receiveRequests.push({
      attributeNames: input.attributeNames,
      messageAttributeNames: input.messageAttributeNames,
    });
    const messages: SqsReceivedMessage[] = this.sent
      .filter((message) => message.queueUrl === input.queueUrl)
      .slice(0, input.maxNumberOfMessages)
      .map((message, index) => ({
        messageId: `m-${index + 1}`,
        receiptHandle: `rh-${index + 1}`,
        body: message.body,
        attributes: { ApproximateReceiveCount: "1", SentTimestamp: "1767225600000" },
        messageAttributes: message.messageAttributes,
      }));
    return { messages };
  }

  public deleteMessage(input: { queueUrl: string; receiptHandle: string }) {
    this.#check(input.queueUrl);
    if (!input.receiptHandle.startsWith("rh-")) {
      throw new AwsServiceError(
        "ReceiptHandleIsInvalid",
        `The input receipt handle "${input.receiptHandle}" is not a valid receipt handle.`,
        400,
      );
    }
    this.deleted.push(input.receiptHandle);
  }

  public changeMessageVisibility(input: {
    queueUrl: string;
    receiptHandle: string;
    visibilityTimeout: number;
  }) {
    this.#check(input.queueUrl);
    this.visibilityChanges.push({
      receiptHandle: input.receiptHandle,
      visibilityTimeout: input.visibilityTimeout,
    });
  }
}

export class MemorySns implements SnsBackend {
  public readonly published: SnsPublishInput[] = [];

  public constructor(private readonly topicArn: string) {}

  public publish(input: SnsPublishInput) {
    if (input.topicArn !== this.topicArn) throw new AwsServiceError("NotFound", "Topic does not exist", 404);
    if (input.message === "fail-entry")
      throw new AwsServiceError("InvalidParameter", "Invalid parameter: Message", 400);
    this.published.push(input);
    return { messageId: `sns-${this.published.length}` };
  }
}

export class MemorySfn implements SfnBackend {
  readonly #executions = new Map<string, SfnExecutionDescription>();
  #unnamed = 0;

  public constructor(private readonly stateMachineArn: string) {}

  public startExecution(input: { stateMachineArn: string; name: string | undefined; input: string }) {
    if (input.stateMachineArn !== this.stateMachineArn) {
      throw new AwsServiceError(
        "StateMachineDoesNotExist",
        `State Machine Does Not Exist: '${input.stateMachineArn}'`,
        400,
      );
    }
    this.#unnamed += input.name === undefined ? 1 : 0;
    const name = input.name ?? `generated-${this.#unnamed}`;
    const executionArn = `${this.stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
    if (this.#executions.has(executionArn)) {
      throw new AwsServiceError("ExecutionAlreadyExists", `Execution Already Exists: '${executionArn}'`, 400);
    }
    const startDateMs = Date.UTC(2026, 0, 1, 0, 0, 1, 500);
    this.#executions.set(executionArn, {
      executionArn,
      stateMachineArn: this.stateMachineArn,
      name,
      status: "RUNNING",
      startDateMs,
      input: input.input,
    });
    return { executionArn, startDateMs };
  }

  public describeExecution(input: { executionArn: string }) {
    const execution = this.#executions.get(input.executionArn);
    if (execution === undefined)
      throw new AwsServiceError(
        "ExecutionDoesNotExist",
        `Execution Does Not Exist: '${input.executionArn}'`,
        400,
      );
    return execution;
  }

  /** A running execution's history: ExecutionStarted with its input, then 149 states entered. */
  public getExecutionHistory(input: { executionArn: string; reverseOrder: boolean }) {
    const execution = this.describeExecution(input);
    const events = Array.from({ length: 150 }, (_, index) => ({
      id: index + 1,
      previousEventId: index,
      timestampMs: execution.startDateMs + index,
      type: index === 0 ? "ExecutionStarted" : "PassStateEntered",
      details:
        index === 0
          ? { executionStartedEventDetails: { input: execution.input, inputDetails: { truncated: false } } }
          : {
              stateEnteredEventDetails: {
                name: `S${index}`,
                input: "{}",
                inputDetails: { truncated: false },
              },
            },
    }));
    return input.reverseOrder ? events.reverse() : events;
  }
}

export class MemoryDynamoDbStreams implements DynamoDbStreamsBackend {
  public constructor(
    private readonly streamArn: string,
    private readonly records: readonly DynamoDbStreamRecord[],
  ) {}

  public describeStream(input: { streamArn: string }) {
    if (input.streamArn !== this.streamArn)
      throw new AwsServiceError("ResourceNotFoundException", "Requested resource not found", 400);
    return {
      streamArn: this.streamArn,
      streamLabel: "2026-01-01T00:00:00.000",
      streamStatus: "ENABLED" as const,
      streamViewType: "NEW_AND_OLD_IMAGES" as const,
      tableName: "orders",
      keySchema: [{ attributeName: "orderId", keyType: "HASH" as const }],
      creationRequestDateTimeMs: Date.UTC(2026, 0, 1),
      shards: [{ shardId: "shardId-00000001", startingSequenceNumber: "100" }],
    };
  }

  public getShardIterator(input: { shardId: string; shardIteratorType: string; sequenceNumber?: string }) {
    return { shardIterator: `${input.shardId}|${input.shardIteratorType}|${input.sequenceNumber ?? ""}` };
  }

  public getRecords(input: { shardIterator: string; limit?: number }) {
    const [, type, sequence] = input.shardIterator.split("|");
    const start =
      type === "AT_SEQUENCE_NUMBER"
        ? this.records.findIndex((r) => r.dynamodb.sequenceNumber === sequence)
        : 0;
    const records = this.records.slice(Math.max(start, 0), Math.max(start, 0) + (input.limit ?? 1000));
    return { records, nextShardIterator: "shardId-00000001|AFTER_SEQUENCE_NUMBER|end" };
  }
}

export class MemoryKinesis implements KinesisBackend {
  public readonly records: (KinesisRecord & { streamName?: string })[] = [];

  public putRecord(input: {
    streamName?: string;
    streamArn?: string;
    data: Uint8Array;
    partitionKey: string;
  }) {
    if (input.partitionKey === "throttle-me") {
      throw new AwsServiceError(
        "ProvisionedThroughputExceededException",
        "Rate exceeded for shard shardId-000000000000",
        400,
      );
    }
    if ((input.streamName ?? input.streamArn) === "missing") {
      throw new AwsServiceError(
        "ResourceNotFoundException",
        "Stream missing under account 123456789012 not found.",
        400,
      );
    }
    const sequenceNumber = String(49_000_000 + this.records.length);
    this.records.push({
      sequenceNumber,
      approximateArrivalTimestampMs: Date.UTC(2026, 0, 1, 0, 0, this.records.length),
      data: input.data,
      partitionKey: input.partitionKey,
      ...(input.streamName === undefined ? {} : { streamName: input.streamName }),
    });
    return { shardId: "shardId-000000000000", sequenceNumber };
  }

  public getShardIterator(input: {
    shardId: string;
    shardIteratorType: string;
    startingSequenceNumber?: string;
  }) {
    return {
      shardIterator: `${input.shardId}|${input.shardIteratorType}|${input.startingSequenceNumber ?? ""}`,
    };
  }

  public getRecords(input: { shardIterator: string; limit?: number }) {
    const [, type, sequence] = input.shardIterator.split("|");
    const start =
      type === "AT_SEQUENCE_NUMBER" ? this.records.findIndex((r) => r.sequenceNumber === sequence) : 0;
    return {
      records: this.records.slice(start, start + (input.limit ?? 10_000)),
      nextShardIterator: "next",
      millisBehindLatest: 0,
    };
  }
}
