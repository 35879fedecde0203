import { ConfigurationError } from "../engine/errors.js";
import { SeededRandom } from "../engine/SeededRandom.js";
import { assertIntInRange, assertOptions, assertString, describe } from "../engine/validate.js";
import { isPlainObject } from "../stepfunctions/asl/aslPath.js";
import { Stream, type StreamEnv } from "./Stream.js";
import { StreamKind, type StreamRecordEntry, StreamShard } from "./StreamShard.js";
import { kinesisShardIndex } from "./streamHash.js";

/** A DynamoDB AttributeValue (`{ S: "x" }`, `{ N: "1" }`, `{ M: {...} }`, ...), as streams carry it. */
export type AttributeValue = Readonly<Record<string, unknown>>;
/** An item or key in DynamoDB JSON. */
export type AttributeMap = Readonly<Record<string, AttributeValue>>;

/**
 * What a stream record contains, per table setting (StreamSpecification.StreamViewType).
 *
 * @example
 * ```ts
 * import { StreamViewType } from "@rebound/simulator";
 * StreamViewType.NewAndOldImages; // "NEW_AND_OLD_IMAGES"
 * ```
 */
export const StreamViewType = {
  KeysOnly: "KEYS_ONLY",
  NewImage: "NEW_IMAGE",
  OldImage: "OLD_IMAGE",
  NewAndOldImages: "NEW_AND_OLD_IMAGES",
} as const;
/** One of `StreamViewType`'s values. */
export type StreamViewType = (typeof StreamViewType)[keyof typeof StreamViewType];

/** Options of a table's stream. */
export interface DynamoDBStreamOptions {
  readonly tableName: string;
  /** The table's key attribute names. */
  readonly keySchema: { readonly partitionKey: string; readonly sortKey?: string };
  readonly streamViewType: StreamViewType;
  /**
   * Default 1. DynamoDB decides shard counts from table partitions; records of one partition key
   * always share a shard here. Shards do not roll over every few hours as AWS's do (not modelled).
   */
  readonly shardCount?: number;
}

/** One item write as the table saw it: no old image = INSERT, no new image = REMOVE, both = MODIFY. */
export interface DynamoDBItemWrite {
  readonly oldImage?: AttributeMap;
  readonly newImage?: AttributeMap;
  /** The item was deleted by TTL: the record gets `userIdentity` {type: Service, principalId: dynamodb.amazonaws.com}. */
  readonly removedByTtl?: boolean;
}

const OPTION_KEYS = ["tableName", "keySchema", "streamViewType", "shardCount"] as const;
const WRITE_KEYS = ["oldImage", "newImage", "removedByTtl"] as const;
const TYPES = new Set(["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"]);
// "The data retention limit for DynamoDB Streams is 24 hours" (Lambda DG, services-ddb-params).
const RETENTION_MS = 24 * 3_600_000;

/**
 * A DynamoDB table's stream on the virtual clock. Feed it the table's item writes (`recordWrite`, or a
 * DynamoDB proxy that calls it): it emits INSERT / MODIFY / REMOVE records with the images the view
 * type asks for, `SizeBytes` by DynamoDB's item size rules, second-precision `ApproximateCreationDateTime`,
 * and no record for a write that changes nothing (DynamoDB writes none either).
 *
 * @example
 * ```ts
 * import { DynamoDBStream } from "@rebound/simulator";
 * const stream = new DynamoDBStream(env, { tableName: "orders", keySchema: { partitionKey: "pk" }, streamViewType: "NEW_AND_OLD_IMAGES" });
 * stream.recordWrite({ newImage: { pk: { S: "order#1" }, status: { S: "NEW" } } }); // INSERT
 * ```
 */
export class DynamoDBStream extends Stream {
  public readonly kind = StreamKind.DynamoDB;
  public readonly name: string;
  public readonly streamArn: string;
  public readonly tableName: string;
  public readonly keySchema: DynamoDBStreamOptions["keySchema"];
  public readonly streamViewType: StreamViewType;
  readonly #random: SeededRandom;

