import { ConfigurationError } from "../engine/errors.js";
import type { ModelEnv } from "../engine/ModelEnv.js";
import { Disposition } from "../engine/Outcomes.js";
import type { SqsMessage } from "./SqsMessage.js";
import type { SqsRedrivePolicy } from "./sqsQueueConfig.js";

/** A queue as a redrive sees it, from either end: the source queue, or its dead-letter queue. */
export interface RedriveQueue {
  readonly queueName: string;
  readonly arn: string;
  readonly fifo: boolean;
  /** Takes a message redriven from `sourceArn`: same id, body and attributes, receive count 0. */
  acceptRedriven(message: SqsMessage, parent: number, sourceArn: string): void;
}

/**
 * AWS's rules for a RedrivePolicy's target: a FIFO queue's dead-letter queue is FIFO, a standard
 * queue's is standard, and no queue is its own.
 *
 * @example
 * ```ts
 * checkDeadLetterQueue(payments, paymentsDlq); // throws a ConfigurationError when they differ in type
 * ```
 */
export function checkDeadLetterQueue(queue: RedriveQueue, dlq: RedriveQueue): void {
  if (dlq.fifo !== queue.fifo) {
    throw new ConfigurationError(
      "redrivePolicy.deadLetterTargetArn",
      `${queue.queueName}: the dead-letter queue of a ${queue.fifo ? "FIFO" : "standard"} queue must also be ${queue.fifo ? "FIFO" : "standard"} (AWS: "The dead-letter queue of a FIFO queue must also be a FIFO queue")`,
    );
  }
  if (dlq === queue) {
    throw new ConfigurationError(
      "redrivePolicy.deadLetterTargetArn",
      `${queue.queueName}: a queue cannot be its own dead-letter queue`,
    );
  }
}

/**
 * Moves a message, already removed from `queue`, to its dead-letter queue: the trace line, the
 * dead-lettered settlement of its event, then the copy in the DLQ (a new event linked to this one).
 * Redrive happens on the receive that would exceed maxReceiveCount, so the function is not invoked again.
 */
export function moveToDeadLetterQueue(
  env: ModelEnv,
  source: string,
  queue: RedriveQueue,
  policy: SqsRedrivePolicy | undefined,
  message: SqsMessage,
  dlq: RedriveQueue,
): void {
  if (env.trace.on) {
    env.trace.emit(source, "redrive", {
      messageId: message.messageId,
      receiveCount: message.receiveCount,
      to: dlq.queueName,
    });
  }
  env.outcomes.settle(message.eventId, Disposition.DeadLettered, {
    target: dlq.arn,
    reason: `maxReceiveCount ${policy?.maxReceiveCount} reached`,
    record: env.outcomes.detailed ? { messageId: message.messageId, body: message.body } : undefined,
  });
  dlq.acceptRedriven(message, message.eventId, queue.arn);
}
