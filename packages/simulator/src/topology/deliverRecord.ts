import type { EventBus } from "../destinations/EventBus.js";
import type { S3Bucket } from "../destinations/S3Bucket.js";
import type { SnsTopic } from "../destinations/SnsTopic.js";
import { parseArn } from "../engine/arn.js";
import { ConfigurationError } from "../engine/errors.js";
import type { Trace } from "../engine/Trace.js";
import { describe } from "../engine/validate.js";
import type { AsyncInvocationQueue } from "../lambda/AsyncInvocationQueue.js";
import type { DeliveryContext } from "../lambda/Deliveries.js";
import type { SqsQueue } from "../sqs/SqsQueue.js";

/** The lookups a delivery needs: every kind of target, by ARN. `Topology` implements them. */
export interface DeliveryLookups {
  readonly trace: Trace;
  queue(reference: string, where?: string): SqsQueue;
  topic(reference: string, where?: string): SnsTopic;
  asyncQueue(reference: string, where?: string): AsyncInvocationQueue;
  eventBus(reference: string, where?: string): EventBus;
  bucket(reference: string, where?: string): S3Bucket;
  newId(): string;
}

/**
 * Sends a destination record or DLQ message to a target ARN: an SQS queue (as the body), an SNS topic
 * (as `Message`), a Lambda function (as an async invoke payload), an EventBridge bus (as `detail`) or
 * an S3 bucket (as the object). Returns false when AWS could not deliver it (a FIFO queue or topic is
 * not a valid destination: DestinationDeliveryFailures), in which case the record is lost, as on AWS.
 *
 * @example
 * ```ts
 * import { deliverRecord } from "@rebound/simulator";
 * deliverRecord(topology, "arn:aws:sqs:eu-west-1:123456789012:failures", record, { parent: eventId });
 * ```
 */
export function deliverRecord(
  targets: DeliveryLookups,
  targetArn: string,
  record: unknown,
  context: DeliveryContext,
): boolean {
  const service = parseArn(targetArn)?.service;
  const body = typeof record === "string" ? record : JSON.stringify(record);
  switch (service) {
    case "sqs": {
      const queue = targets.queue(targetArn, "destination");
      if (queue.fifo)
        return undeliverable(targets.trace, targetArn, "FIFO queues are not supported as destinations");
      queue.sendMessage(
        body,
        context.messageAttributes ? { messageAttributes: context.messageAttributes } : {},
        context.parent,
      );
      return true;
    }
    case "sns": {
      const topic = targets.topic(targetArn, "destination");
      if (topic.fifo)
        return undeliverable(targets.trace, targetArn, "FIFO topics are not supported as destinations");
      topic.publish(
        body,
        context.messageAttributes ? { messageAttributes: context.messageAttributes } : {},
        context.parent,
      );
      return true;
    }
    case "lambda": {
      const queue = targets.asyncQueue(targetArn, "destination");
      queue.accept(typeof record === "string" ? JSON.parse(record) : record, targets.newId(), context.parent);
      return true;
    }
    case "events": {
      targets.eventBus(targetArn, "destination").putLambdaResult(record, context);
      return true;
    }
    case "s3": {
      targets
        .bucket(targetArn, "destination")
        .putObject(context.objectKey ?? `aws/lambda/${targets.newId()}`, body);
      return true;
    }
    default:
      throw new ConfigurationError(
        "destination",
        `destination ${describe(targetArn)} is not an SQS, SNS, Lambda, EventBridge or S3 ARN`,
      );
  }
}

function undeliverable(trace: Trace, targetArn: string, reason: string): boolean {
  if (trace.on) trace.emit("lambda", "destination-delivery-failure", { target: targetArn, reason });
  return false;
}
