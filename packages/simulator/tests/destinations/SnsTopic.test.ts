import { describe, expect, it } from "vitest";
import { InvariantChecker, scripted, Topology } from "../../src/index.js";

describe("SNS fan-out", () => {
  it("delivers the JSON envelope to SQS and an SNS event to Lambda (async), linking each delivery to the publish", () => {
    const topology = new Topology({ startMs: Date.UTC(2026, 0, 1) });
    const checker = new InvariantChecker(topology);
    const topic = topology.addTopic({ name: "order-events" });
    const queue = topology.addQueue({ queueName: "audit" });
    const raw = topology.addQueue({ queueName: "raw" });
    const events: unknown[] = [];
    const receipts = topology.addFunction({
      functionName: "receipts",
      handler: (event) => void events.push(event),
    });
    topology.subscribe({ topicArn: topic.arn, protocol: "sqs", endpoint: queue.arn });
    topology.subscribe({ topicArn: topic.arn, protocol: "sqs", endpoint: raw.arn, rawMessageDelivery: true });
    topology.subscribe({ topicArn: topic.arn, protocol: "lambda", endpoint: receipts.arn });
    const messageId = topology.publish("order-events", '{"orderId":1}', { subject: "created" })!;
    topology.run();
    expect(JSON.parse(queue.messages()[0]!.body)).toMatchObject({
      Type: "Notification",
      MessageId: messageId,
      TopicArn: topic.arn,
      Subject: "created",
      Message: '{"orderId":1}',
      Timestamp: "2026-01-01T00:00:00.000Z",
      SignatureVersion: "1",
    });
    expect(raw.messages()[0]!.body).toBe('{"orderId":1}');
    expect(events[0]).toMatchObject({
      Records: [
        {
          EventSource: "aws:sns",
          EventVersion: "1.0",
          Sns: { MessageId: messageId, Message: '{"orderId":1}', Subject: "created" },
        },
      ],
    });
    const publish = topology.outcomes.byKey(messageId)!;
    expect(publish.disposition).toBe("processed");
    const children = topology.outcomes.all().filter((event) => event.parent === publish.id);
    expect(children.map((child) => child.source).sort()).toEqual(["async:receipts", "sqs:audit", "sqs:raw"]);
    expect(checker.violations()).toEqual([]);
  });

  it("drops a message published to a topic without subscriptions", () => {
    const topology = new Topology();
    topology.addTopic({ name: "lonely" });
    const id = topology.publish("lonely", "x")!;
    expect(topology.outcomes.byKey(id)?.disposition).toBe("dropped");
  });

  it("lets only SQS queues subscribe to a FIFO topic", () => {
    const topology = new Topology();
    const topic = topology.addTopic({ name: "t.fifo", fifoTopic: true });
    const fn = topology.addFunction({ functionName: "f", handler: scripted.succeed() });
    expect(() => topology.subscribe({ topicArn: topic.arn, protocol: "lambda", endpoint: fn.arn })).toThrow(
      /only SQS queues/,
    );
  });

  it("delivers from a FIFO topic to FIFO and standard queues, with distinct increasing sequence numbers", () => {
    const topology = new Topology({ startMs: Date.UTC(2026, 0, 1) });
    const topic = topology.addTopic({ name: "prices.fifo", fifoTopic: true });
    const wholesale = topology.addQueue({
      queueName: "wholesale.fifo",
      fifoQueue: true,
      contentBasedDeduplication: true,
    });
    const analytics = topology.addQueue({ queueName: "analytics" });
    topology.subscribe({ topicArn: topic.arn, protocol: "sqs", endpoint: wholesale.arn });
    topology.subscribe({ topicArn: topic.arn, protocol: "sqs", endpoint: analytics.arn });
    for (let index = 1; index <= 12; index++)
      topology.publish("prices.fifo", `{"price":${index}}`, {
        messageGroupId: "p",
        messageDeduplicationId: `d${index}`,
      });
    topology.run();
    const envelopes = (queue: typeof analytics) =>
      queue
        .messages()
        .map((message) => JSON.parse(message.body) as { Message: string; SequenceNumber: string });
    expect(envelopes(wholesale).map((envelope) => envelope.Message)).toEqual(
      Array.from({ length: 12 }, (_, index) => `{"price":${index + 1}}`),
    );
    expect(envelopes(analytics)).toHaveLength(12);
    const numbers = envelopes(wholesale).map((envelope) => BigInt(envelope.SequenceNumber));
    expect(new Set(numbers).size).toBe(12);
    for (let index = 1; index < numbers.length; index++)
      expect(numbers[index]! > numbers[index - 1]!).toBe(true);
  });

  it("refuses a FIFO queue on a standard topic", () => {
    const topology = new Topology();
    const topic = topology.addTopic({ name: "plain" });
    const queue = topology.addQueue({ queueName: "q.fifo", fifoQueue: true });
    topology.subscribe({ topicArn: topic.arn, protocol: "sqs", endpoint: queue.arn });
    expect(() => topology.publish("plain", "x")).toThrow(/a standard topic cannot deliver to a FIFO queue/);
  });
});
