import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynaliteServer } from "../../src/aws/DynaliteServer.js";
import type { TableWriteChange } from "../../src/aws/DynamoDbProxy.js";
import { LocalAwsEndpoints } from "../../src/aws/LocalAwsEndpoints.js";

// The DynamoDB proxy calling dynalite's own request handler in memory answers exactly as it does over
// HTTP: the same items, the same errors, the same captured changes.
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const SIGNED = {
  "content-type": "application/x-amz-json-1.0",
  "x-amz-date": "20260101T000000Z",
  authorization:
    "AWS4-HMAC-SHA256 Credential=t/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
};

describe("dynalite in memory", () => {
  let dynalite: DynaliteServer;
  const changes: { via: string; change: TableWriteChange }[] = [];
  let servedInMemory = 0;
  const endpoints: Record<"socket" | "memory", LocalAwsEndpoints> = {} as never;
  const clients: Record<"socket" | "memory", DynamoDBClient> = {} as never;

  beforeAll(async () => {
    dynalite = await DynaliteServer.start();
    for (const via of ["socket", "memory"] as const) {
      endpoints[via] = await LocalAwsEndpoints.start({
        dynamodb: {
          endpoint: dynalite.endpoint,
          streamTables: ["orders"],
          onTableWrite: (change) => void changes.push({ via, change }),
          ...(via === "memory"
            ? {
                serve: (body, headers) => {
                  servedInMemory += 1;
                  return dynalite.serveInMemory(body, headers);
                },
              }
            : {}),
        },
      });
      clients[via] = new DynamoDBClient({
        region: "us-east-1",
        endpoint: endpoints[via].url,
        credentials,
        maxAttempts: 1,
      });
    }
    await clients.socket.send(
      new CreateTableCommand({
        TableName: "orders",
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  });

  afterAll(async () => {
    for (const via of ["socket", "memory"] as const) {
      clients[via].destroy();
      await endpoints[via].close();
    }
    await dynalite.close();
  });

  it("answers a request as dynalite's HTTP server does: same body, same checksum header", async () => {
    const body = Buffer.from(JSON.stringify({ TableName: "orders" }));
    const headers = { ...SIGNED, "x-amz-target": "DynamoDB_20120810.DescribeTable" };
    const memory = await dynalite.serveInMemory(body, headers);
    const socket = await fetch(dynalite.endpoint, { method: "POST", headers, body });
    const socketBody = Buffer.from(await socket.arrayBuffer());
    expect(memory.statusCode).toBe(socket.status);
    expect(memory.body.toString()).toBe(socketBody.toString());
    expect(memory.headers["x-amz-crc32"]).toBe(socket.headers.get("x-amz-crc32"));
  });

  it("stores, reads and refuses through the proxy alike, and captures the same changes", async () => {
    for (const via of ["socket", "memory"] as const) {
      const client = clients[via];
      await client.send(
        new PutItemCommand({ TableName: "orders", Item: { pk: { S: `o-${via}` }, status: { S: "NEW" } } }),
      );
      const read = await client.send(
        new GetItemCommand({ TableName: "orders", Key: { pk: { S: `o-${via}` } } }),
      );
      expect(read.Item).toEqual({ pk: { S: `o-${via}` }, status: { S: "NEW" } });
      const conflict = await client
        .send(
          new PutItemCommand({
            TableName: "orders",
            Item: { pk: { S: `o-${via}` } },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        )
        .catch((error: unknown) => error);
      expect(conflict).toBeInstanceOf(ConditionalCheckFailedException);
      const missing = await client
        .send(new GetItemCommand({ TableName: "nope", Key: { pk: { S: "x" } } }))
        .catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(ResourceNotFoundException);
    }
    // The table's key schema (once), PutItem (before, write, after), GetItem, the refused PutItem
    // (before, write), the missing table.
    expect(servedInMemory).toBe(8);
    const captured = (via: string) =>
      changes.filter((entry) => entry.via === via).map(({ change }) => [change.eventName, change.keys.pk]);
    expect(captured("memory")).toEqual([["INSERT", { S: "o-memory" }]]);
    expect(captured("socket")).toEqual([["INSERT", { S: "o-socket" }]]);
  });
});
