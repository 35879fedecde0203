// Test support: real local AWS-compatible servers on loopback, started by the tests themselves.
// (Copied per app on purpose: apps do not import each other and a shared test package would be
// picked up as an eighth app.)
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Fake credentials and region so the SDK never looks for real ones. */
export const TEST_AWS = {
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
} as const;

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

/** Table definitions to create on the local DynamoDB: name → partition key attribute (S). */
export type TableSpec = Record<string, { readonly partitionKey: string; readonly stream?: boolean }>;

/** Starts dynalite on 127.0.0.1 (random free port) and creates the given tables. */
export async function startDynamo(tables: TableSpec): Promise<LocalServer> {
  const { default: dynalite } = await import("dynalite");
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { DynamoDBClient, CreateTableCommand } = await import("@aws-sdk/client-dynamodb");
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
  }
  client.destroy();
  return { endpoint, stop: stopper(server) };
}
