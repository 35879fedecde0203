import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Order } from "./order.js";

/** The payments queue body, exactly as the payments worker parses it. */
export interface PaymentRequest {
  readonly orderId: string;
  readonly amountCents: number;
  readonly currency: string;
}

/**
 * Enqueues the payment request of an order on the `payments` queue.
 *
 * @example
 * ```ts
 * await new PaymentQueue({ client: new SQSClient({}), queueUrl }).enqueue(order);
 * ```
 */
export class PaymentQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  public constructor(options: { readonly client: SQSClient; readonly queueUrl: string }) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
  }

  /** Sends one message; returns its SQS message id. */
  public async enqueue(order: Order): Promise<string | undefined> {
    const request: PaymentRequest = {
      orderId: order.orderId,
      amountCents: order.amountCents,
      currency: order.currency,
    };
    const { MessageId } = await this.#client.send(
      new SendMessageCommand({ QueueUrl: this.#queueUrl, MessageBody: JSON.stringify(request) }),
    );
    return MessageId;
  }
}
