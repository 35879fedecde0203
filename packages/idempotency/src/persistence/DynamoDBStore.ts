import type { AttributeValue, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { RecordStatus } from "../constants.js";
import { IdempotencyConfigError, IdempotencyStoreError } from "../errors.js";
import type { IdempotencyRecord } from "../idempotencyRecord.js";
import { assertNonEmptyString, assertOptionsObject, describe } from "../validateOptions.js";
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

// Attribute names, fixed so the table layout in the README stays true. `status` and `result` are
// DynamoDB reserved words, so every expression goes through placeholders.
const Attr = {
  status: "status",
  expiration: "expiration",
  inProgressExpiration: "inProgressExpiration",
  payloadHash: "payloadHash",
  lockId: "lockId",
  result: "result",
  resultHash: "resultHash",
  error: "error",
} as const;
const reservedForRecord: readonly string[] = Object.values(Attr);

// Absent, or expired (epoch seconds, fractional now), or an INPROGRESS lock that expired (epoch
// ms): the same rule as isRecordReplaceable(), with the same operands.
const putCondition = "attribute_not_exists(#k) OR #ex <= :s OR (#st = :ip AND #ipx <= :ms)";
const ownLock = "#lk = :lk";
const inProgress: AttributeValue = { S: RecordStatus.InProgress };

/** The settled record's one optional attribute, per kind: each variant has its own expression. */
type SettleVariant = "none" | "result" | "resultHash" | "error";

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
  readonly #putNames: Record<string, string>;
  readonly #lockNames: Record<string, string>;
  readonly #settle = new Map<SettleVariant, { expression: string; names: Record<string, string> }>();

  public constructor(options: DynamoDBStoreOptions) {
    assertOptionsObject(options, ["tableName", "client", "keyAttribute", "clock", "cache"], "DynamoDBStore");
    assertNonEmptyString(options.tableName, "tableName", "DynamoDBStore", false);
    if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(options.tableName)) {
      throw new IdempotencyConfigError(
        `DynamoDBStore: "tableName" must be 3-255 characters of a-z, A-Z, 0-9, _ . -, received ${describe(options.tableName)}`,
      );
    }
    assertNonEmptyString(options.keyAttribute, "keyAttribute", "DynamoDBStore", true);
    if (options.keyAttribute !== undefined && reservedForRecord.includes(options.keyAttribute)) {
      throw new IdempotencyConfigError(
        `DynamoDBStore: "keyAttribute" cannot be "${options.keyAttribute}", the record uses that attribute; ` +
          `pick another name (default "id")`,
      );
    }
    if (options.client !== undefined && typeof (options.client as { send?: unknown }).send !== "function") {
      throw new IdempotencyConfigError(
        `DynamoDBStore: "client" must be a DynamoDBClient from @aws-sdk/client-dynamodb, received ${describe(options.client)}`,
      );
    }
    super(options);
    this.tableName = options.tableName;
    this.keyAttribute = options.keyAttribute ?? "id";
    this.#client = options.client;
    this.#putNames = {
      "#k": this.keyAttribute,
      "#ex": Attr.expiration,
      "#st": Attr.status,
      "#ipx": Attr.inProgressExpiration,
    };
    this.#lockNames = { "#lk": Attr.lockId };
  }

  protected async putRecord(
    record: IdempotencyRecord,
    nowMs: number,
  ): Promise<PutOutcome | IdempotencyRecord> {
    const m = sdk ?? (await loadSdk());
    const item: Item = {
      [this.keyAttribute]: { S: record.id },
      [Attr.status]: { S: record.status },
      [Attr.expiration]: { N: String(record.expiration) },
      [Attr.payloadHash]: { S: record.payloadHash },
    };
    if (record.inProgressExpiration !== undefined) {
      item[Attr.inProgressExpiration] = { N: String(record.inProgressExpiration) };
    }
    if (record.lockId !== undefined) item[Attr.lockId] = { S: record.lockId };
    try {
      await this.client(m).send(
        new m.PutItemCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: putCondition,
          ExpressionAttributeNames: this.#putNames,
          ExpressionAttributeValues: {
            ":s": { N: String(nowMs / 1000) },
            ":ms": { N: String(nowMs) },
            ":ip": inProgress,
          },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return PutOutcome.Written;
    } catch (error) {
      if (isConditionFailure(error)) {
        const old = (error as { Item?: Item }).Item;
        return old === undefined ? PutOutcome.Rejected : this.fromItem(old, record.id);
      }
      throw this.storeError("put", record.id, error);
    }
  }

  protected async getRecord(id: string): Promise<IdempotencyRecord | undefined> {
    const m = sdk ?? (await loadSdk());
    let item: Item | undefined;
    try {
      const output = await this.client(m).send(
        new m.GetItemCommand({
          TableName: this.tableName,
          Key: { [this.keyAttribute]: { S: id } },
          ConsistentRead: true,
        }),
      );
      item = output.Item;
    } catch (error) {
      throw this.storeError("get", id, error);
    }
    return item === undefined ? undefined : this.fromItem(item, id);
  }

  protected async settleRecord(record: IdempotencyRecord, lockId: string): Promise<boolean> {
    const m = sdk ?? (await loadSdk());
    const values: Item = {
      ":st": { S: record.status },
      ":ex": { N: String(record.expiration) },
      ":lk": { S: lockId },
    };
    let variant: SettleVariant = "none";
    if (record.result !== undefined) {
      variant = "result";
      values[":v"] = { S: record.result };
    } else if (record.resultHash !== undefined) {
      variant = "resultHash";
      values[":v"] = { S: record.resultHash };
    } else if (record.error !== undefined) {
      variant = "error";
      values[":v"] = { S: record.error };
    }
    const { expression, names } = this.settleExpression(variant);
    try {
      await this.client(m).send(
        new m.UpdateItemCommand({
          TableName: this.tableName,
          Key: { [this.keyAttribute]: { S: record.id } },
          UpdateExpression: expression,
          ConditionExpression: ownLock,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw this.storeError("complete", record.id, error);
    }
  }

  protected async deleteRecord(id: string, lockId: string): Promise<boolean> {
    const m = sdk ?? (await loadSdk());
    try {
      await this.client(m).send(
        new m.DeleteItemCommand({
          TableName: this.tableName,
          Key: { [this.keyAttribute]: { S: id } },
          ConditionExpression: ownLock,
          ExpressionAttributeNames: this.#lockNames,
          ExpressionAttributeValues: { ":lk": { S: lockId } },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw this.storeError("delete", id, error);
    }
  }

  private client(m: Sdk): DynamoDBClient {
    this.#client ??= new m.DynamoDBClient({});
    return this.#client;
  }

  /** SET status and expiration (and the one optional attribute), REMOVE the lock attributes. */
  private settleExpression(variant: SettleVariant): { expression: string; names: Record<string, string> } {
    let cached = this.#settle.get(variant);
    if (cached === undefined) {
      const names: Record<string, string> = {
        "#st": Attr.status,
        "#ex": Attr.expiration,
        "#ipx": Attr.inProgressExpiration,
        "#lk": Attr.lockId,
      };
      let set = "#st = :st, #ex = :ex";
      if (variant !== "none") {
        names["#v"] = Attr[variant];
        set += ", #v = :v";
      }
      cached = { expression: `SET ${set} REMOVE #ipx, #lk`, names };
      this.#settle.set(variant, cached);
    }
    return cached;
  }

  private fromItem(item: Item, id: string): IdempotencyRecord {
    const status = item[Attr.status]?.S;
    const expiration = Number(item[Attr.expiration]?.N);
    if (
      (status !== RecordStatus.InProgress &&
        status !== RecordStatus.Completed &&
        status !== RecordStatus.Failed) ||
      !Number.isFinite(expiration)
    ) {
      throw new IdempotencyStoreError(
        `idempotency record "${id}" in table ${this.tableName} is not a record of this package ` +
          `(status ${describe(status)}, expiration ${describe(item[Attr.expiration]?.N)}); is the table shared?`,
        { key: id, operation: "read" },
      );
    }
    const inProgressExpiration = item[Attr.inProgressExpiration]?.N;
    const lockId = item[Attr.lockId]?.S;
    const result = item[Attr.result]?.S;
    const resultHash = item[Attr.resultHash]?.S;
    const error = item[Attr.error]?.S;
    return {
      id,
      status,
      expiration,
      payloadHash: item[Attr.payloadHash]?.S ?? "",
      ...(inProgressExpiration === undefined ? {} : { inProgressExpiration: Number(inProgressExpiration) }),
      ...(lockId === undefined ? {} : { lockId }),
      ...(result === undefined ? {} : { result }),
      ...(resultHash === undefined ? {} : { resultHash }),
      ...(error === undefined ? {} : { error }),
    };
  }

  private storeError(operation: string, id: string, error: unknown): IdempotencyStoreError {
    const name = (error as { name?: unknown })?.name;
    return new IdempotencyStoreError(
      `DynamoDB ${operation} on table ${this.tableName} failed for key "${id}": ${typeof name === "string" ? `${name}: ` : ""}${
        (error as { message?: unknown })?.message ?? String(error)
      }`,
      { key: id, operation, cause: error },
    );
  }
}

function isConditionFailure(error: unknown): boolean {
  // By name, not instanceof: the caller's client may come from another copy of the SDK.
  return (error as { name?: unknown } | null)?.name === "ConditionalCheckFailedException";
}
