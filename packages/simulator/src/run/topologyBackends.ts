import { PARKED_EVENT_KIND } from "@rebound/errors";
import { AwsServiceError } from "../aws/errors.js";
import type { InMemoryParameterStore } from "../aws/InMemoryParameterStore.js";
import type {
  DynamoDbStreamRecord,
  LambdaBackend,
  MessageAttributes,
  ServiceBackends,
  SfnExecutionDescription,
} from "../aws/ServiceBackends.js";
import { ConfigurationError, ResourceNotFoundError, StepFunctionsApiError } from "../engine/errors.js";
import type { SqsQueue } from "../sqs/SqsQueue.js";
import type { SqsMessageAttributeValue } from "../sqs/sqsMd5.js";
import type { StepFunctions } from "../stepfunctions/StepFunctions.js";
import type { DynamoDBStream } from "../streams/DynamoDBStream.js";
import {
  eventInvokeConfig,
  eventSourceMappingConfiguration,
  functionConcurrency,
  functionConfiguration,
  listEventSourceMappings,
} from "../topology/effectiveConfiguration.js";
import { putFunctionConcurrency, updateEventSourceMapping } from "../topology/runtimeChanges.js";
import type { StreamSources } from "../topology/StreamSources.js";
import type { Topology } from "../topology/Topology.js";

/** What the backends dispatch to. */
export interface BackendTargets {
  readonly topology: Topology;
  /** Set once the stack is loaded (the endpoints start first: queue URLs need their address). */
  readonly stack: () =>
    | { readonly streams: StreamSources; readonly stepFunctions: StepFunctions }
    | undefined;
  readonly parameters: InMemoryParameterStore;
}

/**
 * The ids of the event a park message names (its message id, sequence number or request id), when
 * the body is a `@rebound/errors` parked event; undefined for any other message.
 */
function parkedKeys(body: string): string[] | undefined {
  if (!body.includes(PARKED_EVENT_KIND)) return undefined;
  try {
    const parked = JSON.parse(body) as Record<string, unknown>;
    if (parked.kind !== PARKED_EVENT_KIND) return undefined;
    return [parked.messageId, parked.sequenceNumber, parked.requestId].filter(
      (key): key is string => typeof key === "string",
    );
  } catch {
    return undefined;
  }
}

/**
 * Connects the local AWS endpoints to the models: a handler's SendMessage lands in the simulated queue,
 * Publish in the topic, StartExecution in the state machine, GetRecords reads the simulated stream.
 * Calls take effect at the virtual time of the invocation that makes them.
 *
 * @example
 * ```ts
 * const endpoints = await LocalAwsEndpoints.start({ backends: topologyBackends({ topology, stack: () => loaded, parameters }) });
 * ```
 */
