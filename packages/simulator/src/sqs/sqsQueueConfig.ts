import { ConfigurationError } from "../engine/errors.js";
import {
  assertBoolean,
  assertIntInRange,
  assertOptions,
  assertString,
  describe,
} from "../engine/validate.js";

/** SQS queue configuration, with AWS's names (seconds as in the API). */
export interface SqsQueueConfig {
  /** Must end in `.fifo` for a FIFO queue. */
  readonly queueName: string;
  readonly fifoQueue?: boolean;
  /** Default 30, 0–43200 (12 h). */
  readonly visibilityTimeoutSeconds?: number;
  /** Default 345600 (4 days), 60–1209600 (14 days). */
  readonly messageRetentionPeriodSeconds?: number;
  /** Default 0, 0–900. */
  readonly delaySeconds?: number;
  /** Redrive to a dead-letter queue after `maxReceiveCount` receives (1–1000). */
  readonly redrivePolicy?: SqsRedrivePolicy;
  /** FIFO only: deduplicate by the SHA-256 of the body when no deduplication id is sent. */
  readonly contentBasedDeduplication?: boolean;
  /** Default 262144 bytes (256 KiB), 1024–262144. */
  readonly maximumMessageSize?: number;
}

/** A queue's RedrivePolicy: the dead-letter queue and the receives after which a message moves there. */
export interface SqsRedrivePolicy {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

/** A queue configuration checked against AWS's rules, with AWS's defaults filled in. */
export interface ResolvedSqsQueueConfig {
  readonly queueName: string;
  readonly fifo: boolean;
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionPeriodSeconds: number;
  readonly delaySeconds: number;
  readonly maximumMessageSize: number;
  readonly redrivePolicy: SqsRedrivePolicy | undefined;
  readonly contentBasedDeduplication: boolean;
}

const CONFIG_KEYS = [
  "queueName",
  "fifoQueue",
  "visibilityTimeoutSeconds",
  "messageRetentionPeriodSeconds",
  "delaySeconds",
  "redrivePolicy",
  "contentBasedDeduplication",
  "maximumMessageSize",
] as const;

const DEFAULTS = {
  visibilityTimeoutSeconds: 30,
  messageRetentionPeriodSeconds: 345_600,
  delaySeconds: 0,
  maximumMessageSize: 262_144,
} as const;

/**
 * Checks a queue configuration as CreateQueue would (names, ranges, FIFO-only settings) and fills in
 * AWS's defaults. Errors name `addQueue`, the field and AWS's own rule.
 *
 * @example
 * ```ts
 * resolveSqsQueueConfig({ queueName: "orders" }).visibilityTimeoutSeconds; // 30
 * ```
 */
export function resolveSqsQueueConfig(config: SqsQueueConfig): ResolvedSqsQueueConfig {
  const where = "addQueue";
  assertOptions(where, config, CONFIG_KEYS);
  assertString(where, "queueName", config.queueName);
  const fifo = config.fifoQueue ?? false;
  assertBoolean(where, "fifoQueue", fifo);
  if (!/^[A-Za-z0-9_-]{1,75}(\.fifo)?$/.test(config.queueName) || config.queueName.length > 80) {
    throw new ConfigurationError(
      "queueName",
      `${where}: queueName ${describe(config.queueName)} is not valid (AWS: up to 80 letters, digits, hyphens or underscores, FIFO names end in .fifo)`,
    );
  }
  if (fifo !== config.queueName.endsWith(".fifo")) {
    throw new ConfigurationError(
      "queueName",
      `${where}: ${config.queueName}: ${fifo ? "a FIFO queue name must end with .fifo" : "only a FIFO queue (fifoQueue: true) may end with .fifo"} (AWS: "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix")`,
    );
  }
  const visibility = config.visibilityTimeoutSeconds ?? DEFAULTS.visibilityTimeoutSeconds;
  assertIntInRange(
    where,
    "visibilityTimeoutSeconds",
    visibility,
    0,
    43_200,
    "VisibilityTimeout is 0 to 43200 seconds",
  );
  const retention = config.messageRetentionPeriodSeconds ?? DEFAULTS.messageRetentionPeriodSeconds;
  assertIntInRange(
    where,
    "messageRetentionPeriodSeconds",
    retention,
    60,
    1_209_600,
    "MessageRetentionPeriod is 60 seconds to 14 days",
  );
  const delay = config.delaySeconds ?? DEFAULTS.delaySeconds;
  assertIntInRange(where, "delaySeconds", delay, 0, 900, "DelaySeconds is 0 to 900");
  const maxSize = config.maximumMessageSize ?? DEFAULTS.maximumMessageSize;
  assertIntInRange(
    where,
    "maximumMessageSize",
    maxSize,
    1024,
    262_144,
    "MaximumMessageSize is 1024 to 262144 bytes",
  );
  if (config.contentBasedDeduplication !== undefined) {
    assertBoolean(where, "contentBasedDeduplication", config.contentBasedDeduplication);
    if (config.contentBasedDeduplication && !fifo) {
      throw new ConfigurationError(
        "contentBasedDeduplication",
        `${where}: ${config.queueName}: contentBasedDeduplication applies to FIFO queues only`,
      );
    }
  }
  if (config.redrivePolicy !== undefined) {
    assertOptions(`${where} redrivePolicy`, config.redrivePolicy, ["deadLetterTargetArn", "maxReceiveCount"]);
    assertString(where, "redrivePolicy.deadLetterTargetArn", config.redrivePolicy.deadLetterTargetArn);
    assertIntInRange(
      where,
      "redrivePolicy.maxReceiveCount",
      config.redrivePolicy.maxReceiveCount,
      1,
      1000,
      "maxReceiveCount is 1 to 1000",
    );
  }
  return {
    queueName: config.queueName,
    fifo,
    visibilityTimeoutSeconds: visibility,
    messageRetentionPeriodSeconds: retention,
    delaySeconds: delay,
    maximumMessageSize: maxSize,
    redrivePolicy: config.redrivePolicy,
    contentBasedDeduplication: config.contentBasedDeduplication ?? false,
  };
}
