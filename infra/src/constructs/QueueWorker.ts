import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import { SqsQueueRedriveAllowPolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy/index.js";
import { Construct } from "constructs";
import { DAY_SECONDS } from "../constants.js";
import { PropChecks } from "../PropChecks.js";
import { denyInsecureTransport } from "./denyInsecureTransport.js";
import type { NodeFunction } from "./NodeFunction.js";

/** Props of {@link QueueWorker}. */
export interface QueueWorkerProps {
  /** The function consuming the queue. */
  readonly fn: NodeFunction;
  /** Source queue name (`.fifo` suffix when `fifoQueue`). */
  readonly queueName: string;
  /** DLQ name. Default `<queueName>-dlq` (`<base>-dlq.fifo` for FIFO). */
  readonly deadLetterQueueName?: string;
  /** FIFO source and FIFO DLQ (a FIFO queue can only redrive to a FIFO DLQ). Default false. */
  readonly fifoQueue?: boolean;
  /** FIFO only: deduplicate by body hash instead of MessageDeduplicationId. Default false. */
  readonly contentBasedDeduplication?: boolean;
  /** Receives before a message moves to the DLQ, 1-1000. Default 5: AWS advises at least 5 so throttled receives do not dead-letter healthy messages. */
  readonly maxReceiveCount?: number;
  /** Messages per invocation: 1-10 without a batching window, up to 10000 with one (FIFO: 1-10). Default 10. */
  readonly batchSize?: number;
  /** Seconds to gather a batch, 0-300; not supported on FIFO. Default 0. */
  readonly maximumBatchingWindowInSeconds?: number;
  /** Maximum concurrent invocations from this mapping, 2-1000. Default none (bounded by the function's concurrency). */
  readonly maximumConcurrency?: number;
  /** Source retention in seconds, 60-1209600. Default 345600 (4 days, AWS's default). */
  readonly messageRetentionSeconds?: number;
  /** DLQ retention in seconds; must be longer than the source's. Default 1209600 (14 days, the maximum). */
  readonly deadLetterMessageRetentionSeconds?: number;
  /** Visibility timeout in seconds; at least 6 x function timeout + batching window. Default exactly that. */
  readonly visibilityTimeoutSeconds?: number;
}

/** The resolved settings of a queue worker: AWS-recommended defaults under the user's overrides. */
export interface QueueWorkerSettings {
  readonly fifoQueue: boolean;
  readonly maxReceiveCount: number;
  readonly batchSize: number;
  readonly maximumBatchingWindowInSeconds: number;
  readonly messageRetentionSeconds: number;
  readonly deadLetterMessageRetentionSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  readonly minimumVisibilityTimeoutSeconds: number;
}

/**
 * Best practice for an SQS-triggered function, as a pure function of the function's timeout and the
 * user's props. The visibility timeout is 6 x timeout + window (AWS: "at least six times the function
 * timeout plus MaximumBatchingWindowInSeconds") so a message is not redelivered while a batch that
 * waited for its window and then retried throttles is still running.
 *
 * @example
 * ```ts
 * import { queueWorkerDefaults } from "@rebound/infra/constructs/QueueWorker";
 * queueWorkerDefaults(10, {}).visibilityTimeoutSeconds; // 60
 * ```
 */
export function queueWorkerDefaults(
  functionTimeoutSeconds: number,
  props: Omit<QueueWorkerProps, "fn" | "queueName">,
): QueueWorkerSettings {
  const maximumBatchingWindowInSeconds = props.maximumBatchingWindowInSeconds ?? 0;
  const minimumVisibilityTimeoutSeconds = 6 * functionTimeoutSeconds + maximumBatchingWindowInSeconds;
  return {
    fifoQueue: props.fifoQueue ?? false,
    maxReceiveCount: props.maxReceiveCount ?? 5,
    batchSize: props.batchSize ?? 10,
    maximumBatchingWindowInSeconds,
    messageRetentionSeconds: props.messageRetentionSeconds ?? 4 * DAY_SECONDS,
    deadLetterMessageRetentionSeconds: props.deadLetterMessageRetentionSeconds ?? 14 * DAY_SECONDS,
    visibilityTimeoutSeconds: props.visibilityTimeoutSeconds ?? minimumVisibilityTimeoutSeconds,
    minimumVisibilityTimeoutSeconds,
  };
}

const QUEUE_WORKER_KEYS = [
  "fn",
  "queueName",
  "deadLetterQueueName",
  "fifoQueue",
  "contentBasedDeduplication",
  "maxReceiveCount",
  "batchSize",
  "maximumBatchingWindowInSeconds",
  "maximumConcurrency",
  "messageRetentionSeconds",
  "deadLetterMessageRetentionSeconds",
  "visibilityTimeoutSeconds",
] as const;

/**
 * An SQS queue, its DLQ and the event source mapping to a function. Always on, whatever the props:
 * `ReportBatchItemFailures` (one bad message never makes Lambda retry its whole batch), a redrive
 * policy, a redrive allow policy that lets only this source use the DLQ, SSE-SQS on both queues, and
 * queue policies that refuse requests without TLS.
 *
 * @example
 * ```ts
 * import { QueueWorker } from "@rebound/infra/constructs/QueueWorker";
 * const payments = new QueueWorker(stack, "payments", { fn: worker, queueName: "rebound-dev-payments" });
 * payments.deadLetterQueue.url; // where PARKING_QUEUE_URL points
 * ```
 */
export class QueueWorker extends Construct {
  public readonly queue: SqsQueue;
  public readonly deadLetterQueue: SqsQueue;
  public readonly mapping: LambdaEventSourceMapping;
  public readonly settings: QueueWorkerSettings;

  public constructor(scope: Construct, id: string, props: QueueWorkerProps) {
    super(scope, id);
    const settings = queueWorkerDefaults(props.fn.timeout, props);
    const checks = new PropChecks(`QueueWorker ${id}`, props, QUEUE_WORKER_KEYS);
    const fifo = settings.fifoQueue;
    checks.string(
      "queueName",
      props.queueName,
      fifo ? /^[A-Za-z0-9_-]{1,75}\.fifo$/ : /^[A-Za-z0-9_-]{1,80}$/,
      fifo ? 'a name ending in ".fifo" (fifoQueue is true)' : "1-80 characters of A-Z a-z 0-9 - _",
    );
    checks.require(
      !props.contentBasedDeduplication || fifo,
      "contentBasedDeduplication is a FIFO setting; set fifoQueue: true or remove it",
    );
    checks.integer("maxReceiveCount", props.maxReceiveCount, 1, 1000);
    checks.integer("batchSize", props.batchSize, 1, fifo ? 10 : 10_000);
    checks.require(
      settings.batchSize <= 10 || settings.maximumBatchingWindowInSeconds >= 1,
      `batchSize ${settings.batchSize} needs maximumBatchingWindowInSeconds >= 1 (Lambda allows more than 10 messages only with a window)`,
    );
    checks.integer("maximumBatchingWindowInSeconds", props.maximumBatchingWindowInSeconds, 0, 300);
    checks.require(
      !fifo || settings.maximumBatchingWindowInSeconds === 0,
      "maximumBatchingWindowInSeconds is not supported for FIFO queues; remove it",
    );
    checks.integer("maximumConcurrency", props.maximumConcurrency, 2, 1000);
    checks.integer("messageRetentionSeconds", props.messageRetentionSeconds, 60, 14 * DAY_SECONDS);
    checks.integer(
      "deadLetterMessageRetentionSeconds",
      props.deadLetterMessageRetentionSeconds,
      60,
      14 * DAY_SECONDS,
    );
    checks.require(
      settings.deadLetterMessageRetentionSeconds > settings.messageRetentionSeconds,
      `deadLetterMessageRetentionSeconds (${settings.deadLetterMessageRetentionSeconds}) must be longer than messageRetentionSeconds ` +
        `(${settings.messageRetentionSeconds}): a standard queue keeps a message's original enqueue time in the DLQ, so a shorter DLQ retention deletes dead letters early`,
    );
    checks.integer("visibilityTimeoutSeconds", props.visibilityTimeoutSeconds, 0, 43_200);
    checks.require(
      settings.visibilityTimeoutSeconds >= settings.minimumVisibilityTimeoutSeconds,
      `visibilityTimeoutSeconds (${settings.visibilityTimeoutSeconds}) must be at least 6 x function timeout (${props.fn.timeout}) + ` +
        `maximumBatchingWindowInSeconds (${settings.maximumBatchingWindowInSeconds}) = ${settings.minimumVisibilityTimeoutSeconds}; omit it to get exactly that`,
    );
    checks.throwIfAny();
    this.settings = settings;

    const deadLetterQueueName =
      props.deadLetterQueueName ??
      (fifo ? `${props.queueName.replace(/\.fifo$/, "")}-dlq.fifo` : `${props.queueName}-dlq`);
    this.deadLetterQueue = new SqsQueue(this, "dlq", {
      name: deadLetterQueueName,
      fifoQueue: fifo || undefined,
      messageRetentionSeconds: settings.deadLetterMessageRetentionSeconds,
      sqsManagedSseEnabled: true,
    });
    this.queue = new SqsQueue(this, "queue", {
      name: props.queueName,
      fifoQueue: fifo || undefined,
      contentBasedDeduplication: props.contentBasedDeduplication,
      messageRetentionSeconds: settings.messageRetentionSeconds,
      visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
      sqsManagedSseEnabled: true,
      redrivePolicy: JSON.stringify({
        deadLetterTargetArn: this.deadLetterQueue.arn,
        maxReceiveCount: settings.maxReceiveCount,
      }),
    });
    new SqsQueueRedriveAllowPolicy(this, "dlq-redrive-allow", {
      queueUrl: this.deadLetterQueue.url,
      redriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [this.queue.arn] }),
    });
    denyInsecureTransport(this, "queue-tls-only", this.queue);
    denyInsecureTransport(this, "dlq-tls-only", this.deadLetterQueue);
    this.mapping = new LambdaEventSourceMapping(this, "mapping", {
      functionName: props.fn.arn,
      eventSourceArn: this.queue.arn,
      batchSize: settings.batchSize,
      maximumBatchingWindowInSeconds: fifo ? undefined : settings.maximumBatchingWindowInSeconds,
      functionResponseTypes: ["ReportBatchItemFailures"],
      scalingConfig: props.maximumConcurrency ? { maximumConcurrency: props.maximumConcurrency } : undefined,
    });
    props.fn.addToRolePolicy({
      Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
      Resource: this.queue.arn,
    });
  }
}
