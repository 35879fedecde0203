import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DynaliteServer } from "../../src/aws/DynaliteServer.js";
import type { TableWriteChange } from "../../src/aws/DynamoDbProxy.js";
import { dynamoItemSizeBytes } from "../../src/aws/dynamoItemSize.js";
import { LocalAwsEndpoints } from "../../src/aws/LocalAwsEndpoints.js";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };

describe("LocalAwsEndpoints: DynamoDB through dynalite, with change capture for stream tables", () => {
  let dynalite: DynaliteServer;
  let endpoints: LocalAwsEndpoints;
  let client: DynamoDBClient;
  const changes: TableWriteChange[] = [];

  beforeAll(async () => {
    dynalite = await DynaliteServer.start();
    endpoints = await LocalAwsEndpoints.start({
      dynamodb: {
        endpoint: dynalite.endpoint,
        streamTables: ["orders"],
        onTableWrite: (change) => void changes.push(change),
      },
    });
    client = new DynamoDBClient({
      region: "us-east-1",
      endpoint: endpoints.url,
      credentials,
      maxAttempts: 1,
    });
    for (const [table, key] of [
      ["orders", "orderId"],
      ["idempotency", "id"],
    ] as const) {
      await client.send(
        new CreateTableCommand({
          TableName: table,
          KeySchema: [{ AttributeName: key, KeyType: "HASH" }],
          AttributeDefinitions: [{ AttributeName: key, AttributeType: "S" }],
          BillingMode: "PAY_PER_REQUEST",
        }),
      );
    }
  });

  beforeEach(() => {
    changes.length = 0;
  });

  afterAll(async () => {
    client.destroy();
    await endpoints.close();
    await dynalite.close();
  });

  it("captures an insert with the new image and the item's keys", async () => {
    await client.send(
      new PutItemCommand({
        TableName: "orders",
        Item: { orderId: { S: "o-1" }, status: { S: "PENDING" }, amountCents: { N: "1200" } },
      }),
    );
    expect(changes).toEqual([
      {
        tableName: "orders",
        eventName: "INSERT",
        keys: { orderId: { S: "o-1" } },
        newImage: { orderId: { S: "o-1" }, status: { S: "PENDING" }, amountCents: { N: "1200" } },
        sizeBytes:
          dynamoItemSizeBytes({ orderId: { S: "o-1" } }) +
          dynamoItemSizeBytes({
            orderId: { S: "o-1" },
            status: { S: "PENDING" },
            amountCents: { N: "1200" },
          }),
      },
    ]);
  });

  it("captures an update as MODIFY with the old and the new image", async () => {
    await client.send(
      new UpdateItemCommand({
        TableName: "orders",
        Key: { orderId: { S: "o-1" } },
        UpdateExpression: "SET #s = :paid",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":paid": { S: "PAID" } },
      }),
    );
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      eventName: "MODIFY",
      oldImage: { status: { S: "PENDING" } },
      newImage: { status: { S: "PAID" } },
    });
  });

  it("records nothing for a write that changes no data, as DynamoDB Streams documents", async () => {
    const item = await client.send(
      new GetItemCommand({ TableName: "orders", Key: { orderId: { S: "o-1" } } }),
    );
    await client.send(new PutItemCommand({ TableName: "orders", Item: item.Item! }));
    expect(changes).toEqual([]);
  });

  it("records nothing when a conditional write fails, and the SDK still sees the failure", async () => {
    const error = await client
      .send(
        new PutItemCommand({
          TableName: "orders",
          Item: { orderId: { S: "o-1" }, status: { S: "PENDING" } },
          ConditionExpression: "attribute_not_exists(orderId)",
        }),
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
    expect(changes).toEqual([]);
  });

  it("captures a delete as REMOVE with the old image, and nothing for deleting a missing item", async () => {
    await client.send(new DeleteItemCommand({ TableName: "orders", Key: { orderId: { S: "o-1" } } }));
    await client.send(new DeleteItemCommand({ TableName: "orders", Key: { orderId: { S: "o-none" } } }));
    expect(
      changes.map((change) => [change.eventName, change.keys, change.oldImage?.["status"], change.newImage]),
    ).toEqual([["REMOVE", { orderId: { S: "o-1" } }, { S: "PAID" }, undefined]]);
  });

  it("captures every item of a batch write on a stream table, in request order, and ignores other tables", async () => {
    await client.send(
      new PutItemCommand({ TableName: "orders", Item: { orderId: { S: "b-2" }, status: { S: "PENDING" } } }),
    );
    changes.length = 0;
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          orders: [
            { PutRequest: { Item: { orderId: { S: "b-1" }, status: { S: "PENDING" } } } },
            { DeleteRequest: { Key: { orderId: { S: "b-2" } } } },
          ],
          idempotency: [{ PutRequest: { Item: { id: { S: "k-1" } } } }],
        },
      }),
    );
    expect(changes.map((change) => [change.tableName, change.eventName, change.keys])).toEqual([
      ["orders", "INSERT", { orderId: { S: "b-1" } }],
      ["orders", "REMOVE", { orderId: { S: "b-2" } }],
    ]);
  });

  it("keeps old and new images consistent when writes to one item race", async () => {
    await client.send(
      new PutItemCommand({ TableName: "orders", Item: { orderId: { S: "race" }, n: { N: "0" } } }),
    );
    changes.length = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        client.send(
          new UpdateItemCommand({
            TableName: "orders",
            Key: { orderId: { S: "race" } },
            UpdateExpression: "ADD n :one",
            ExpressionAttributeValues: { ":one": { N: "1" } },
          }),
        ),
      ),
    );
    const transitions = changes.map((change) => [
      Number(change.oldImage?.["n"]?.["N"]),
      Number(change.newImage?.["n"]?.["N"]),
    ]);
    expect(transitions).toEqual(Array.from({ length: 20 }, (_, index) => [index, index + 1]));
  });

  it("captures a table registered after start", async () => {
    endpoints.captureTableWrites("idempotency");
    await client.send(new PutItemCommand({ TableName: "idempotency", Item: { id: { S: "k-2" } } }));
    expect(changes.map((change) => [change.tableName, change.eventName])).toEqual([
      ["idempotency", "INSERT"],
    ]);
  });

  it("answers DynamoDB calls with a clear error when started without dynalite", async () => {
    const bare = await LocalAwsEndpoints.start();
    const bareClient = new DynamoDBClient({
      region: "us-east-1",
      endpoint: bare.url,
      credentials,
      maxAttempts: 1,
    });
    const error = await bareClient
      .send(new GetItemCommand({ TableName: "orders", Key: { orderId: { S: "x" } } }))
      .catch((caught: unknown) => caught);
    bareClient.destroy();
    await bare.close();
    expect((error as Error).message).toContain("dynamodb option");
  });
});

describe("dynamoItemSizeBytes", () => {
  it.each([
    [{ a: { S: "xyz" } }, 4],
    [{ n: { N: "1200" } }, 1 + 1 + 1], // trailing zeros are trimmed: 2 significant digits
    [{ b: { BOOL: true } }, 2],
    [{ m: { M: { k: { S: "v" } } } }, 1 + 3 + 1 + 1 + 1],
    [{ l: { L: [{ S: "ab" }, { NULL: true }] } }, 1 + 3 + (1 + 2) + (1 + 1)],
  ])("sizes %j as %i bytes the way DynamoDB counts", (item, expected) => {
    expect(dynamoItemSizeBytes(item)).toBe(expected);
  });
});
