import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type LocalServer, stopper } from "./localServer.js";
import { TEST_AWS } from "./testAws.js";

/**
 * Table definitions to create on the local DynamoDB: name → partition key attribute (S), and whether
 * the table has a stream (NEW_AND_OLD_IMAGES).
 *
 * @example
 * ```ts
 * const tables: TableSpec = { orders: { partitionKey: "orderId", stream: true } };
 * ```
 */
export type TableSpec = Record<string, { readonly partitionKey: string; readonly stream?: boolean }>;

/**
 * Starts dynalite on 127.0.0.1 (random free port) and creates the given tables.
 *
 * @example
 * ```ts
 * import { startDynamo, TEST_AWS } from "@rebound/testing";
 * const dynamo = await startDynamo({ orders: { partitionKey: "orderId" } });
 * const client = new DynamoDBClient({ ...TEST_AWS, endpoint: dynamo.endpoint });
 * // ...
 * await dynamo.stop();
 * ```
 */
export async function startDynamo(tables: TableSpec): Promise<LocalServer> {
  const { default: dynalite } = await import("dynalite");
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { DynamoDBClient, CreateTableCommand, DescribeTableCommand } = await import(
    "@aws-sdk/client-dynamodb"
  );
  const client = new DynamoDBClient({ ...TEST_AWS, endpoint });
  for (const [TableName, spec] of Object.entries(tables)) {
    await client.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: spec.partitionKey, AttributeType: "S" }],
        KeySchema: [{ AttributeName: spec.partitionKey, KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
        ...(spec.stream
          ? { StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" } }
          : {}),
      }),
    );
    // dynalite marks a new table ACTIVE on a later tick; a write before that fails on a loaded machine.
    for (let attempt = 0; attempt < 200; attempt++) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName }));
      if (Table?.TableStatus === "ACTIVE") break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  client.destroy();
  return { endpoint, stop: stopper(server) };
}
