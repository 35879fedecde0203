// A real SQS-compatible server (local-aws-sqs) on a random loopback port, started by the test itself.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateQueueCommand, type Message, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { createRequestHandler } from "local-aws-sqs";

export interface LocalSqs {
  readonly endpoint: string;
  readonly client: SQSClient;
  createQueue(name: string, fifo?: boolean): Promise<string>;
  receiveAll(queueUrl: string): Promise<Message[]>;
  stop(): Promise<void>;
}

export const TEST_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
export const TEST_REGION = "eu-west-1";

export async function startLocalSqs(): Promise<LocalSqs> {
  const { service, requestHandler } = createRequestHandler({
    port: 0,
    hostname: "127.0.0.1",
    region: TEST_REGION,
    emulateQueueCreationLifecycle: false,
  });
  const server: Server = createServer((req, res) => void requestHandler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  // Queue URLs embed the port; the handler was created before the OS picked one.
  service.PORT = port;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SQSClient({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  return {
    endpoint,
    client,
    async createQueue(name, fifo = false) {
      const { QueueUrl } = await client.send(
        new CreateQueueCommand({ QueueName: name, Attributes: fifo ? { FifoQueue: "true" } : {} }),
      );
      return QueueUrl!;
    },
    async receiveAll(queueUrl) {
      const messages: Message[] = [];
      for (;;) {
        const { Messages } = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            MessageAttributeNames: ["All"],
            MessageSystemAttributeNames: ["All"],
            // local-aws-sqs reads the older name for system attributes.
            AttributeNames: ["All"],
            WaitTimeSeconds: 0,
          }),
        );
        if (!Messages?.length) return messages;
        messages.push(...Messages);
      }
    },
    async stop() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
