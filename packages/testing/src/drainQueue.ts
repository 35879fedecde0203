import { TEST_AWS } from "./testAws.js";

/**
 * One message taken off a queue by {@link drainQueue}: body, message id and string message attributes.
 *
 * @example
 * ```ts
 * const [first]: DrainedMessage[] = await drainQueue(sqs.endpoint, url);
 * JSON.parse(first.body);
 * ```
 */
export interface DrainedMessage {
  body: string;
  attributes: Record<string, string>;
  messageId: string;
}

/**
 * Receives and deletes every message currently visible on a queue (up to `max`, default 50).
 *
 * @example
 * ```ts
 * import { drainQueue } from "@rebound/testing";
 * const messages = await drainQueue(sqs.endpoint, sqs.queueUrls["payments-dlq"]!);
 * expect(messages).toHaveLength(1);
 * ```
 */
export async function drainQueue(endpoint: string, queueUrl: string, max = 50): Promise<DrainedMessage[]> {
  const { SQSClient, ReceiveMessageCommand, DeleteMessageCommand } = await import("@aws-sdk/client-sqs");
  const client = new SQSClient({ ...TEST_AWS, endpoint });
  const messages: DrainedMessage[] = [];
  try {
    while (messages.length < max) {
      const { Messages } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ["All"],
          MessageSystemAttributeNames: ["All"],
        }),
      );
      if (!Messages || Messages.length === 0) break;
      for (const message of Messages) {
        messages.push({
          body: message.Body ?? "",
          messageId: message.MessageId ?? "",
          attributes: Object.fromEntries(
            Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ""]),
          ),
        });
        await client.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
        );
      }
    }
  } finally {
    client.destroy();
  }
  return messages;
}