export function topologyBackends(targets: BackendTargets): ServiceBackends {
  const { topology } = targets;
  const stack = (): { readonly streams: StreamSources; readonly stepFunctions: StepFunctions } => {
    const loaded = targets.stack();
    if (!loaded) throw new AwsServiceError("ServiceUnavailable", "the simulated stack is still loading", 503);
    return loaded;
  };
  const queueOf = (queueUrl: string) => {
    const name = queueUrl.slice(queueUrl.lastIndexOf("/") + 1);
    try {
      return topology.queue(name);
    } catch (error) {
      throw new AwsServiceError("QueueDoesNotExist", `The specified queue ${name} does not exist.`, 400, {
        cause: error,
      });
    }
  };
  return {
    sqs: {
      getQueueUrl: ({ queueName }) => ({ queueUrl: queueOf(queueName).url }),
      getQueueAttributes: ({ queueUrl, attributeNames }) => {
        const attributes = queueAttributes(queueOf(queueUrl));
        // AWS answers the names asked for; "All" (or none asked) gives every attribute.
        const wanted =
          attributeNames.length === 0 || attributeNames.includes("All") ? undefined : new Set(attributeNames);
        return {
          attributes: Object.fromEntries(
            Object.entries(attributes).filter(([name]) => wanted === undefined || wanted.has(name)),
          ),
        };
      },
      sendMessage: (input) => {
        const queue = queueOf(input.queueUrl);
        const messageId = topology.sendMessage(queue.queueName, input.body, {
          ...(input.delaySeconds !== undefined ? { delaySeconds: input.delaySeconds } : {}),
          ...(input.messageGroupId !== undefined ? { messageGroupId: input.messageGroupId } : {}),
          ...(input.messageDeduplicationId !== undefined
            ? { messageDeduplicationId: input.messageDeduplicationId }
            : {}),
          ...(Object.keys(input.messageAttributes).length > 0
            ? { messageAttributes: toSqsAttributes(input.messageAttributes) }
            : {}),
        });
        // A handler parking a permanent failure: the event it names settles as parked in this queue.
        const parked = parkedKeys(input.body);
        if (parked) targets.topology.outcomes.park(parked, queue.arn);
        // A FIFO duplicate within the deduplication window is accepted without a new message, as on AWS.
        return { messageId: messageId ?? `duplicate-${input.messageDeduplicationId ?? "message"}` };
      },
      receiveMessage: () => {
        throw new AwsServiceError(
          "UnsupportedOperation",
          "ReceiveMessage is not simulated: queues are consumed by event source mappings",
          400,
        );
      },
      deleteMessage: () => {
        throw new AwsServiceError("UnsupportedOperation", "DeleteMessage is not simulated", 400);
      },
      changeMessageVisibility: () => {
        throw new AwsServiceError("UnsupportedOperation", "ChangeMessageVisibility is not simulated", 400);
      },
    },
    sns: {
      publish: (input) => {
        let topicName: string;
        try {
          topicName = topology.topic(input.topicArn).name;
        } catch (error) {
          throw new AwsServiceError("NotFound", "Topic does not exist", 404, { cause: error });
        }
        const messageId = topology.publish(topicName, input.message, {
          ...(input.subject !== undefined ? { subject: input.subject } : {}),
          ...(Object.keys(input.messageAttributes).length > 0
            ? { messageAttributes: toSqsAttributes(input.messageAttributes) }
            : {}),
          ...(input.messageGroupId !== undefined ? { messageGroupId: input.messageGroupId } : {}),
          ...(input.messageDeduplicationId !== undefined
            ? { messageDeduplicationId: input.messageDeduplicationId }
            : {}),
        });
        return { messageId: messageId ?? "unpublished" };
      },
    },
    sfn: {
      startExecution: (input) => {
        try {
          const started = stack().stepFunctions.startExecution({
            stateMachineArn: input.stateMachineArn,
            ...(input.name !== undefined ? { name: input.name } : {}),
            input: parseInput(input.input),
          });
          return { executionArn: started.executionArn, startDateMs: started.startDate };
        } catch (error) {
          throw asAwsError(error);
        }
      },
      getExecutionHistory: ({ executionArn, reverseOrder }) => {
        try {
          return stack()
            .stepFunctions.getExecutionHistory(executionArn, { reverseOrder })
            .map(({ id, previousEventId, timestamp, type, ...details }) => ({
              id,
              previousEventId,
              timestampMs: Date.parse(timestamp),
              type,
              details,
            }));
        } catch (error) {
          throw asAwsError(error);
        }
      },
      describeExecution: ({ executionArn }) => {
        try {
          const execution = stack().stepFunctions.describeExecution(executionArn);
          const description: SfnExecutionDescription = {
            executionArn: execution.executionArn,
            stateMachineArn: execution.stateMachineArn,
            name: execution.name,
            status: execution.status as SfnExecutionDescription["status"],
            startDateMs: execution.startDate,
            ...(execution.stopDate !== undefined ? { stopDateMs: execution.stopDate } : {}),
            input: JSON.stringify(execution.input),
            ...(execution.output !== undefined ? { output: JSON.stringify(execution.output) } : {}),
            ...(execution.error !== undefined ? { error: execution.error } : {}),
            ...(execution.cause !== undefined ? { cause: execution.cause } : {}),
          };
          return description;
        } catch (error) {
          throw asAwsError(error);
        }
      },
    },
    dynamodbStreams: dynamodbStreamsBackend(() => stack().streams, topology),
    ssm: targets.parameters,
    lambda: lambdaBackend(topology),
  };
}

