import type { AttributeValue, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IdempotencyStoreError } from "../errors.js";
import type { IdempotencyRecord } from "../idempotencyRecord.js";
import {
  aFunction,
  anObject,
  aString,
  isNonEmptyString,
  required,
  validateOptions,
} from "../validateOptions.js";
import {
  aboutKey,
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
type Command = { resolveMiddleware(stack: unknown, config: unknown): Handler };

// Loaded on first use, not at import: importing this module costs nothing until a call needs the
// store (the SDK takes ~60 ms to load on a cold start). Kept module-wide after the first load.
let sdk: Promise<Sdk> | undefined;
function loadSdk(): Promise<Sdk> {
  sdk ??= import("@aws-sdk/client-dynamodb");
  return sdk;
}

// The record's attributes besides the key, as the README's table lists them. `status` and
// `result` are DynamoDB reserved words, so expressions name every attribute through placeholders.
// Attribute names used more than once, as constants: a minifier cannot shorten string literals.
const EX = "expiration";
const IPX = "inProgressExpiration";
const LK = "lockId";
const recordAttributes: readonly string[] = [
  "status",
  EX,
  IPX,
  "payloadHash",
  LK,
  "result",
  "resultHash",
  "error",
];
// Values as attributes: numbers are N, everything else (records hold only numbers and strings) S.
const toAttributes = (values: Record<string, unknown>): Item => {
  const item: Item = {};
  // for-in, not Object.entries: no [name, value] array per attribute on every request.
  for (const name in values) {
    const value = values[name];
    item[name] = typeof value === "number" ? { N: `${value}` } : { S: value as string };
  }
  return item;
};

// Absent, or expired (epoch seconds vs fractional now), or a lock that expired (epoch ms). Only
// INPROGRESS records carry `inProgressExpiration` (settling removes it), so `#ipx <= :ms` is the
// "INPROGRESS and its lock expired" half of isRecordReplaceable() without a status operand.
const putCondition = "attribute_not_exists(#k) OR #ex <= :s OR #ipx <= :ms";
const ownLock = "#lk = :lk";
// A request's condition with the names and values its expressions use.
const conditional = (condition: string, names: Record<string, string>, values: Item) => ({
  ConditionExpression: condition,
  ExpressionAttributeNames: names,
  ExpressionAttributeValues: values,
});

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
 * declare function charge(input: { orderId: string; amountCents: number }): Promise<{ chargeId: string }>;
 * const store = new DynamoDBStore({ tableName: "idempotency" });
 * export const handler = makeIdempotent(charge, { store, keyFrom: (input) => input.orderId });
 * ```
 */
export class DynamoDBStore extends BasePersistenceLayer {
  // `declare`: assigned in the constructor, so no class-field definitions in the emitted code.
  declare public readonly tableName: string;
  declare public readonly keyAttribute: string;
  #client: DynamoDBClient | undefined;
  // The client's middleware resolved once per operation, as the SDK's own `cacheMiddleware: true`
  // does: resolving it on every send costs ~300 µs of CPU per request here (1380 → 1090 µs for a
  // PutItem). Middleware added to the client after the store's first call is therefore not used.
  readonly #handlers: Partial<Record<Operation, Handler>> = {};

  public constructor(options: DynamoDBStoreOptions) {
    validateOptions("DynamoDBStore", options, {
      tableName: required(aString),
      client: anObject,
      // A key attribute named like a record attribute would corrupt records (DynamoDB itself
      // checks the table name, at the first call).
      keyAttribute: [
        (value) => isNonEmptyString(value) && !recordAttributes.includes(value),
        "a non-empty string other than a record attribute",
      ],
      clock: aFunction,
      cache: anObject,
    });
    super(options);
    this.tableName = options.tableName;
    this.keyAttribute = options.keyAttribute ?? "id";
    this.#client = options.client;
  }

  protected async putRecord(
    record: IdempotencyRecord,
    nowMs: number,
  ): Promise<PutOutcome | IdempotencyRecord> {
    const output = await this.#send("PutItem", record.id, {
      Item: this.#toItem(record),
      ...conditional(
        putCondition,
        { "#k": this.keyAttribute, "#ex": EX, "#ipx": IPX },
        toAttributes({ ":s": nowMs / 1000, ":ms": nowMs }),
      ),
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    });
    // Literals rather than PutOutcome.Written: the constant object then stays out of bundles.
    if (!output.failed) return "written";
    return output.Item ? this.#fromItem(output.Item) : "rejected";
  }

  protected async getRecord(id: string): Promise<IdempotencyRecord | undefined> {
    const { Item } = await this.#send("GetItem", id, { ConsistentRead: true });
    return Item && this.#fromItem(Item);
  }

  protected async settleRecord(record: IdempotencyRecord, lockId: string): Promise<boolean> {
    // SET the fields settling changes (status, expiration, and result, resultHash or error when
    // there is one; payloadHash stays as the put wrote it: a smaller request costs less CPU to sign
    // and send) and REMOVE the lock's attributes. DynamoDB rejects a placeholder that the
    // expressions do not use, so the names follow the fields present.
    const { id, payloadHash: _unchanged, ...fields } = record;
    const names: Record<string, string> = { "#ipx": IPX, "#lk": LK };
    const values = toAttributes({ ":lk": lockId });
    let set = "SET ";
    const attributes = toAttributes(fields);
    for (const name in attributes) {
      names[`#${name}`] = name;
      values[`:${name}`] = attributes[name]!;
      set += `#${name} = :${name}, `;
    }
    const output = await this.#send("UpdateItem", id, {
      UpdateExpression: `${set.slice(0, -2)} REMOVE #ipx, #lk`,
      ...conditional(ownLock, names, values),
    });
    return !output.failed;
  }

  protected async deleteRecord(id: string, lockId: string): Promise<boolean> {
    const output = await this.#send("DeleteItem", id, {
      ...conditional(ownLock, { "#lk": LK }, toAttributes({ ":lk": lockId })),
    });
    return !output.failed;
  }

  /** A record (or its key alone) as an item: `id` goes to the key attribute. */
  #toItem({ id, ...fields }: Partial<IdempotencyRecord>): Item {
    return toAttributes({ [this.keyAttribute]: id, ...fields });
  }

  /**
   * Sends one request through the client's middleware (resolved once per operation). Resolves the
   * output, or `{ failed: true, Item }` when the condition failed (`Item` is set on DynamoDB with
   * ALL_OLD); throws `IdempotencyStoreError` for anything else.
   */
  async #send(operation: Operation, id: string, input: Record<string, unknown>): Promise<Output> {
    const m = await loadSdk();
    this.#client ??= new m.DynamoDBClient({});
    const client = this.#client;
    input.TableName = this.tableName;
    // A put carries the key in its item; the other requests name it.
    if (!input.Item) input.Key = this.#toItem({ id });
    try {
      const command = new (m[`${operation}Command`] as unknown as new (input: object) => Command)(input);
      this.#handlers[operation] ??= command.resolveMiddleware(client.middlewareStack, client.config);
      return (await this.#handlers[operation](command)).output;
    } catch (error) {
      // By name, not instanceof: the caller's client may come from another copy of the SDK.
      if ((error as Error | undefined)?.name === "ConditionalCheckFailedException") {
        return { failed: true, Item: (error as Output).Item };
      }
      throw new IdempotencyStoreError(
        aboutKey(id, `failed in DynamoDB ${operation} on ${this.tableName}: ${error}`),
        {
          key: id,
          operation,
          cause: error,
        },
      );
    }
  }

  /**
   * An item as a record: the key attribute becomes `id`, N values numbers, S values strings. Not
   * checked further: an item some other code wrote under the same key has no payloadHash (and
   * usually no expiration), so it is never replaceable and every call on that key gets
   * `IdempotencyPayloadMismatchError`, a key collision; the body does not run, the item stays.
   */
  #fromItem(item: Item): IdempotencyRecord {
    const record: Record<string, unknown> = {};
    for (const name in item) {
      const value = item[name] as AttributeValue;
      record[name === this.keyAttribute ? "id" : name] = "N" in value ? Number(value.N) : value.S;
    }
    return record as unknown as IdempotencyRecord;
  }
}
