import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { canonicalItem, dynamoItemSizeBytes } from "./dynamoItemSize.js";
import { EnvironmentError } from "./errors.js";
import type { AttributeMapJson, Awaitable } from "./ServiceBackends.js";

/**
 * One change to an item of a stream-enabled table, as DynamoDB Streams would record it. The stream
 * model turns it into a stream record (sequence number, virtual time, view type).
 *
 * @example
 * ```ts
 * import type { TableWriteChange } from "@rebound/simulator";
 * const onTableWrite = (change: TableWriteChange) => stream.append(change); // INSERT | MODIFY | REMOVE
 * ```
 */
export interface TableWriteChange {
  readonly tableName: string;
  readonly eventName: "INSERT" | "MODIFY" | "REMOVE";
  readonly keys: AttributeMapJson;
  /** The item before the write; absent for INSERT. */
  readonly oldImage?: AttributeMapJson;
  /** The item after the write; absent for REMOVE. */
  readonly newImage?: AttributeMapJson;
  /**
   * DynamoDB's item-size accounting of keys + old image + new image. AWS documents `SizeBytes` only
   * as "the size of the stream record"; the stream model may drop the images its view type excludes.
   */
  readonly sizeBytes: number;
}

/** dynalite served in this process: a request's body and headers in, its whole answer out. */
export type DynaliteInMemory = (
  body: Buffer,
  headers: Readonly<Record<string, string>>,
) => Promise<ForwardedResponse>;

/** Called once per captured change, before the write's response goes back to the caller. */
export type TableWriteListener = (change: TableWriteChange) => Awaitable<void>;

/** A response from dynalite, buffered. */
export interface ForwardedResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const WRITE_OPERATIONS: readonly string[] = ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"];
const TARGET_PREFIX = "DynamoDB_20120810.";

/**
 * Forwards DynamoDB JSON requests to dynalite and captures the item changes of stream-enabled tables.
 *
 * For each successful PutItem, UpdateItem, DeleteItem and BatchWriteItem on a captured table, it reads
 * the item (consistent read) before and after the write, with the writes of that table serialized so
 * both images belong to that write, and reports INSERT, MODIFY or REMOVE. A failed write (a
 * conditional check that fails, a validation error) changes nothing and reports nothing.
 *
 * A write that changes no data (a PutItem of an identical item, an UpdateItem setting the same
 * values, a DeleteItem of a missing key) reports nothing either: the DynamoDB Developer Guide
 * ("Change data capture for DynamoDB Streams") says "If you perform a PutItem or UpdateItem operation
 * that does not change any data in an item, DynamoDB Streams does not write a stream record".
 *
 * Transactions are not captured: dynalite does not implement TransactWriteItems and answers it with
 * UnknownOperationException, which the proxy passes on.
 *
 * `LocalAwsEndpoints` owns one (its `dynamodb` option); use it directly only to proxy elsewhere.
 *
 * @example
 * ```ts
 * import { DynamoDbProxy } from "@rebound/simulator";
 * const proxy = new DynamoDbProxy(dynalite.endpoint, (change) => console.log(change.eventName, change.keys));
 * proxy.captureTable("orders");
 * const response = await proxy.handle("DynamoDB_20120810.PutItem", body, request.headers);
 * ```
 */
export class DynamoDbProxy {
  readonly #endpoint: URL;
  readonly #agent = new Agent({ keepAlive: true });
  readonly #captured = new Set<string>();
  readonly #keySchemas = new Map<string, readonly string[]>();
  readonly #locks = new Map<string, Promise<void>>();
  readonly #onTableWrite: TableWriteListener;

  readonly #serve: DynaliteInMemory | undefined;

  /**
   * @param dynaliteEndpoint dynalite's URL
   * @param onTableWrite receives each captured change
   * @param serve dynalite in this process (`DynaliteServer.serveInMemory`): requests go to it
   *   without a socket; without it they go to `dynaliteEndpoint` over HTTP
   */
  public constructor(dynaliteEndpoint: string, onTableWrite: TableWriteListener, serve?: DynaliteInMemory) {
    this.#endpoint = new URL(dynaliteEndpoint);
    this.#onTableWrite = onTableWrite;
    this.#serve = serve;
  }

  /** Captures the writes of this table from now on. */
  public captureTable(tableName: string): void {
    this.#captured.add(tableName);
  }