// Shard iterators are opaque strings on AWS; here they carry the stream, shard and position.
function dynamodbStreamsBackend(
  streams: () => StreamSources,
  topology: Topology,
): ServiceBackends["dynamodbStreams"] {
  const streamOf = (arn: string): DynamoDBStream => {
    try {
      return streams().stream(arn) as DynamoDBStream;
    } catch (error) {
      throw new AwsServiceError(
        "ResourceNotFoundException",
        `Requested resource not found: Stream: ${arn} not found`,
        400,
        {
          cause: error,
        },
      );
    }
  };
  return {
    describeStream: ({ streamArn }) => {
      const stream = streamOf(streamArn);
      return {
        streamArn: stream.streamArn,
        streamLabel: stream.streamArn.slice(stream.streamArn.lastIndexOf("/") + 1),
        streamStatus: "ENABLED",
        streamViewType: stream.streamViewType,
        tableName: stream.tableName,
        keySchema: [
          { attributeName: stream.keySchema.partitionKey, keyType: "HASH" },
          ...(stream.keySchema.sortKey
            ? [{ attributeName: stream.keySchema.sortKey, keyType: "RANGE" as const }]
            : []),
        ],
        creationRequestDateTimeMs: topology.simulation.now(),
        shards: stream.shards.map((shard) => ({
          shardId: shard.shardId,
          startingSequenceNumber: shard.retained()[0]?.sequenceNumber ?? "0",
        })),
      };
    },
    getShardIterator: ({ streamArn, shardId, shardIteratorType, sequenceNumber }) => {
      const stream = streamOf(streamArn);
      const shard = stream.shards.find((candidate) => candidate.shardId === shardId);
      if (!shard) throw new AwsServiceError("ResourceNotFoundException", `Shard ${shardId} not found`, 400);
      const retained = shard.retained();
      let position: number;
      if (shardIteratorType === "TRIM_HORIZON") position = 0;
      else if (shardIteratorType === "LATEST") position = retained.length;
      else {
        const index = retained.findIndex((entry) => entry.sequenceNumber === sequenceNumber);
        if (index < 0) {
          throw new AwsServiceError(
            "TrimmedDataAccessException",
            `The sequence number ${sequenceNumber} is beyond the trim horizon of shard ${shardId}`,
            400,
          );
        }
        position = shardIteratorType === "AT_SEQUENCE_NUMBER" ? index : index + 1;
      }
      return { shardIterator: JSON.stringify({ streamArn, shardId, position }) };
    },
    getRecords: ({ shardIterator, limit }) => {
      let cursor: { streamArn: string; shardId: string; position: number };
      try {
        cursor = JSON.parse(shardIterator);
      } catch {
        throw new AwsServiceError("ValidationException", "Invalid ShardIterator", 400);
      }
      const stream = streamOf(cursor.streamArn);
      const shard = stream.shards.find((candidate) => candidate.shardId === cursor.shardId);
      const retained = shard?.retained() ?? [];
      const slice = retained.slice(cursor.position, cursor.position + (limit ?? 1000));
      const records = slice.map((entry) =>
        toStreamRecord(stream.lambdaRecord(entry, "") as Record<string, unknown>),
      );
      return {
        records,
        nextShardIterator: JSON.stringify({ ...cursor, position: cursor.position + slice.length }),
      };
    },
  };
}

function toStreamRecord(lambdaRecord: Record<string, unknown>): DynamoDbStreamRecord {
  const dynamodb = lambdaRecord.dynamodb as Record<string, unknown>;
  return {
    eventID: String(lambdaRecord.eventID),
    eventName: lambdaRecord.eventName as DynamoDbStreamRecord["eventName"],
    eventVersion: String(lambdaRecord.eventVersion ?? "1.1"),
    awsRegion: String(lambdaRecord.awsRegion),
    dynamodb: {
      approximateCreationDateTimeMs: Number(dynamodb.ApproximateCreationDateTime) * 1000,
      keys: dynamodb.Keys as DynamoDbStreamRecord["dynamodb"]["keys"],
      ...(dynamodb.NewImage
        ? { newImage: dynamodb.NewImage as DynamoDbStreamRecord["dynamodb"]["keys"] }
        : {}),
      ...(dynamodb.OldImage
        ? { oldImage: dynamodb.OldImage as DynamoDbStreamRecord["dynamodb"]["keys"] }
        : {}),
      sequenceNumber: String(dynamodb.SequenceNumber),
      sizeBytes: Number(dynamodb.SizeBytes),
      streamViewType: dynamodb.StreamViewType as DynamoDbStreamRecord["dynamodb"]["streamViewType"],
    },
  };
}

