import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";

/**
 * Enqueues a paid order on the `fulfillment` queue (body `{"orderId"}`); the starter names the
 * execution after the message id, so this must send once per paid order (see createOrderEvents).
 *
 * @example
 * ```ts
 * await new FulfillmentQueue({ client: new SQSClient({}), queueUrl }).enqueue("ord_1");
 * ```
 */
export class FulfillmentQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  public constructor(options: { readonly client: SQSClient; readonly queueUrl: string }) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
  }

  /** Returns the SQS message id. */
  public async enqueue(orderId: string): Promise<string> {
    const { MessageId } = await this.#client.send(
      new SendMessageCommand({ QueueUrl: this.#queueUrl, MessageBody: JSON.stringify({ orderId }) }),
    );
    return MessageId ?? "";
  }
}