  public constructor(env: StreamEnv, options: DynamoDBStreamOptions) {
    const where = "DynamoDBStream";
    assertOptions(where, options, OPTION_KEYS);
    assertString(where, "tableName", options.tableName);
    if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(options.tableName)) {
      throw new ConfigurationError(
        "tableName",
        `${where}: tableName ${describe(options.tableName)} must be 3-255 characters of a-z, A-Z, 0-9, _ . -`,
      );
    }
    assertOptions(`${where}.keySchema`, options.keySchema, ["partitionKey", "sortKey"]);
    assertString(`${where}.keySchema`, "partitionKey", options.keySchema.partitionKey);
    if (options.keySchema.sortKey !== undefined)
      assertString(`${where}.keySchema`, "sortKey", options.keySchema.sortKey);
    const views = Object.values(StreamViewType) as string[];
    if (!views.includes(options.streamViewType)) {
      throw new ConfigurationError(
        "streamViewType",
        `${where}: streamViewType must be one of ${views.join(", ")}, got ${describe(options.streamViewType)}`,
      );
    }
    const shardCount = options.shardCount ?? 1;
    assertIntInRange(where, "shardCount", shardCount, 1, 1000);
    const createdMs = env.simulation.now();
    const random = new SeededRandom(
      SeededRandom.derive(env.simulation.random.seed, `dynamodb-stream:${options.tableName}`),
    );
    const shards = Array.from({ length: shardCount }, (_, index) => {
      // AWS's shape: shardId-<20 digits>-<8 hex>; the digits here are creation ms plus the index.
      const id = `shardId-${String(createdMs + index).padStart(20, "0")}-${random.uint32().toString(16).padStart(8, "0")}`;
      // 21+ digits: a shard prefix then a 20-digit counter (string order = numeric order in a shard).
      return new StreamShard(id, index, (counter) => `${index + 1}${String(counter).padStart(20, "0")}`);
    });
    super(env, shards, RETENTION_MS);
    this.#random = random;
    this.name = options.tableName;
    this.tableName = options.tableName;
    this.keySchema = options.keySchema;
    this.streamViewType = options.streamViewType;
    // The stream label is the stream's creation time, as DescribeTable's LatestStreamLabel shows it.
    const label = new Date(createdMs).toISOString().slice(0, -1);
    this.streamArn = `arn:aws:dynamodb:${env.region}:${env.accountId}:table/${options.tableName}/stream/${label}`;
  }

  public get traceSource(): string {
    return `dynamodb-stream:${this.name}`;
  }

  /**
   * Records one item write now. Returns the appended entry, or undefined when the write changed nothing
   * (MODIFY with identical images): DynamoDB Streams writes no record then.
   */
  public recordWrite(write: DynamoDBItemWrite): StreamRecordEntry | undefined {
    const where = `${this.name}.recordWrite`;
    assertOptions(where, write, WRITE_KEYS);
    const { oldImage, newImage } = write;
    if (oldImage !== undefined) assertAttributeMap(where, "oldImage", oldImage);
    if (newImage !== undefined) assertAttributeMap(where, "newImage", newImage);
    if (oldImage === undefined && newImage === undefined) {
      throw new ConfigurationError(
        "newImage",
        `${where}: pass newImage (INSERT), oldImage (REMOVE) or both (MODIFY)`,
      );
    }
    if (write.removedByTtl === true && newImage !== undefined) {
      throw new ConfigurationError(
        "removedByTtl",
        `${where}: a TTL deletion is a REMOVE; pass only oldImage`,
      );
    }
    const eventName = oldImage === undefined ? "INSERT" : newImage === undefined ? "REMOVE" : "MODIFY";
    if (eventName === "MODIFY" && canonical(oldImage) === canonical(newImage)) return undefined;
    const keys = this.#keysOf((newImage ?? oldImage)!, where);
    if (
      oldImage !== undefined &&
      newImage !== undefined &&
      canonical(this.#keysOf(oldImage, where)) !== canonical(keys)
    ) {
      throw new ConfigurationError(
        "newImage",
        `${where}: oldImage and newImage have different keys; a write changes one item`,
      );
    }
    const view = this.streamViewType;
    const withNew = newImage !== undefined && (view === "NEW_IMAGE" || view === "NEW_AND_OLD_IMAGES");
    const withOld = oldImage !== undefined && (view === "OLD_IMAGE" || view === "NEW_AND_OLD_IMAGES");
    const sizeBytes =
      itemSize(keys) + (withNew ? itemSize(newImage) : 0) + (withOld ? itemSize(oldImage) : 0);
    const partitionValue = canonical(keys[this.keySchema.partitionKey]);
    const shardIndex = kinesisShardIndex(partitionValue, this.shards.length);
    const eventID = this.#eventId();
    const sequenceNumber = this.shards[shardIndex]!.nextSequenceNumber();
    const arrivalMs = this.env.simulation.now();
    const dynamodb: Record<string, unknown> = {
      // Whole epoch seconds: DynamoDB Streams rounds the creation time down to the second.
      ApproximateCreationDateTime: Math.floor(arrivalMs / 1000),
      Keys: keys,
    };
    if (withNew) dynamodb.NewImage = newImage;
    if (withOld) dynamodb.OldImage = oldImage;
    dynamodb.SequenceNumber = sequenceNumber;
    dynamodb.SizeBytes = sizeBytes;
    dynamodb.StreamViewType = view;
    const record: Record<string, unknown> = {
      eventID,
      eventName,
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: this.env.region,
      dynamodb,
      eventSourceARN: this.streamArn,
    };
    if (write.removedByTtl === true)
      record.userIdentity = { type: "Service", principalId: "dynamodb.amazonaws.com" };
    return this.appendRecord(shardIndex, canonical(keys), record);
  }

  /** Schedules `recordWrite` at virtual time `timeMs` (not before now). */
  public recordWriteAt(timeMs: number, write: DynamoDBItemWrite): void {
    this.env.simulation.at(timeMs, () => {
      this.recordWrite(write);
    });
  }

  #keysOf(image: AttributeMap, where: string): AttributeMap {
    const keys: Record<string, AttributeValue> = {};
    for (const name of [this.keySchema.partitionKey, this.keySchema.sortKey]) {
      if (name === undefined) continue;
      const value = image[name];
      if (value === undefined) {
        throw new ConfigurationError(
          name,
          `${where}: the image has no key attribute ${JSON.stringify(name)}`,
        );
      }
      keys[name] = value;
    }
    return keys;
  }

  #eventId(): string {
    let id = "";
    for (let i = 0; i < 4; i++) id += this.#random.uint32().toString(16).padStart(8, "0");
    return id;
  }
}

