import { parseArn } from "../engine/arn.js";
import { ConfigurationError } from "../engine/errors.js";
import { fifoSequenceNumber } from "../engine/fifoSequenceNumber.js";
import type { ModelEnv } from "../engine/ModelEnv.js";
import { Disposition } from "../engine/Outcomes.js";
import { assertBoolean, assertOptions, assertString, describe } from "../engine/validate.js";
import type { AsyncInvocationQueue } from "../lambda/AsyncInvocationQueue.js";
import type { LambdaFunction } from "../lambda/LambdaFunction.js";
import type { SqsQueue } from "../sqs/SqsQueue.js";
import type { SqsMessageAttributeValue } from "../sqs/sqsMd5.js";

/** An SNS topic's configuration. */
export interface SnsTopicConfig {
  /** FIFO topic names end in `.fifo`. */
  readonly name: string;
  readonly fifoTopic?: boolean;
}

/** A subscription: an SQS queue (as the envelope, or raw) or a Lambda function (invoked asynchronously). */
export interface SnsSubscriptionConfig {
  readonly topicArn: string;
  readonly protocol: "sqs" | "lambda";
  /** Queue ARN or function ARN. */
  readonly endpoint: string;
  /** SQS only: deliver the message itself instead of the JSON envelope. Default false. */
  readonly rawMessageDelivery?: boolean;
}

/** Publish options. */
export interface PublishOptions {
  readonly subject?: string;
  readonly messageAttributes?: Readonly<Record<string, SqsMessageAttributeValue>>;
  /** FIFO topics. */
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
}

interface Subscription {
  readonly arn: string;
  readonly protocol: "sqs" | "lambda";
  readonly endpoint: string;
  readonly raw: boolean;
}

const SIGNING_CERT = "SimpleNotificationService-0000000000000000000000000000000000000000.pem";

/** What a topic needs from the topology: its subscribers (queues, functions and their async queues). */
export interface SnsTopicEnv extends ModelEnv {
  /** A queue by name, ARN or URL; throws `ResourceNotFoundError` naming `where` when there is none. */
  queue(reference: string, where?: string): SqsQueue;
  /** A function by name or ARN; throws `ResourceNotFoundError` naming `where` when there is none. */
  function(reference: string, where?: string): LambdaFunction;
  /** The async invocation queue of a function (SNS invokes Lambda asynchronously). */
  asyncQueue(reference: string): AsyncInvocationQueue;
}

/**
 * An SNS topic fanning out to SQS queues and Lambda functions. A Lambda subscriber is invoked
 * asynchronously (so the function's async retries, destinations and DLQ apply); an SQS subscriber gets
 * the standard JSON envelope (or the raw message). SNS's own delivery retries are not modelled: SQS and
 * Lambda accept deliveries here, as they do on AWS unless the account is misconfigured.
 * Filter policies are not modelled (the Terraform loader lists them as unmodelled).
 *
 * Outcomes: the publish is an event of its own, settled `processed` once fanned out (`dropped` with no
 * subscription); each delivery is a new event whose `parent` is the publish.
 *
 * @example
 * ```ts
 * const topic = topology.addTopic({ name: "order-events" });
 * topology.subscribe({ topicArn: topic.arn, protocol: "lambda", endpoint: receipts.arn });
 * topology.publish("order-events", JSON.stringify({ orderId: 1 }));
 * ```
 */
export class SnsTopic {
  public readonly name: string;
  public readonly arn: string;
  public readonly fifo: boolean;
  readonly #subscriptions: Subscription[] = [];
  readonly #topology: SnsTopicEnv;
  readonly #source: string;

  public constructor(topology: SnsTopicEnv, config: SnsTopicConfig) {
    assertOptions("addTopic", config, ["name", "fifoTopic"]);
    assertString("addTopic", "name", config.name);
    const fifo = config.fifoTopic ?? false;
    assertBoolean("addTopic", "fifoTopic", fifo);
    if (fifo !== config.name.endsWith(".fifo")) {
      throw new ConfigurationError(
        "name",
        `addTopic: ${config.name}: a FIFO topic's name must end with .fifo, and only a FIFO topic's may`,
      );
    }
    this.#topology = topology;
    this.name = config.name;
    this.fifo = fifo;
    this.arn = `arn:aws:sns:${topology.region}:${topology.accountId}:${config.name}`;
    this.#source = `sns:${config.name}`;
  }

  /** Subscriptions, in the order they were made. */
  public get subscriptions(): readonly Subscription[] {
    return this.#subscriptions;
  }

