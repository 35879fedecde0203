import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import { Construct } from "constructs";
import { DAY_SECONDS } from "../constants.js";
import { PropChecks } from "../PropChecks.js";
import { denyInsecureTransport } from "./denyInsecureTransport.js";

/** Props of {@link MessageQueue}. */
export interface MessageQueueProps {
  /** Queue name; a FIFO queue's name must end in `.fifo`. */
  readonly queueName: string;
  /** FIFO queue. Default false. */
  readonly fifoQueue?: boolean;
  /** Retention in seconds, 60-1209600 (14 days). Default 1209600: a failure record is worth keeping as long as SQS allows. */
  readonly messageRetentionSeconds?: number;
  /** Visibility timeout in seconds, 0-43200. Default 30 (AWS's). Raise it when a function consumes the queue. */
  readonly visibilityTimeoutSeconds?: number;
}

/**
 * A standalone SQS queue with encryption at rest (SSE-SQS) that refuses requests without TLS: an on-failure destination, a parking
 * queue for permanent failures, or the last-resort DLQ of the alert function.
 *
 * @example
 * ```ts
 * import { MessageQueue } from "@rebound/infra/constructs/MessageQueue";
 * const parked = new MessageQueue(stack, "parked-events", { queueName: "rebound-dev-parked-events" });
 * ```
 */
export class MessageQueue extends Construct {
  public readonly queue: SqsQueue;

  public constructor(scope: Construct, id: string, props: MessageQueueProps) {
    super(scope, id);
    const checks = new PropChecks(`MessageQueue ${id}`, props, [
      "queueName",
      "fifoQueue",
      "messageRetentionSeconds",
      "visibilityTimeoutSeconds",
    ]);
    checks.string(
      "queueName",
      props.queueName,
      /^[A-Za-z0-9_-]{1,75}(\.fifo)?$/,
      "1-80 characters of A-Z a-z 0-9 - _",
    );
    checks.require(
      (props.fifoQueue ?? false) === props.queueName.endsWith(".fifo"),
      `queueName "${props.queueName}" must end in ".fifo" exactly when fifoQueue is true`,
    );
    checks.integer("messageRetentionSeconds", props.messageRetentionSeconds, 60, 14 * DAY_SECONDS);
    checks.integer("visibilityTimeoutSeconds", props.visibilityTimeoutSeconds, 0, 43_200);
    checks.throwIfAny();
    this.queue = new SqsQueue(this, "queue", {
      name: props.queueName,
      fifoQueue: props.fifoQueue || undefined,
      messageRetentionSeconds: props.messageRetentionSeconds ?? 14 * DAY_SECONDS,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds,
      sqsManagedSseEnabled: true,
    });
    denyInsecureTransport(this, "tls-only", this.queue);
  }

  public get arn(): string {
    return this.queue.arn;
  }

  public get url(): string {
    return this.queue.url;
  }

  public get name(): string {
    return this.queue.name;
  }
}