  /** The tables whose writes are captured. */
  public get capturedTables(): readonly string[] {
    return [...this.#captured];
  }

  /** Handles one DynamoDB request: forwards it, and captures the change when it is a captured write. */
  public async handle(
    target: string,
    body: Buffer,
    headers: IncomingHttpHeaders,
  ): Promise<ForwardedResponse> {
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
    if (!WRITE_OPERATIONS.includes(operation)) return this.#forward(body, headers);
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    } catch {
      return this.#forward(body, headers); // dynalite answers the SerializationException
    }
    const tables = this.#tablesOf(operation, input).filter((table) => this.#captured.has(table));
    if (tables.length === 0) return this.#forward(body, headers);
    return this.#withLocks(tables, async () => {
      const writes = await this.#keysOf(operation, input, tables);
      const before = await Promise.all(writes.map((write) => this.#getItem(write.tableName, write.key)));
      const response = await this.#forward(body, headers);
      if (response.statusCode !== 200) return response;
      const unprocessed = operation === "BatchWriteItem" ? unprocessedItems(response.body) : [];
      for (const [index, write] of writes.entries()) {
        if (unprocessed.some((entry) => sameKey(entry, write))) continue;
        const after = await this.#getItem(write.tableName, write.key);
        const change = changeOf(write.tableName, write.key, before[index], after);
        if (change !== undefined) await this.#onTableWrite(change);
      }
      return response;
    });
  }

  /** Drops the proxy's pooled connections to dynalite. */
  public close(): void {
    this.#agent.destroy();
  }

  #tablesOf(operation: string, input: Record<string, unknown>): string[] {
    if (operation === "BatchWriteItem") {
      const items = input["RequestItems"];
      return typeof items === "object" && items !== null ? Object.keys(items) : [];
    }
    return typeof input["TableName"] === "string" ? [input["TableName"]] : [];
  }

  async #keysOf(
    operation: string,
    input: Record<string, unknown>,
    tables: readonly string[],
  ): Promise<{ tableName: string; key: AttributeMapJson }[]> {
    const writes: { tableName: string; key: AttributeMapJson }[] = [];
    const add = async (tableName: string, item: unknown, isKey: boolean): Promise<void> => {
      if (typeof item !== "object" || item === null) return;
      const attributes = item as Record<string, AttributeMapJson[string]>;
      if (isKey) {
        writes.push({ tableName, key: attributes });
        return;
      }
      const schema = await this.#keySchema(tableName);
      const key: Record<string, AttributeMapJson[string]> = {};
      for (const name of schema) if (attributes[name] !== undefined) key[name] = attributes[name];
      writes.push({ tableName, key });
    };
    if (operation === "BatchWriteItem") {
      const requestItems = input["RequestItems"] as Record<string, unknown>;
      for (const tableName of tables) {
        const requests = requestItems[tableName];
        if (!Array.isArray(requests)) continue;
        for (const request of requests as Record<string, Record<string, unknown> | undefined>[]) {
          if (request["PutRequest"] !== undefined) await add(tableName, request["PutRequest"]["Item"], false);
          else if (request["DeleteRequest"] !== undefined)
            await add(tableName, request["DeleteRequest"]["Key"], true);
        }
      }
    } else if (operation === "PutItem") {
      await add(tables[0]!, input["Item"], false);
    } else {
      await add(tables[0]!, input["Key"], true);
    }
    return writes;
  }

  async #keySchema(tableName: string): Promise<readonly string[]> {
    const cached = this.#keySchemas.get(tableName);
    if (cached !== undefined) return cached;
    const response = await this.#call("DescribeTable", { TableName: tableName });
    const schema =
      response.statusCode === 200
        ? (
            JSON.parse(response.body.toString("utf8")) as {
              Table: { KeySchema: { AttributeName: string }[] };
            }
          ).Table.KeySchema.map((key) => key.AttributeName)
        : [];
    // A missing table is not cached: the write itself fails with ResourceNotFoundException.
    if (schema.length > 0) this.#keySchemas.set(tableName, schema);
    return schema;
  }

  async #getItem(tableName: string, key: AttributeMapJson): Promise<AttributeMapJson | undefined> {
    if (Object.keys(key).length === 0) return undefined;
    const response = await this.#call("GetItem", { TableName: tableName, Key: key, ConsistentRead: true });
    if (response.statusCode !== 200) return undefined;
    return (JSON.parse(response.body.toString("utf8")) as { Item?: AttributeMapJson }).Item;
  }

  /** An internal request to dynalite, with the minimal SigV4-shaped headers dynalite checks for. */
  #call(operation: string, input: unknown): Promise<ForwardedResponse> {
    return this.#forward(Buffer.from(JSON.stringify(input)), {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `${TARGET_PREFIX}${operation}`,
      "x-amz-date": "20260101T000000Z",
      authorization:
        "AWS4-HMAC-SHA256 Credential=rebound/20260101/us-east-1/dynamodb/aws4_request, " +
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0",
    });
  }

  #forward(body: Buffer, headers: IncomingHttpHeaders): Promise<ForwardedResponse> {
    const forwarded: Record<string, string> = {};
    for (const name of [
      "content-type",
      "x-amz-target",
      "x-amz-date",
      "authorization",
      "x-amz-security-token",
    ]) {
      const value = headers[name];
      if (typeof value === "string") forwarded[name] = value;
    }
    forwarded["content-length"] = String(body.length);
    if (this.#serve !== undefined) return this.#serve(body, forwarded);
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: this.#endpoint.hostname,
          port: this.#endpoint.port,
          path: "/",
          method: "POST",
          headers: forwarded,
          agent: this.#agent,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
          incoming.on("error", reject);
          incoming.on("end", () => {
            const out: Record<string, string> = {};
            for (const name of ["content-type", "x-amz-crc32"]) {
              const value = incoming.headers[name];
              if (typeof value === "string") out[name] = value;
            }
            resolve({ statusCode: incoming.statusCode ?? 500, headers: out, body: Buffer.concat(chunks) });
          });
        },
      );
      outgoing.on("error", (cause) =>
        reject(
          new EnvironmentError(`the DynamoDB proxy could not reach dynalite at ${this.#endpoint.href}`, {
            cause,
          }),
        ),
      );
      outgoing.end(body);
    });
  }

  /**
   * Runs `work` holding the locks of `tables`, taken in sorted order so two batch writes over the
   * same tables cannot deadlock.
   */
  async #withLocks<T>(tables: readonly string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(tables)].sort();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = sorted.map((table) => this.#locks.get(table) ?? Promise.resolve());
    for (const table of sorted) this.#locks.set(table, held);
    await Promise.all(previous);
    try {
      return await work();
    } finally {
      release();
      for (const table of sorted) if (this.#locks.get(table) === held) this.#locks.delete(table);
    }
  }
}

