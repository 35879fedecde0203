import { freePort } from "./freePort.js";
import { type LocalServer, stopper } from "./localServer.js";

/**
 * A local SQS server plus the URLs of the queues it was started with.
 *
 * @example
 * ```ts
 * const sqs: LocalSqs = await startSqs({ payments: {} });
 * const url = sqs.queueUrls["payments"];
 * ```
 */
export interface LocalSqs extends LocalServer {
  readonly queueUrls: Record<string, string>;
}

/**
 * Queues to create: name → redrive target queue name (`dlq`) and `maxReceiveCount` (default 5).
 *
 * @example
 * ```ts
 * const queues: QueueSpec = { payments: { dlq: "payments-dlq", maxReceiveCount: 3 }, "payments-dlq": {} };
 * ```
 */
export type QueueSpec = Record<string, { readonly dlq?: string; readonly maxReceiveCount?: number }>;

/**
 * Starts local-aws-sqs on 127.0.0.1 (random free port) with the given queues; queues without a
 * redrive policy are created first so dead-letter targets exist.
 *
 * @example
 * ```ts
 * import { startSqs, TEST_AWS } from "@rebound/testing";
 * const sqs = await startSqs({ payments: { dlq: "payments-dlq" }, "payments-dlq": {} });
 * const client = new SQSClient({ ...TEST_AWS, endpoint: sqs.endpoint });
 * await client.send(new SendMessageCommand({ QueueUrl: sqs.queueUrls["payments"], MessageBody: "{}" }));
 * await sqs.stop();
 * ```
 */
export async function startSqs(queues: QueueSpec) {
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