  /** Adds a subscription. */
  public subscribe(config: SnsSubscriptionConfig): string {
    if (config.protocol !== "sqs" && config.protocol !== "lambda") {
      throw new ConfigurationError(
        "protocol",
        `subscribe: protocol must be "sqs" or "lambda", got ${describe(config.protocol)} (other protocols are not modelled)`,
      );
    }
    assertString("subscribe", "endpoint", config.endpoint);
    if (parseArn(config.endpoint)?.service !== config.protocol) {
      throw new ConfigurationError(
        "endpoint",
        `subscribe: endpoint ${describe(config.endpoint)} is not a ${config.protocol === "sqs" ? "queue" : "function"} ARN`,
      );
    }
    if (config.rawMessageDelivery !== undefined)
      assertBoolean("subscribe", "rawMessageDelivery", config.rawMessageDelivery);
    if (this.fifo && config.protocol !== "sqs") {
      throw new ConfigurationError(
        "protocol",
        `subscribe: ${this.name} is a FIFO topic; AWS lets only SQS queues subscribe to FIFO topics`,
      );
    }
    const arn = `${this.arn}:${this.#topology.newId()}`;
    this.#subscriptions.push({
      arn,
      protocol: config.protocol,
      endpoint: config.endpoint,
      raw: config.rawMessageDelivery ?? false,
    });
    return arn;
  }

  /** Checks that every endpoint exists and FIFO-ness matches. */
  public validateReferences(): void {
    for (const subscription of this.#subscriptions) {
      if (subscription.protocol === "sqs") {
        const queue = this.#topology.queue(subscription.endpoint, `${this.name} subscription endpoint`);
        // A FIFO topic delivers to FIFO and standard queues alike (a standard queue gets best-effort
        // ordering); only a standard topic and a FIFO queue do not go together.
        if (queue.fifo && !this.fifo) {
          throw new ConfigurationError(
            "endpoint",
            `${this.name}: a standard topic cannot deliver to a FIFO queue (${queue.queueName}); make the topic FIFO or the queue standard`,
          );
        }
      } else {
        this.#topology.function(subscription.endpoint, `${this.name} subscription endpoint`);
      }
    }
  }

  /** Publish: fans the message out to every subscription now. Returns the SNS message id. */
  public publish(message: string, options: PublishOptions = {}, parent?: number): string {
    assertOptions(`publish(${this.name})`, options, [
      "subject",
      "messageAttributes",
      "messageGroupId",
      "messageDeduplicationId",
    ]);
    if (typeof message !== "string" || message.length === 0) {
      throw new ConfigurationError(
        "message",
        `publish(${this.name}): the message must be a non-empty string`,
      );
    }
    if (this.fifo && typeof options.messageGroupId !== "string") {
      throw new ConfigurationError(
        "messageGroupId",
        `publish(${this.name}): FIFO topics require a messageGroupId`,
      );
    }
    const topology = this.#topology;
    const messageId = topology.newId();
    const eventId = topology.outcomes.inject(this.#source, messageId, parent);
    const timestamp = new Date(topology.simulation.now()).toISOString();
    if (topology.trace.on)
      topology.trace.emit(this.#source, "publish", {
        messageId,
        event: eventId,
        subscriptions: this.#subscriptions.length,
      });
    for (const subscription of this.#subscriptions) {
      const unsubscribeUrl = `https://sns.${topology.region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscription.arn}`;
      const signingCertUrl = `https://sns.${topology.region}.amazonaws.com/${SIGNING_CERT}`;
      const attributes = snsAttributes(options.messageAttributes);
      if (subscription.protocol === "sqs") {
        const queue = topology.queue(subscription.endpoint, `${this.name} subscription`);
        const body = subscription.raw
          ? message
          : JSON.stringify({
              Type: "Notification",
              MessageId: messageId,
              ...(this.fifo ? { SequenceNumber: fifoSequenceNumber(eventId) } : {}),
              TopicArn: this.arn,
              ...(options.subject !== undefined ? { Subject: options.subject } : {}),
              Message: message,
              Timestamp: timestamp,
              SignatureVersion: "1",
              Signature: "EXAMPLE",
              SigningCertURL: signingCertUrl,
              UnsubscribeURL: unsubscribeUrl,
              ...(attributes !== undefined ? { MessageAttributes: attributes } : {}),
            });
        queue.sendMessage(
          body,
          {
            ...(subscription.raw && options.messageAttributes !== undefined
              ? { messageAttributes: options.messageAttributes }
              : {}),
            ...(queue.fifo
              ? {
                  messageGroupId: options.messageGroupId!,
                  messageDeduplicationId: options.messageDeduplicationId ?? messageId,
                }
              : {}),
          },
          eventId,
        );
      } else {
        const event = {
          Records: [
            {
              EventSource: "aws:sns",
              EventVersion: "1.0",
              EventSubscriptionArn: subscription.arn,
              Sns: {
                Type: "Notification",
                MessageId: messageId,
                TopicArn: this.arn,
                Subject: options.subject ?? null,
                Message: message,
                Timestamp: timestamp,
                SignatureVersion: "1",
                Signature: "EXAMPLE",
                SigningCertUrl: signingCertUrl,
                UnsubscribeUrl: unsubscribeUrl,
                MessageAttributes: attributes ?? {},
              },
            },
          ],
        };
        topology.asyncQueue(subscription.endpoint).accept(event, topology.newId(), eventId);
      }
    }
    topology.outcomes.settle(
      eventId,
      this.#subscriptions.length > 0 ? Disposition.Processed : Disposition.Dropped,
      {
        reason:
          this.#subscriptions.length > 0
            ? `fanned out to ${this.#subscriptions.length} subscription(s)`
            : "no subscriptions",
        target: this.arn,
      },
    );
    return messageId;
  }
}

function snsAttributes(
  attributes: Readonly<Record<string, SqsMessageAttributeValue>> | undefined,
): Record<string, { Type: string; Value: string }> | undefined {
  if (attributes === undefined) return undefined;
  const result: Record<string, { Type: string; Value: string }> = {};
  for (const [name, value] of Object.entries(attributes)) {
    result[name] = {
      Type: value.DataType,
      Value: value.StringValue ?? Buffer.from(value.BinaryValue ?? new Uint8Array()).toString("base64"),
    };
  }
  return result;
}