function changeOf(
  tableName: string,
  keys: AttributeMapJson,
  oldImage: AttributeMapJson | undefined,
  newImage: AttributeMapJson | undefined,
): TableWriteChange | undefined {
  if (oldImage === undefined && newImage === undefined) return undefined;
  if (
    oldImage !== undefined &&
    newImage !== undefined &&
    canonicalItem(oldImage) === canonicalItem(newImage)
  ) {
    return undefined;
  }
  const eventName = oldImage === undefined ? "INSERT" : newImage === undefined ? "REMOVE" : "MODIFY";
  const sizeBytes =
    dynamoItemSizeBytes(keys) +
    (oldImage === undefined ? 0 : dynamoItemSizeBytes(oldImage)) +
    (newImage === undefined ? 0 : dynamoItemSizeBytes(newImage));
  return {
    tableName,
    eventName,
    keys,
    ...(oldImage === undefined ? {} : { oldImage }),
    ...(newImage === undefined ? {} : { newImage }),
    sizeBytes,
  };
}

/** The items and keys of a BatchWriteItem's UnprocessedItems: those writes did not happen. */
function unprocessedItems(body: Buffer): { tableName: string; attributes: AttributeMapJson }[] {
  const out: { tableName: string; attributes: AttributeMapJson }[] = [];
  const parsed = JSON.parse(body.toString("utf8")) as {
    UnprocessedItems?: Record<
      string,
      { PutRequest?: { Item: AttributeMapJson }; DeleteRequest?: { Key: AttributeMapJson } }[]
    >;
  };
  for (const [tableName, requests] of Object.entries(parsed.UnprocessedItems ?? {})) {
    for (const request of requests) {
      const attributes = request.DeleteRequest?.Key ?? request.PutRequest?.Item;
      if (attributes !== undefined) out.push({ tableName, attributes });
    }
  }
  return out;
}

function sameKey(
  entry: { tableName: string; attributes: AttributeMapJson },
  write: { tableName: string; key: AttributeMapJson },
): boolean {
  if (entry.tableName !== write.tableName) return false;
  return Object.entries(write.key).every(
    ([name, value]) =>
      entry.attributes[name] !== undefined &&
      canonicalItem({ v: entry.attributes[name] }) === canonicalItem({ v: value }),
  );
}
