import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { OrderEvent } from "./orderEvent.js";

/**
 * Publishes order events to the `order-events` SNS topic, with the `type` message attribute so
 * subscribers can filter (receipts takes both types).
 *
 * @example
 * ```ts
 * await new OrderEventPublisher({ client: new SNSClient({}), topicArn }).publish(event);
 * ```
 */
export class OrderEventPublisher {
  readonly #client: SNSClient;
  readonly #topicArn: string;

  public constructor(options: { readonly client: SNSClient; readonly topicArn: string }) {
    this.#client = options.client;
    this.#topicArn = options.topicArn;
  }

  /** Returns the SNS message id. */
  public async publish(event: OrderEvent): Promise<string> {
    const { MessageId } = await this.#client.send(
      new PublishCommand({
        TopicArn: this.#topicArn,
        Message: JSON.stringify(event),
        MessageAttributes: { type: { DataType: "String", StringValue: event.type } },
      }),
    );
    return MessageId ?? "";
  }
}