function assertAttributeMap(where: string, key: string, map: unknown): void {
  if (!isPlainObject(map)) {
    throw new ConfigurationError(
      key,
      `${where}: ${key} must be an item in DynamoDB JSON ({ "id": { "S": "1" } })`,
    );
  }
  for (const [name, value] of Object.entries(map)) assertAttributeValue(where, `${key}.${name}`, value);
}

function assertAttributeValue(where: string, key: string, value: unknown): void {
  const types = isPlainObject(value) ? Object.keys(value) : [];
  if (types.length !== 1 || !TYPES.has(types[0]!)) {
    throw new ConfigurationError(
      key,
      `${where}: ${key} must be a DynamoDB AttributeValue with exactly one of ${[...TYPES].join(", ")}, got ${describe(value)}`,
    );
  }
  const inner = (value as Record<string, unknown>)[types[0]!];
  if (types[0] === "M") assertAttributeMap(where, key, inner);
  if (types[0] === "L") {
    if (!Array.isArray(inner)) throw new ConfigurationError(key, `${where}: ${key}.L must be an array`);
    inner.forEach((item, index) => {
      assertAttributeValue(where, `${key}[${index}]`, item);
    });
  }
}

/** JSON with sorted object keys: equal items give equal strings whatever order their attributes came in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Item size by DynamoDB's rules (DynamoDB DG, "Item sizes and formats"): attribute name bytes plus value
 * bytes; strings UTF-8; numbers about one byte per two significant digits plus one; binary its bytes;
 * BOOL and NULL one byte; lists and maps 3 bytes plus one per element plus the elements.
 */
function itemSize(item: AttributeMap | undefined): number {
  if (item === undefined) return 0;
  let size = 0;
  for (const [name, value] of Object.entries(item))
    size += Buffer.byteLength(name, "utf8") + valueSize(value);
  return size;
}

function valueSize(value: AttributeValue): number {
  const [type, inner] = Object.entries(value)[0]!;
  switch (type) {
    case "S":
      return Buffer.byteLength(String(inner), "utf8");
    case "N":
      return numberSize(String(inner));
    case "B":
      return typeof inner === "string" ? Buffer.from(inner, "base64").length : (inner as Uint8Array).length;
    case "BOOL":
    case "NULL":
      return 1;
    case "SS":
      return (inner as string[]).reduce((sum, text) => sum + Buffer.byteLength(text, "utf8"), 0);
    case "NS":
      return (inner as string[]).reduce((sum, text) => sum + numberSize(text), 0);
    case "BS":
      return (inner as Array<string | Uint8Array>).reduce(
        (sum, blob) => sum + (typeof blob === "string" ? Buffer.from(blob, "base64").length : blob.length),
        0,
      );
    case "M":
      return 3 + Object.keys(inner as object).length + itemSize(inner as AttributeMap);
    case "L":
      return (
        3 +
        (inner as AttributeValue[]).length +
        (inner as AttributeValue[]).reduce((sum, item) => sum + valueSize(item), 0)
      );
    default:
      return 0;
  }
}

function numberSize(text: string): number {
  const digits = text
    .replace(/^[-+]?/, "")
    .replace(/[eE].*$/, "")
    .replace(".", "")
    .replace(/^0+/, "")
    .replace(/0+$/, "");
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}