function toSqsAttributes(attributes: MessageAttributes): Record<string, SqsMessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        DataType: value.dataType,
        ...(value.stringValue !== undefined ? { StringValue: value.stringValue } : {}),
        ...(value.binaryValue !== undefined ? { BinaryValue: value.binaryValue } : {}),
      },
    ]),
  );
}

function parseInput(input: string): unknown {
  try {
    return JSON.parse(input);
  } catch {
    throw new AwsServiceError(
      "InvalidExecutionInput",
      "Invalid State Machine Execution Input: not JSON",
      400,
    );
  }
}

function asAwsError(error: unknown): unknown {
  if (error instanceof StepFunctionsApiError) {
    return new AwsServiceError(error.code, error.message.slice(error.code.length + 2), 400, { cause: error });
  }
  if (error instanceof ResourceNotFoundError) {
    return new AwsServiceError("ResourceNotFound", error.message, 400, { cause: error });
  }
  return error;
}

/**
 * GetQueueAttributes of a queue, every value a string as AWS sends them, defaults filled in.
 *
 * @example
 * ```ts
 * queueAttributes(topology.queue("payments")).VisibilityTimeout; // "61"
 * ```
 */
export function queueAttributes(queue: SqsQueue): Record<string, string> {
  return {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(queue.visible),
    ApproximateNumberOfMessagesNotVisible: String(queue.inFlight),
    ApproximateNumberOfMessagesDelayed: String(queue.delayed),
    VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(queue.messageRetentionPeriodSeconds),
    DelaySeconds: String(queue.delaySeconds),
    MaximumMessageSize: String(queue.maximumMessageSize),
    ReceiveMessageWaitTimeSeconds: "0",
    ...(queue.redrivePolicy === undefined
      ? {}
      : {
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: queue.redrivePolicy.deadLetterTargetArn,
            maxReceiveCount: queue.redrivePolicy.maxReceiveCount,
          }),
        }),
    ...(queue.fifo
      ? { FifoQueue: "true", ContentBasedDeduplication: String(queue.contentBasedDeduplication) }
      : {}),
  };
}

/** The Lambda API's configuration calls over the topology (`effectiveConfiguration`, `runtimeChanges`). */
function lambdaBackend(topology: Topology): LambdaBackend {
  const lambdaCall = <T>(call: () => T): T => {
    try {
      return call();
    } catch (error) {
      if (error instanceof ResourceNotFoundError)
        throw new AwsServiceError("ResourceNotFoundException", error.message, 404, { cause: error });
      if (error instanceof ConfigurationError)
        throw new AwsServiceError("InvalidParameterValueException", error.message, 400, { cause: error });
      throw error;
    }
  };
  return {
    getFunctionConfiguration: (name) => lambdaCall(() => functionConfiguration(topology, name)),
    getFunctionConcurrency: (name) => lambdaCall(() => functionConcurrency(topology, name)),
    putFunctionConcurrency: (name, reserved) =>
      lambdaCall(() => putFunctionConcurrency(topology, name, reserved)),
    deleteFunctionConcurrency: (name) => lambdaCall(() => putFunctionConcurrency(topology, name, null)),
    getFunctionEventInvokeConfig: (name) => lambdaCall(() => eventInvokeConfig(topology, name)),
    getEventSourceMapping: (uuid) => lambdaCall(() => eventSourceMappingConfiguration(topology, { uuid })),
    updateEventSourceMapping: (uuid, enabled) =>
      lambdaCall(() => {
        updateEventSourceMapping(topology, { uuid }, { enabled });
        return eventSourceMappingConfiguration(topology, { uuid });
      }),
    listEventSourceMappings: (filter) => lambdaCall(() => listEventSourceMappings(topology, filter)),
  };
}
