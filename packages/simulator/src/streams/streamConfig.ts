import { ConfigurationError } from "../engine/errors.js";
import { assertBoolean, assertIntInRange, assertOptions, describe } from "../engine/validate.js";
import { StreamKind as Kinds, type StreamKind } from "./StreamShard.js";

/**
 * Where StartingPosition starts reading. AT_TIMESTAMP is Kinesis only (DynamoDB answers
 * "Unsupported starting position for arn type").
 *
 * @example
 * ```ts
 * import { StartingPosition } from "@rebound/simulator";
 * StartingPosition.TrimHorizon; // "TRIM_HORIZON"
 * ```
 */
export const StartingPosition = {
  TrimHorizon: "TRIM_HORIZON",
  Latest: "LATEST",
  AtTimestamp: "AT_TIMESTAMP",
} as const;
/** One of `StartingPosition`'s values. */
export type StartingPosition = (typeof StartingPosition)[keyof typeof StartingPosition];

/** The on-failure destination kinds a stream mapping accepts (Kafka topics are not modelled). */
export type StreamDestinationKind = "sqs" | "sns" | "s3";

/** A stream event source mapping's settings, with AWS's names (CreateEventSourceMapping). */
export interface StreamMappingOptions {
  /** Required by AWS. TRIM_HORIZON reads what the stream still retains; LATEST only what arrives later. */
  readonly startingPosition: StartingPosition;
  /** AT_TIMESTAMP only: epoch seconds. */
  readonly startingPositionTimestamp?: number;
  /** Default 100, 1–10000. */
  readonly batchSize?: number;
  /** Default 0, 0–300. */
  readonly maximumBatchingWindowInSeconds?: number;
  /** Default -1 (retry until the record expires); -1 or 0–10000. */
  readonly maximumRetryAttempts?: number;
  /** Default -1 (never discard for age); -1 or 60–604800. */
  readonly maximumRecordAgeInSeconds?: number;
  /** Default false. */
  readonly bisectBatchOnFunctionError?: boolean;
  /** Default 1, 1–10: concurrent batches per shard, order kept per partition key (Kinesis) or item key (DynamoDB). */
  readonly parallelizationFactor?: number;
  /** `[]` (default) or `["ReportBatchItemFailures"]`. */
  readonly functionResponseTypes?: readonly string[];
  /** `{ onFailure: { destination: <SQS standard queue, SNS standard topic or S3 bucket ARN> } }`. */
  readonly destinationConfig?: { readonly onFailure?: { readonly destination?: string } };
  /** Only 0 (off): tumbling windows are not modelled, so a window is rejected rather than ignored. */
  readonly tumblingWindowInSeconds?: number;
  /** The mapping's UUID (S3 destination keys use it). Default: drawn from the run's seed. */
  readonly uuid?: string;
  /** Default true. A disabled mapping reads nothing until it is enabled (`setEnabled`). */
  readonly enabled?: boolean;
  /**
   * Simulator setting (AWS does not document stream retry delays): wait before the first retry of a
   * failing batch, doubling per consecutive failure. Default 1000.
   */
  readonly retryBaseDelayMs?: number;
  /** Simulator setting: cap of that wait. Default 12000 (see README, "Stream retry delay"). */
  readonly retryMaxDelayMs?: number;
}

/** Validated settings with defaults applied. */
export interface StreamMappingSettings {
  readonly startingPosition: StartingPosition;
  readonly startingPositionTimestampMs: number | undefined;
  readonly batchSize: number;
  readonly maximumBatchingWindowInSeconds: number;
  readonly maximumRetryAttempts: number;
  readonly maximumRecordAgeInSeconds: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly parallelizationFactor: number;
  readonly reportBatchItemFailures: boolean;
  readonly onFailure: { readonly destination: string; readonly kind: StreamDestinationKind } | undefined;
  readonly uuid: string | undefined;
  readonly enabled: boolean;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
}

