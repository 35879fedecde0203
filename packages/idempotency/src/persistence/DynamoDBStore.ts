import type { AttributeValue, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IdempotencyStoreError } from "../errors.js";
import type { IdempotencyRecord } from "../idempotencyRecord.js";
import { aFunction, anObject, aString, configError, required, validateOptions } from "../validateOptions.js";
import {
  BasePersistenceLayer,
  type PersistenceLayerOptions,
  type PutOutcome,
} from "./BasePersistenceLayer.js";

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
  /**
   * A client of your own (region, endpoint, middleware). Default: `new DynamoDBClient({})`, created
   * on first use. Its middleware is resolved once per operation at the store's first call of it:
   * add middleware before that.
   */
  readonly client?: DynamoDBClient;
  /** Name of the partition key attribute. Default `id`. */
  readonly keyAttribute?: string;
}

type Sdk = typeof import("@aws-sdk/client-dynamodb");
type Item = Record<string, AttributeValue>;
type Operation = "PutItem" | "GetItem" | "UpdateItem" | "DeleteItem";
/** The output of a request, or `failed` with the item DynamoDB returned when a condition failed. */
type Output = { Item?: Item; failed?: true };
type Handler = (command: object) => Promise<{ output: Output }>;
type Command = { resolveMiddleware(stack: unknown, config: unknown, options: undefined): Handler };

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
const where = "DynamoDBStore";
// Attribute names used more than once, as constants: a minifier cannot shorten string literals.
const ST = "status";
const EX = "expiration";
const IPX = "inProgressExpiration";
const LK = "lockId";
// String and number attribute values.
const str = (value: string): AttributeValue => ({ S: value });
const num = (value: number): AttributeValue => ({ N: `${value}` });

