import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";

const require = createRequire(import.meta.url);
// dynalite is CommonJS without types: (options) => http.Server.
const dynalite = require("dynalite") as (options: { createTableMs: number; path?: string }) => Server;

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** Creates a table with a string partition key `keyAttribute` (default `id`). */
  createTable(name: string, keyAttribute?: string): Promise<void>;
  /** Stops the server and drops open keep-alive sockets, so the client sees connection errors. */
  stop(): Promise<void>;
}

/**
 * Starts dynalite on 127.0.0.1 with a free port. With `path`, data lives in LevelDB files there and
 * survives a stop and a restart on the same path.
 */
export async function startDynalite(options: { path?: string } = {}): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  let stopped = false;
  return {
    endpoint,
    client,
    async createTable(name, keyAttribute = "id") {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: keyAttribute, AttributeType: "S" }],
          KeySchema: [{ AttributeName: keyAttribute, KeyType: "HASH" }],
          BillingMode: "PAY_PER_REQUEST",
        }),
      );
      // dynalite marks the table ACTIVE on a later tick (and, with a LevelDB path, after a disk write):
      // a write sent before that gets ResourceNotFoundException on a loaded machine, so wait for it.
      for (let attempt = 0; attempt < 200; attempt++) {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
        if (Table?.TableStatus === "ACTIVE") return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`table ${name} did not become ACTIVE`);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Counts requests sent through `client`, by command name. */
export function countRequests(client: DynamoDBClient): {
  readonly byCommand: Map<string, number>;
  total(): number;
  reset(): void;
} {
  const byCommand = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName);
      byCommand.set(name, (byCommand.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: "countRequests" },
  );
  return {
    byCommand,
    total: () => [...byCommand.values()].reduce((sum, n) => sum + n, 0),
    reset: () => byCommand.clear(),
  };
}
