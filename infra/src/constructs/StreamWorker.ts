import type { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js";
import { Construct } from "constructs";
import { PropChecks } from "../PropChecks.js";
import { MessageQueue } from "./MessageQueue.js";
import type { NodeFunction } from "./NodeFunction.js";

/** Props of {@link StreamWorker}. */
export interface StreamWorkerProps {
  /** The consuming function. */
  readonly fn: NodeFunction;
  /** A table with `streamEnabled: true`. */
  readonly table: DynamodbTable;
  /** Name of the SQS queue created as the mapping's on-failure destination. */
  readonly onFailureQueueName: string;
  /** Retention of the on-failure queue in seconds, 60-1209600. Default 1209600 (14 days). */
  readonly onFailureMessageRetentionSeconds?: number;
  /** Records per batch, 1-10000. Default 100 (AWS's default for DynamoDB streams). */
  readonly batchSize?: number;
  /** Seconds to gather a batch, 0-300. Default 0. */
  readonly maximumBatchingWindowInSeconds?: number;
  /** Retries of a failing batch, 0-10000 or -1 (unbounded: the shard blocks until records expire after 24 h). Default 5. */
  readonly maximumRetryAttempts?: number;
  /** Discard records older than this, 60-604800 seconds or -1 (unbounded). Default 3600. */
  readonly maximumRecordAgeInSeconds?: number;
  /** Split a failing batch in two before retrying (does not use up retries). Default true. */
  readonly bisectBatchOnFunctionError?: boolean;
  /** Concurrent batches per shard, 1-10; order per item key is kept at any value. Default 1. */
  readonly parallelizationFactor?: number;
  /** Where a new mapping starts reading. Default TRIM_HORIZON, so records written before the mapping exists are not skipped. */
  readonly startingPosition?: "TRIM_HORIZON" | "LATEST";
}

/** Resolved stream worker settings. */
export interface StreamWorkerSettings {
  readonly batchSize: number;
  readonly maximumBatchingWindowInSeconds: number;
  readonly maximumRetryAttempts: number;
  readonly maximumRecordAgeInSeconds: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly parallelizationFactor: number;
  readonly startingPosition: "TRIM_HORIZON" | "LATEST";
}

/**
 * Defaults for a stream consumer. AWS's own defaults (-1 retries, -1 record age) let one poison record
 * block its shard for the 24 h a DynamoDB stream keeps records; these bound both, bisect to isolate
 * the poison record, and keep parallelization at 1 so a reader of the code can reason about order.
 *
 * @example
 * ```ts
 * import { streamWorkerDefaults } from "@rebound/infra/constructs/StreamWorker";
 * streamWorkerDefaults({}).maximumRetryAttempts; // 5
 * ```
 */
export function streamWorkerDefaults(
  props: Omit<StreamWorkerProps, "fn" | "table" | "onFailureQueueName" | "onFailureMessageRetentionSeconds">,
): StreamWorkerSettings {
  return {
    batchSize: props.batchSize ?? 100,
    maximumBatchingWindowInSeconds: props.maximumBatchingWindowInSeconds ?? 0,
    maximumRetryAttempts: props.maximumRetryAttempts ?? 5,
    maximumRecordAgeInSeconds: props.maximumRecordAgeInSeconds ?? 3600,
    bisectBatchOnFunctionError: props.bisectBatchOnFunctionError ?? true,
    parallelizationFactor: props.parallelizationFactor ?? 1,
    startingPosition: props.startingPosition ?? "TRIM_HORIZON",
  };
}

/**
 * A DynamoDB stream consumer: the event source mapping with bisect on error, bounded retries and
 * record age, `ReportBatchItemFailures` (always on: the checkpoint moves to the first failed record
 * instead of replaying the whole batch) and an SQS on-failure destination that receives the failed
 * batch's shard and sequence numbers.
 *
 * @example
 * ```ts
 * import { StreamWorker } from "@rebound/infra/constructs/StreamWorker";
 * new StreamWorker(stack, "order-events", { fn, table: orders, onFailureQueueName: "rebound-dev-order-events-failures" });
 * ```
 */
export class StreamWorker extends Construct {
  public readonly mapping: LambdaEventSourceMapping;
  public readonly failureQueue: MessageQueue;
  public readonly settings: StreamWorkerSettings;

  public constructor(scope: Construct, id: string, props: StreamWorkerProps) {
    super(scope, id);
    const checks = new PropChecks(`StreamWorker ${id}`, props, [
      "fn",
      "table",
      "onFailureQueueName",
      "onFailureMessageRetentionSeconds",
      "batchSize",
      "maximumBatchingWindowInSeconds",
      "maximumRetryAttempts",
      "maximumRecordAgeInSeconds",
      "bisectBatchOnFunctionError",
      "parallelizationFactor",
      "startingPosition",
    ]);
    checks.require(
      props.table.streamEnabledInput === true,
      "table must have streamEnabled: true (and a streamViewType) to be consumed",
    );
    checks.integer("batchSize", props.batchSize, 1, 10_000);
    checks.integer("maximumBatchingWindowInSeconds", props.maximumBatchingWindowInSeconds, 0, 300);
    checks.integerOr("maximumRetryAttempts", props.maximumRetryAttempts, -1, 0, 10_000);
    // AWS's API reference says -1..604800 but rejects 0-59 (docs/aws-semantics.md#choice-stream-record-age-range).
    checks.integerOr("maximumRecordAgeInSeconds", props.maximumRecordAgeInSeconds, -1, 60, 604_800);
    checks.integer("parallelizationFactor", props.parallelizationFactor, 1, 10);
    checks.require(
      props.startingPosition === undefined || ["TRIM_HORIZON", "LATEST"].includes(props.startingPosition),
      `startingPosition must be TRIM_HORIZON or LATEST, got ${JSON.stringify(props.startingPosition)}`,
    );
    const settings = streamWorkerDefaults(props);
    checks.require(
      settings.maximumRetryAttempts !== -1 || settings.maximumRecordAgeInSeconds !== -1,
      "maximumRetryAttempts and maximumRecordAgeInSeconds are both -1 (unbounded): a poison record would block its shard for 24 h; bound at least one",
    );
    checks.throwIfAny();
    this.settings = settings;

    this.failureQueue = new MessageQueue(this, "on-failure", {
      queueName: props.onFailureQueueName,
      messageRetentionSeconds: props.onFailureMessageRetentionSeconds,
    });
    this.mapping = new LambdaEventSourceMapping(this, "mapping", {
      functionName: props.fn.arn,
      eventSourceArn: props.table.streamArn,
      startingPosition: settings.startingPosition,
      batchSize: settings.batchSize,
      maximumBatchingWindowInSeconds: settings.maximumBatchingWindowInSeconds,
      maximumRetryAttempts: settings.maximumRetryAttempts,
      maximumRecordAgeInSeconds: settings.maximumRecordAgeInSeconds,
      bisectBatchOnFunctionError: settings.bisectBatchOnFunctionError,
      parallelizationFactor: settings.parallelizationFactor,
      functionResponseTypes: ["ReportBatchItemFailures"],
      destinationConfig: { onFailure: { destinationArn: this.failureQueue.arn } },
    });
    props.fn.addToRolePolicy({
      Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
      Resource: props.table.streamArn,
    });
    props.fn.addToRolePolicy({ Action: ["dynamodb:ListStreams"], Resource: `${props.table.arn}/stream/*` });
    // Lambda sends the on-failure record with the function's own role.
    props.fn.addToRolePolicy({ Action: ["sqs:SendMessage"], Resource: this.failureQueue.arn });
  }
}
