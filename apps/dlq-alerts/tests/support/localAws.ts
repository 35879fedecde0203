// Test support: real local AWS-compatible servers on loopback, started by the tests themselves.
// (Copied per app on purpose: apps do not import each other and a shared test package would be
// picked up as an eighth app.)
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer as createNetServer } from "node:net";

/** Fake credentials and region so the SDK never looks for real ones. */
export const TEST_AWS = {
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
} as const;

async function freePort(): Promise<number> {
  const probe = createNetServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A running local server: its endpoint URL and how to stop it. */
export interface LocalServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

function stopper(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
}

/** A local SQS server plus the URLs of the queues it was started with. */
export interface LocalSqs extends LocalServer {
  readonly queueUrls: Record<string, string>;
}

/** Starts local-aws-sqs on 127.0.0.1 with the given queues (name → redrive target name, if any). */
export async function startSqs(
  queues: Record<string, { readonly dlq?: string; readonly maxReceiveCount?: number }>,
) {
  const { createSqsServer } = await import("local-aws-sqs");
  const port = await freePort();
  const accountId = "123456789012";
  const names = Object.keys(queues).sort(
    (a, b) => Number(Boolean(queues[a]?.dlq)) - Number(Boolean(queues[b]?.dlq)),
  );
  const server = await createSqsServer({
    port,
    hostname: "127.0.0.1",
    accountId,
    emulateQueueCreationLifecycle: false,
    queues: names.map((QueueName) => {
      const spec = queues[QueueName];
      return spec?.dlq === undefined
        ? { QueueName }
        : {
            QueueName,
            Attributes: {
              RedrivePolicy: JSON.stringify({
                deadLetterTargetArn: `arn:aws:sqs:us-east-1:${accountId}:${spec.dlq}`,
                maxReceiveCount: spec.maxReceiveCount ?? 5,
              }),
            },
          };
    }),
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const queueUrls = Object.fromEntries(names.map((name) => [name, `${endpoint}/${accountId}/${name}`]));
  return { endpoint, queueUrls, stop: stopper(server) } satisfies LocalSqs;
}

/** Receives and deletes every message currently visible on a queue (up to `max`). */
export async function drainQueue(endpoint: string, queueUrl: string, max = 50) {
  const { SQSClient, ReceiveMessageCommand, DeleteMessageCommand } = await import("@aws-sdk/client-sqs");
  const client = new SQSClient({ ...TEST_AWS, endpoint });
  const messages: { body: string; attributes: Record<string, string>; messageId: string }[] = [];
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
