import { epochSeconds, optionalInteger, optionalString, requiredString } from "./awsWire.js";
import { AwsServiceError } from "./errors.js";
import type { DynamoDbStreamsBackend } from "./ServiceBackends.js";

/** The operations the local DynamoDB Streams endpoint serves (JSON 1.0 `DynamoDBStreams_20120810.<name>`). */
export const DYNAMODB_STREAMS_OPERATIONS = ["DescribeStream", "GetShardIterator", "GetRecords"] as const;

const ITERATOR_TYPES = ["TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"] as const;

/** Runs one DynamoDB Streams operation on the JSON input. */
export async function runDynamoDbStreamsOperation(
  operation: string,
  input: Record<string, unknown>,
  backend: DynamoDbStreamsBackend,
): Promise<unknown> {
  switch (operation) {
    case "DescribeStream": {
      const streamArn = requiredString(input, "StreamArn");
      const limit = optionalInteger(input, "Limit");
      const exclusiveStartShardId = optionalString(input, "ExclusiveStartShardId");
      const out = await backend.describeStream({
        streamArn,
        ...(limit === undefined ? {} : { limit }),
        ...(exclusiveStartShardId === undefined ? {} : { exclusiveStartShardId }),
      });
      return {
        StreamDescription: {
          StreamArn: out.streamArn,
          StreamLabel: out.streamLabel,
          StreamStatus: out.streamStatus,
          StreamViewType: out.streamViewType,
          CreationRequestDateTime: epochSeconds(out.creationRequestDateTimeMs),
          TableName: out.tableName,
          KeySchema: out.keySchema.map((key) => ({ AttributeName: key.attributeName, KeyType: key.keyType })),
          Shards: out.shards.map((shard) => ({
            ShardId: shard.shardId,
            ...(shard.parentShardId === undefined ? {} : { ParentShardId: shard.parentShardId }),
            SequenceNumberRange: {
              StartingSequenceNumber: shard.startingSequenceNumber,
              ...(shard.endingSequenceNumber === undefined
                ? {}
                : { EndingSequenceNumber: shard.endingSequenceNumber }),
            },
          })),
          ...(out.lastEvaluatedShardId === undefined
            ? {}
            : { LastEvaluatedShardId: out.lastEvaluatedShardId }),
        },
      };
    }
    case "GetShardIterator": {
      const streamArn = requiredString(input, "StreamArn");
      const shardId = requiredString(input, "ShardId");
      const type = requiredString(input, "ShardIteratorType");
      if (!(ITERATOR_TYPES as readonly string[]).includes(type)) {
        throw new AwsServiceError(
          "ValidationException",
          `1 validation error detected: Value '${type}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [${ITERATOR_TYPES.join(", ")}]`,
          400,
        );
      }
      const sequenceNumber = optionalString(input, "SequenceNumber");
      const out = await backend.getShardIterator({
        streamArn,
        shardId,
        shardIteratorType: type as (typeof ITERATOR_TYPES)[number],
        ...(sequenceNumber === undefined ? {} : { sequenceNumber }),
      });
      return { ShardIterator: out.shardIterator };
    }
    case "GetRecords": {
      const shardIterator = requiredString(input, "ShardIterator");
      const limit = optionalInteger(input, "Limit");
      const out = await backend.getRecords({ shardIterator, ...(limit === undefined ? {} : { limit }) });
      return {
        Records: out.records.map((record) => ({
          eventID: record.eventID,
          eventName: record.eventName,
          eventVersion: record.eventVersion ?? "1.1",
          eventSource: "aws:dynamodb",
          awsRegion: record.awsRegion,
          dynamodb: {
            ApproximateCreationDateTime: epochSeconds(record.dynamodb.approximateCreationDateTimeMs),
            Keys: record.dynamodb.keys,
            ...(record.dynamodb.newImage === undefined ? {} : { NewImage: record.dynamodb.newImage }),
            ...(record.dynamodb.oldImage === undefined ? {} : { OldImage: record.dynamodb.oldImage }),
            SequenceNumber: record.dynamodb.sequenceNumber,
            SizeBytes: record.dynamodb.sizeBytes,
            StreamViewType: record.dynamodb.streamViewType,
          },
          ...(record.userIdentity === undefined
            ? {}
            : {
                userIdentity: {
                  Type: record.userIdentity.type,
                  PrincipalId: record.userIdentity.principalId,
                },
              }),
        })),
        ...(out.nextShardIterator === undefined ? {} : { NextShardIterator: out.nextShardIterator }),
      };
    }
    default:
      throw new AwsServiceError(
        "UnknownOperationException",
        `Rebound's local DynamoDB Streams endpoint does not implement ${operation}; it serves ${DYNAMODB_STREAMS_OPERATIONS.join(", ")}`,
        400,
      );
  }
}