/** Keys `StreamMappingOptions` accepts (everything else is rejected). */
export const STREAM_MAPPING_OPTION_KEYS = [
  "startingPosition",
  "startingPositionTimestamp",
  "batchSize",
  "maximumBatchingWindowInSeconds",
  "maximumRetryAttempts",
  "maximumRecordAgeInSeconds",
  "bisectBatchOnFunctionError",
  "parallelizationFactor",
  "functionResponseTypes",
  "destinationConfig",
  "tumblingWindowInSeconds",
  "uuid",
  "enabled",
  "retryBaseDelayMs",
  "retryMaxDelayMs",
] as const;

/**
 * Validates a stream mapping's settings the way CreateEventSourceMapping does and applies AWS's
 * defaults. Each error names the setting, the value, AWS's rule and the allowed range, e.g.
 * `maximumRecordAgeInSeconds must be -1 (infinite) or from 60 to 604800, got 30`.
 *
 * @example
 * ```ts
 * import { validateStreamMappingOptions } from "@rebound/simulator";
 * validateStreamMappingOptions({ startingPosition: "TRIM_HORIZON", maximumRetryAttempts: 2 }, "dynamodb").batchSize; // 100
 * ```
 */
export function validateStreamMappingOptions(
  options: StreamMappingOptions,
  kind: StreamKind,
): StreamMappingSettings {
  const where = "stream event source mapping";
  assertOptions(where, options, STREAM_MAPPING_OPTION_KEYS);
  const positions = Object.values(StartingPosition) as string[];
  if (!positions.includes(options.startingPosition)) {
    throw new ConfigurationError(
      "startingPosition",
      `${where}: startingPosition is required for streams and must be one of ${positions.join(", ")}, got ${describe(options.startingPosition)}`,
    );
  }
  let startingPositionTimestampMs: number | undefined;
  if (options.startingPosition === StartingPosition.AtTimestamp) {
    if (kind === Kinds.DynamoDB) {
      throw new ConfigurationError(
        "startingPosition",
        `${where}: Unsupported starting position for arn type: AT_TIMESTAMP (DynamoDB Streams accept TRIM_HORIZON or LATEST)`,
      );
    }
    const timestamp = options.startingPositionTimestamp;
    if (typeof timestamp !== "number" || !Number.isFinite(timestamp) || timestamp < 0) {
      throw new ConfigurationError(
        "startingPositionTimestamp",
        `${where}: AT_TIMESTAMP needs startingPositionTimestamp (epoch seconds), got ${describe(timestamp)}`,
      );
    }
    startingPositionTimestampMs = Math.round(timestamp * 1000);
  } else if (options.startingPositionTimestamp !== undefined) {
    throw new ConfigurationError(
      "startingPositionTimestamp",
      `${where}: startingPositionTimestamp only goes with startingPosition AT_TIMESTAMP`,
    );
  }
  const batchSize = options.batchSize ?? 100;
  assertIntInRange(
    where,
    "batchSize",
    batchSize,
    1,
    10_000,
    "BatchSize for Kinesis and DynamoDB Streams: default 100, max 10,000",
  );
  const window = options.maximumBatchingWindowInSeconds ?? 0;
  assertIntInRange(
    where,
    "maximumBatchingWindowInSeconds",
    window,
    0,
    300,
    "MaximumBatchingWindowInSeconds is 0 to 300",
  );
  const retries = options.maximumRetryAttempts ?? -1;
  if (!Number.isInteger(retries) || retries < -1 || retries > 10_000) {
    throw new ConfigurationError(
      "maximumRetryAttempts",
      `${where}: maximumRetryAttempts must be -1 (infinite, the default) or from 0 to 10000, got ${describe(retries)}`,
    );
  }
  const age = options.maximumRecordAgeInSeconds ?? -1;
  if (!Number.isInteger(age) || (age !== -1 && (age < 60 || age > 604_800))) {
    throw new ConfigurationError(
      "maximumRecordAgeInSeconds",
      `${where}: maximumRecordAgeInSeconds must be -1 (infinite, the default) or from 60 to 604800 (7 days), got ${describe(age)}`,
    );
  }
  const bisect = options.bisectBatchOnFunctionError ?? false;
  assertBoolean(where, "bisectBatchOnFunctionError", bisect);
  const parallelizationFactor = options.parallelizationFactor ?? 1;
  assertIntInRange(
    where,
    "parallelizationFactor",
    parallelizationFactor,
    1,
    10,
    "ParallelizationFactor is 1 to 10",
  );
  const types = options.functionResponseTypes ?? [];
  if (!Array.isArray(types) || types.some((type) => type !== "ReportBatchItemFailures") || types.length > 1) {
    throw new ConfigurationError(
      "functionResponseTypes",
      `${where}: functionResponseTypes must be [] or ["ReportBatchItemFailures"], got ${describe(types)}`,
    );
  }
  if ((options.tumblingWindowInSeconds ?? 0) !== 0) {
    throw new ConfigurationError(
      "tumblingWindowInSeconds",
      `${where}: tumblingWindowInSeconds ${describe(options.tumblingWindowInSeconds)} is not modelled by Rebound; remove it or set 0`,
    );
  }
  let onFailure: StreamMappingSettings["onFailure"];
  if (options.destinationConfig !== undefined) {
    assertOptions(`${where}.destinationConfig`, options.destinationConfig, ["onFailure", "onSuccess"]);
    if ("onSuccess" in options.destinationConfig) {
      throw new ConfigurationError(
        "destinationConfig.onSuccess",
        `${where}: stream mappings support only an onFailure destination (AWS has no OnSuccess for event source mappings)`,
      );
    }
    const destination = options.destinationConfig.onFailure?.destination;
    if (destination !== undefined) onFailure = { destination, kind: destinationKind(destination, where) };
  }
  if (options.uuid !== undefined && (typeof options.uuid !== "string" || options.uuid.length === 0)) {
    throw new ConfigurationError(
      "uuid",
      `${where}: uuid must be a non-empty string, got ${describe(options.uuid)}`,
    );
  }
  if (options.enabled !== undefined) assertBoolean(where, "enabled", options.enabled);
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 1_000;
  const retryMaxDelayMs = options.retryMaxDelayMs ?? 12_000;
  assertIntInRange(where, "retryBaseDelayMs", retryBaseDelayMs, 0, 3_600_000);
  assertIntInRange(where, "retryMaxDelayMs", retryMaxDelayMs, retryBaseDelayMs, 3_600_000);
  return {
    startingPosition: options.startingPosition,
    startingPositionTimestampMs,
    batchSize,
    maximumBatchingWindowInSeconds: window,
    maximumRetryAttempts: retries,
    maximumRecordAgeInSeconds: age,
    bisectBatchOnFunctionError: bisect,
    parallelizationFactor,
    reportBatchItemFailures: types.length === 1,
    onFailure,
    uuid: options.uuid,
    enabled: options.enabled ?? true,
    retryBaseDelayMs,
    retryMaxDelayMs,
  };
}

function destinationKind(arn: string, where: string): StreamDestinationKind {
  const key = "destinationConfig.onFailure.destination";
  if (typeof arn !== "string")
    throw new ConfigurationError(key, `${where}: ${key} must be an ARN string, got ${describe(arn)}`);
  if (/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(arn)) {
    if (arn.endsWith(".fifo")) {
      throw new ConfigurationError(
        key,
        `${where}: ${arn} is a FIFO queue; on-failure destinations must be standard queues`,
      );
    }
    return "sqs";
  }
  if (/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(arn)) {
    if (arn.endsWith(".fifo")) {
      throw new ConfigurationError(
        key,
        `${where}: ${arn} is a FIFO topic; on-failure destinations must be standard topics`,
      );
    }
    return "sns";
  }
  if (/^arn:aws[a-z-]*:s3:::[a-z0-9.-]{3,63}$/.test(arn)) return "s3";
  throw new ConfigurationError(
    key,
    `${where}: ${describe(arn)} is not an SQS queue, SNS topic or S3 bucket ARN (Kafka destinations are not modelled)`,
  );
}
