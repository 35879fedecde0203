import type { AttributeValue, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { RecordStatus } from "../constants.js";
import { IdempotencyConfigError, IdempotencyStoreError } from "../errors.js";
import type { IdempotencyRecord } from "../idempotencyRecord.js";
import { validateOptions } from "../validateOptions.js";
import { BasePersistenceLayer, type PersistenceLayerOptions, PutOutcome } from "./BasePersistenceLayer.js";

/**
 * Options of {@link DynamoDBStore}.
 *
 * @example
 * ```ts
 * import { DynamoDBStore } from "@rebound/idempotency/dynamodb";
 * new DynamoDBStore({ tableName: process.env.IDEMPOTENCY_TABLE!, cache: { maxEntries: 1000 } });
 * ```
 */
export interface DynamoDBStoreOptions extends PersistenceLayerOptions {
  /** The table; its partition key is a string attribute named `keyAttribute`, TTL on `expiration`. */
  readonly tableName: string;
  /** A client of your own (region, endpoint, middleware). Default: `new DynamoDBClient({})`, created on first use. */
  readonly client?: DynamoDBClient;
  /** Name of the partition key attribute. Default `id`. */
  readonly keyAttribute?: string;
}

type Sdk = typeof import("@aws-sdk/client-dynamodb");
type Item = Record<string, AttributeValue>;
type Operation = "PutItem" | "GetItem" | "UpdateItem" | "DeleteItem";

// Loaded on first use, not at import: importing this module costs nothing until a call needs the
// store (the SDK takes ~60 ms to load on a cold start). Kept module-wide after the first load.
let sdk: Sdk | undefined;
let sdkLoading: Promise<Sdk> | undefined;
function loadSdk(): Promise<Sdk> {
  sdkLoading ??= import("@aws-sdk/client-dynamodb").then((loaded) => {
    sdk = loaded;
    return loaded;
  });
  return sdkLoading;
}

// The record's attributes besides the key, as the README's table lists them. `status` and
// `result` are DynamoDB reserved words, so expressions name every attribute through placeholders.
const recordAttributes = [
  "status",
  "expiration",
  "inProgressExpiration",
  "payloadHash",
  "lockId",
  "result",
  "resultHash",
  "error",
];

// Absent, or expired (epoch seconds vs fractional now), or an INPROGRESS lock that expired (epoch
// ms): the same rule and operands as isRecordReplaceable().
const putCondition = "attribute_not_exists(#k) OR #ex <= :s OR (#st = :ip AND #ipx <= :ms)";
const ownLock = "#lk = :lk";

/**
 * The DynamoDB store (subpath `@rebound/idempotency/dynamodb`, so the core never loads the SDK).
 * Requests per call: first call 2 (conditional PutItem, UpdateItem); duplicate 1 on DynamoDB,
 * whose rejected put returns the old item (`ReturnValuesOnConditionCheckFailure: ALL_OLD`), 2 on
 * dynalite, which ignores that flag so a consistent GetItem follows; local cache hit 0. A failed
 * call adds a conditional DeleteItem (release) or an UpdateItem (remembered failure).
 *
 * Needs `dynamodb:PutItem`, `GetItem`, `UpdateItem`, `DeleteItem` on the table. Table layout: see
 * the package README.
 *
 * @example
 * ```ts
 * import { makeIdempotent } from "@rebound/idempotency";
 * import { DynamoDBStore } from "@rebound/idempotency/dynamodb";
 * const store = new DynamoDBStore({ tableName: "idempotency" });
 * export const handler = makeIdempotent(charge, { store, keyFrom: (input) => input.orderId });
 * ```
 */
export class DynamoDBStore extends BasePersistenceLayer {
  public readonly tableName: string;
  public readonly keyAttribute: string;
  #client: DynamoDBClient | undefined;

  public constructor(options: DynamoDBStoreOptions) {
    validateOptions(
      "DynamoDBStore",
      options,
      { tableName: "str", client: "obj", keyAttribute: "str", clock: "fn", cache: "obj" },
      ["tableName"],
    );
    const { tableName, keyAttribute = "id", client } = options;
    // DynamoDB itself rejects a bad table name, at the first call; a key attribute that collides
    // with a record attribute would corrupt records instead, so that one is checked here.
    if (recordAttributes.includes(keyAttribute)) {
      throw new IdempotencyConfigError(
        `DynamoDBStore: "keyAttribute" cannot be "${keyAttribute}", a record attribute`,
      );
    }
    super(options);
    this.tableName = tableName;
    this.keyAttribute = keyAttribute;
    this.#client = client;
  }

  protected async putRecord(
    record: IdempotencyRecord,
    nowMs: number,
  ): Promise<PutOutcome | IdempotencyRecord> {
    const item = this.#key(record.id);
    for (const [name, value] of Object.entries(record)) if (name !== "id") item[name] = marshal(value);
    const failed = await this.#send("PutItem", record.id, {
      Item: item,
      ConditionExpression: putCondition,
      ExpressionAttributeNames: {
        "#k": this.keyAttribute,
        "#ex": "expiration",
        "#st": "status",
        "#ipx": "inProgressExpiration",
      },
      ExpressionAttributeValues: {
        ":s": marshal(nowMs / 1000),
        ":ms": marshal(nowMs),
        ":ip": marshal(RecordStatus.InProgress),
      },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    });
    if (failed === undefined) return PutOutcome.Written;
    return failed.Item === undefined ? PutOutcome.Rejected : this.#fromItem(failed.Item, record.id);
  }

  protected async getRecord(id: string): Promise<IdempotencyRecord | undefined> {
    const output = await this.#send("GetItem", id, { Key: this.#key(id), ConsistentRead: true });
    return output?.Item === undefined ? undefined : this.#fromItem(output.Item, id);
  }

  protected async settleRecord(record: IdempotencyRecord, lockId: string): Promise<boolean> {
    // SET every attribute of the settled record, REMOVE the lock's, if the lock is still ours.
    const names: Record<string, string> = { "#ipx": "inProgressExpiration", "#lk": "lockId" };
    const values: Item = { ":lk": marshal(lockId) };
    const set: string[] = [];
    for (const [name, value] of Object.entries(record)) {
      if (name === "id" || name === "payloadHash") continue; // the key, and a hash that never changes
      names[`#${set.length}`] = name;
      values[`:${set.length}`] = marshal(value);
      set.push(`#${set.length} = :${set.length}`);
    }
    const failed = await this.#send("UpdateItem", record.id, {
      Key: this.#key(record.id),
      UpdateExpression: `SET ${set.join(", ")} REMOVE #ipx, #lk`,
      ConditionExpression: ownLock,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
    return failed === undefined;
  }

  protected async deleteRecord(id: string, lockId: string): Promise<boolean> {
    const failed = await this.#send("DeleteItem", id, {
      Key: this.#key(id),
      ConditionExpression: ownLock,
      ExpressionAttributeNames: { "#lk": "lockId" },
      ExpressionAttributeValues: { ":lk": { S: lockId } },
    });
    return failed === undefined;
  }

  #key(id: string): Item {
    return { [this.keyAttribute]: { S: id } };
  }

  /**
   * Sends one request. Resolves `undefined` on success for writes (the GetItem output for reads),
   * the exception when a condition failed (it carries `Item` on DynamoDB with ALL_OLD), and throws
   * `IdempotencyStoreError` for anything else.
   */
  async #send(
    operation: Operation,
    id: string,
    input: Record<string, unknown>,
  ): Promise<{ Item?: Item } | undefined> {
    const m = sdk ?? (await loadSdk());
    this.#client ??= new m.DynamoDBClient({});
    try {
      const Command = m[`${operation}Command`] as unknown as new (
        input: object,
      ) => Parameters<DynamoDBClient["send"]>[0];
      const output = await this.#client.send(new Command({ TableName: this.tableName, ...input }));
      return operation === "GetItem" ? (output as { Item?: Item }) : undefined;
    } catch (error) {
      // By name, not instanceof: the caller's client may come from another copy of the SDK.
      if ((error as Error | undefined)?.name === "ConditionalCheckFailedException")
        return error as { Item?: Item };
      throw new IdempotencyStoreError(
        `DynamoDB ${operation} on ${this.tableName} failed for key "${id}": ${error}`,
        {
          key: id,
          operation,
          cause: error,
        },
      );
    }
  }

  #fromItem(item: Item, id: string): IdempotencyRecord {
    const record: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(item)) {
      record[name === this.keyAttribute ? "id" : name] = value.N === undefined ? value.S : Number(value.N);
    }
    if (
      !Object.values(RecordStatus).includes(record.status as RecordStatus) ||
      !((record.expiration as number) > 0)
    ) {
      throw new IdempotencyStoreError(
        `record "${id}" in ${this.tableName} is not an idempotency record; is the table shared?`,
        {
          key: id,
          operation: "GetItem",
        },
      );
    }
    return record as unknown as IdempotencyRecord;
  }
}

function marshal(value: string | number): AttributeValue {
  return typeof value === "number" ? { N: String(value) } : { S: value };
}