// Absent, or expired (epoch seconds vs fractional now), or a lock that expired (epoch ms). Only
// INPROGRESS records carry `inProgressExpiration` (settling removes it), so `#ipx <= :ms` is the
// "INPROGRESS and its lock expired" half of isRecordReplaceable() without a status operand.
const putCondition = "attribute_not_exists(#k) OR #ex <= :s OR #ipx <= :ms";
const ownLock = "#lk = :lk";
const lockNames = { "#lk": LK };
const timeNames = { "#ex": EX, "#ipx": IPX };
// A request's condition with the names and values its expressions use.
const conditional = (condition: string, names: Record<string, string>, values: Item) => ({
  ConditionExpression: condition,
  ExpressionAttributeNames: names,
  ExpressionAttributeValues: values,
});
// Settling SETs status, expiration and at most one of result / resultHash / error (`#v`), and
// removes the lock's attributes.
const settledValues = ["result", "resultHash", "error"] as const;
const settleNames = { "#st": ST, ...timeNames, ...lockNames };
const recordAttributes: readonly string[] = [ST, EX, IPX, "payloadHash", LK, ...settledValues];

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
  // `declare`: assigned in the constructor, so no class-field definitions in the emitted code.
  declare public readonly tableName: string;
  declare public readonly keyAttribute: string;
  #client: DynamoDBClient | undefined;
  readonly #putNames: Record<string, string>;
  // The client's middleware resolved once per operation, as the SDK's own `cacheMiddleware: true`
  // does: resolving it on every send costs ~300 µs of CPU per request here (1380 → 1090 µs for a
  // PutItem). Middleware added to the client after the store's first call is therefore not used.
  readonly #handlers: Partial<Record<Operation, Handler>> = {};

  public constructor(options: DynamoDBStoreOptions) {
    validateOptions(where, options, {
      tableName: required(aString),
      client: anObject,
      keyAttribute: aString,
      clock: aFunction,
      cache: anObject,
    });
    const { tableName, keyAttribute = "id", client } = options;
    // DynamoDB itself rejects a bad table name, at the first call; a key attribute that collides
    // with a record attribute would corrupt records instead, so that one is checked here.
    if (recordAttributes.includes(keyAttribute)) {
      configError(where, `"keyAttribute" cannot be "${keyAttribute}", a record attribute; pick another name`);
    }
    super(options);
    this.tableName = tableName;
    this.keyAttribute = keyAttribute;
    this.#client = client;
    this.#putNames = { "#k": keyAttribute, ...timeNames };
  }

  protected async putRecord(
    record: IdempotencyRecord,
    nowMs: number,
  ): Promise<PutOutcome | IdempotencyRecord> {
    const { id } = record;
    const output = await this.#send("PutItem", id, {
      Item: {
        ...this.#key(id),
        [ST]: str(record.status),
        [EX]: num(record.expiration),
        [IPX]: num(record.inProgressExpiration as number),
        payloadHash: str(record.payloadHash),
        [LK]: str(`${record.lockId}`),
      },
      ...conditional(putCondition, this.#putNames, { ":s": num(nowMs / 1000), ":ms": num(nowMs) }),
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    });
    // Literals rather than PutOutcome.Written: the constant object then stays out of bundles.
    if (!output.failed) return "written";
    return output.Item ? this.#fromItem(output.Item, id) : "rejected";
  }

  protected async getRecord(id: string): Promise<IdempotencyRecord | undefined> {
    const { Item } = await this.#send("GetItem", id, { Key: this.#key(id), ConsistentRead: true });
    return Item && this.#fromItem(Item, id);
  }

  protected async settleRecord(record: IdempotencyRecord, lockId: string): Promise<boolean> {
    // At most one of them is set; it goes to `#v`.
    const extra = settledValues.find((name) => record[name] !== undefined);
    const values: Item = {
      ":st": str(record.status),
      ":ex": num(record.expiration),
      ":lk": str(lockId),
    };
    if (extra) values[":v"] = str(record[extra]!);
    const output = await this.#send("UpdateItem", record.id, {
      Key: this.#key(record.id),
      UpdateExpression: `SET #st = :st, #ex = :ex${extra ? ", #v = :v" : ""} REMOVE #ipx, #lk`,
      // DynamoDB rejects a name the expressions do not use: `#v` only when it is set.
      ...conditional(ownLock, extra ? { ...settleNames, "#v": extra } : settleNames, values),
    });
    return !output.failed;
  }

  protected async deleteRecord(id: string, lockId: string): Promise<boolean> {
    const output = await this.#send("DeleteItem", id, {
      Key: this.#key(id),
      ...conditional(ownLock, lockNames, { ":lk": str(lockId) }),
    });
    return !output.failed;
  }

  #key(id: string): Item {
    return { [this.keyAttribute]: str(id) };
  }

  /**
   * Sends one request through the client's middleware (resolved once per operation). Resolves the
   * output, or `{ failed: true, Item }` when the condition failed (`Item` is set on DynamoDB with
   * ALL_OLD); throws `IdempotencyStoreError` for anything else.
   */
  async #send(operation: Operation, id: string, input: Record<string, unknown>): Promise<Output> {
    const m = sdk ?? (await loadSdk());
    this.#client ??= new m.DynamoDBClient({});
    const client = this.#client;
    input.TableName = this.tableName;
    try {
      const command = new (m[`${operation}Command`] as unknown as new (input: object) => Command)(input);
      this.#handlers[operation] ??= command.resolveMiddleware(
        client.middlewareStack,
        client.config,
        undefined,
      );
      return (await this.#handlers[operation](command)).output;
    } catch (error) {
      // By name, not instanceof: the caller's client may come from another copy of the SDK.
      if ((error as Error | undefined)?.name === "ConditionalCheckFailedException") {
        return { failed: true, Item: (error as Output).Item };
      }
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
    for (const name in item) {
      const value = item[name] as AttributeValue;
      record[name === this.keyAttribute ? "id" : name] = value.N === undefined ? value.S : Number(value.N);
    }
    if (
      !/^(INPROGRESS|COMPLETED|FAILED)$/.test(record.status as string) ||
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
