import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { drainQueue, startDynamo, startSqs, TEST_AWS } from "../src/index.js";

describe("startDynamo", () => {
  it("serves dynalite on loopback with the requested tables, and stops", async () => {
    const dynamo = await startDynamo({ orders: { partitionKey: "orderId", stream: true } });
    expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new DynamoDBClient({ ...TEST_AWS, endpoint: dynamo.endpoint });
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: "orders" }));
      expect(Table?.KeySchema).toEqual([{ AttributeName: "orderId", KeyType: "HASH" }]);
      expect(Table?.TableStatus).toBe("ACTIVE");
      await client.send(
        new PutItemCommand({ TableName: "orders", Item: { orderId: { S: "o-1" }, status: { S: "NEW" } } }),
      );
      const { Item } = await client.send(
        new GetItemCommand({ TableName: "orders", Key: { orderId: { S: "o-1" } } }),
      );
      expect(Item?.["status"]).toEqual({ S: "NEW" });
    } finally {
      client.destroy();
      await dynamo.stop();
    }
    await expect(fetch(dynamo.endpoint)).rejects.toThrow();
  });
});

describe("startSqs + drainQueue", () => {
  it("creates queues with their redrive policy and drains what was sent", async () => {
    const sqs = await startSqs({ payments: { dlq: "payments-dlq", maxReceiveCount: 3 }, "payments-dlq": {} });
    const client = new SQSClient({ ...TEST_AWS, endpoint: sqs.endpoint });
    try {
      const url = sqs.queueUrls["payments"]!;
      expect(url).toBe(`${sqs.endpoint}/123456789012/payments`);
      const { Attributes } = await client.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["RedrivePolicy"] }),
      );
      expect(JSON.parse(Attributes?.["RedrivePolicy"] ?? "{}")).toEqual({
        deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:payments-dlq",
        maxReceiveCount: 3,
      });
      await client.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: '{"orderId":"o-1"}',
          MessageAttributes: { kind: { DataType: "String", StringValue: "charge" } },
        }),
      );
      const drained = await drainQueue(sqs.endpoint, url);
      expect(drained).toHaveLength(1);
      expect(drained[0]?.body).toBe('{"orderId":"o-1"}');
      expect(drained[0]?.attributes).toEqual({ kind: "charge" });
      expect(await drainQueue(sqs.endpoint, url)).toEqual([]);
    } finally {
      client.destroy();
      await sqs.stop();
    }
  });
});
