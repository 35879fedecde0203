import type { KinesisBatchEvent, SqsBatchEvent } from "./Scenario.js";
import type { MapFields, YamlReader } from "./YamlReader.js";
import { joinPath } from "./YamlReader.js";

type EventBaseFields = Omit<SqsBatchEvent, "kind" | "queue" | "entries">;

/**
 * An `sqs-batch` event: one SendMessageBatch of 1 to 10 `entries` (`body`, `groupId`,
 * `deduplicationId`) to `queue`, sent in order at the event's time.
 *
 * @example
 * ```ts
 * // - { kind: sqs-batch, queue: payments, entries: [{ body: a }, { body: b }] }
 * const event = parseSqsBatchEvent(r, fields, "events[0]", base);
 * ```
 */
export function parseSqsBatchEvent(
  r: YamlReader,
  fields: MapFields,
  path: string,
  base: EventBaseFields,
): SqsBatchEvent | undefined {
  const queue = requiredText(r, fields, path, "queue", "payments");
  const entries = entriesOf(
    r,
    fields,
    path,
    10,
    "SendMessageBatch takes 1 to 10 entries (AWS: TooManyEntriesInBatchRequest)",
  );
  if (queue === undefined || entries === undefined) return undefined;
  const parsed = entries.map((node, index) => {
    const at = `${joinPath(path, "entries")}[${index}]`;
    const entry = r.map(node, at, "an entry", ["body", "groupId", "deduplicationId"]);
    const bodyNode =
      entry === undefined ? undefined : r.require(entry, "body", at, "an entry", "{ orderId: o-1 }");
    const body = bodyNode === undefined ? undefined : r.text(bodyNode, `${at}.body`);
    const text = (key: string) => {
      const value = entry?.entries.get(key)?.value;
      return value === undefined ? undefined : r.string(value, `${at}.${key}`, { maxLength: 128 });
    };
    return body === undefined
      ? undefined
      : { body, groupId: text("groupId"), deduplicationId: text("deduplicationId") };
  });
  if (parsed.some((entry) => entry === undefined)) return undefined;
  return { ...base, kind: "sqs-batch", queue, entries: parsed as SqsBatchEvent["entries"] };
}

/**
 * A `kinesis-batch` event: one PutRecords of 1 to 500 `records` (`partitionKey`, `data`) to
 * `stream`, written in order at the event's time.
 *
 * @example
 * ```ts
 * // - { kind: kinesis-batch, stream: clicks, records: [{ partitionKey: k, data: a }, { partitionKey: k, data: b }] }
 * const event = parseKinesisBatchEvent(r, fields, "events[1]", base);
 * ```
 */
export function parseKinesisBatchEvent(
  r: YamlReader,
  fields: MapFields,
  path: string,
  base: EventBaseFields,
): KinesisBatchEvent | undefined {
  const stream = requiredText(r, fields, path, "stream", "clicks");
  const records = entriesOf(r, fields, path, 500, "PutRecords takes 1 to 500 records", "records");
  if (stream === undefined || records === undefined) return undefined;
  const parsed = records.map((node, index) => {
    const at = `${joinPath(path, "records")}[${index}]`;
    const record = r.map(node, at, "a record", ["partitionKey", "data"]);
    const keyNode =
      record === undefined ? undefined : r.require(record, "partitionKey", at, "a record", "customer-1");
    const partitionKey =
      keyNode === undefined ? undefined : r.string(keyNode, `${at}.partitionKey`, { maxLength: 256 });
    const dataNode =
      record === undefined ? undefined : r.require(record, "data", at, "a record", "{ clicks: 1 }");
    const data = dataNode === undefined ? undefined : r.text(dataNode, `${at}.data`);
    return partitionKey === undefined || data === undefined ? undefined : { partitionKey, data };
  });
  if (parsed.some((record) => record === undefined)) return undefined;
  return { ...base, kind: "kinesis-batch", stream, records: parsed as KinesisBatchEvent["records"] };
}

function requiredText(
  r: YamlReader,
  fields: MapFields,
  path: string,
  key: string,
  example: string,
): string | undefined {
  const node = r.require(fields, key, path, "a batch event", example);
  return node === undefined ? undefined : r.string(node, joinPath(path, key), { maxLength: 1024 });
}

function entriesOf(
  r: YamlReader,
  fields: MapFields,
  path: string,
  max: number,
  rule: string,
  key = "entries",
): ReturnType<YamlReader["list"]> {
  const node = r.require(fields, key, path, "a batch event", "[{ ... }]");
  if (node === undefined) return undefined;
  const items = r.list(node, joinPath(path, key), key);
  if (items !== undefined && (items.length === 0 || items.length > max)) {
    r.report(node, joinPath(path, key), `${items.length} ${key}: ${rule}`);
    return undefined;
  }
  return items;
}
