import { createRequire } from "node:module";
import { CreateTableCommand, DynamoDBClient, PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useCompactDynaliteStore } from "../../src/aws/compactDynaliteStore.js";
import { DynaliteServer } from "../../src/aws/DynaliteServer.js";

interface Store {
  put(key: string, value: unknown): Promise<void>;
  iterator(options: Record<string, unknown>): { all(): Promise<[Uint8Array, Uint8Array][]> };
  close(): Promise<void>;
}
type StoreClass = new (options?: Record<string, unknown>) => Store;

/** memory-level exactly as dynalite resolves it. */
function memoryLevel(): { MemoryLevel: StoreClass } {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve("dynalite"));
  return fromDynalite("memory-level") as { MemoryLevel: StoreClass };
}

describe("useCompactDynaliteStore: dynalite's in-memory store keeps exactly sized bytes", () => {
  it("stores each key and value in its own bytes, not a slice of Node's shared 8 KB Buffer pool", async () => {
    useCompactDynaliteStore();
    const db = new (memoryLevel().MemoryLevel)({ valueEncoding: "json" });
    await db.put("orders~o-1", { orderId: { S: "o-1" }, status: { S: "PLACED" } });
    const entries = await db.iterator({ keyEncoding: "view", valueEncoding: "view" }).all();
    expect(entries).toHaveLength(1);
    const [key, value] = entries[0]!;
    expect(new TextDecoder().decode(key)).toBe("orders~o-1");
    expect(key.buffer.byteLength).toBe(key.byteLength);
    expect(value.buffer.byteLength).toBe(value.byteLength);
    await db.close();
  });

  it("is installed once: calling it again keeps the same store class", () => {
    useCompactDynaliteStore();
    const first = memoryLevel().MemoryLevel;
    useCompactDynaliteStore();
    expect(memoryLevel().MemoryLevel).toBe(first);
  });

  describe("through a real dynalite on loopback", () => {
    let dynalite: DynaliteServer;
    let client: DynamoDBClient;

    beforeAll(async () => {
      dynalite = await DynaliteServer.start();
      client = new DynamoDBClient({
        region: "us-east-1",
        endpoint: dynalite.endpoint,
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: 1,
      });
      await client.send(
        new CreateTableCommand({
          TableName: "events",
          KeySchema: [
            { AttributeName: "pk", KeyType: "HASH" },
            { AttributeName: "sk", KeyType: "RANGE" },
          ],
          AttributeDefinitions: [
            { AttributeName: "pk", AttributeType: "S" },
            { AttributeName: "sk", AttributeType: "S" },
          ],
          BillingMode: "PAY_PER_REQUEST",
        }),
      );
    });

    afterAll(async () => {
      client.destroy();
      await dynalite.close();
    });

    it("still orders string sort keys by their UTF-8 bytes, as DynamoDB does", async () => {
      // UTF-8 byte order puts U+FF21 before U+1F600; UTF-16 code-unit order would put the emoji first.
      const keys = ["b", "B", "é", "\uff21", "\u{1f600}", "a"];
      for (const sk of keys)
        await client.send(
          new PutItemCommand({ TableName: "events", Item: { pk: { S: "p" }, sk: { S: sk } } }),
        );
      const result = await client.send(
        new QueryCommand({
          TableName: "events",
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": { S: "p" } },
        }),
      );
      expect(result.Items?.map((item) => item["sk"]?.S)).toEqual(["B", "a", "b", "é", "\uff21", "\u{1f600}"]);
    });
  });
});
