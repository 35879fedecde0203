import { isDeepStrictEqual } from "node:util";

/**
 * What a scripted function looks for in what it receives:
 * - `{ contains }`: the record's (or event's) JSON text contains the text;
 * - `{ path, equals }`: the value at a JSON path equals a JSON value;
 * - `{ path, exists }`: a JSON path is present (`exists: true`) or absent (`exists: false`).
 *
 * Paths are read from each record's content (see `recordContent`); a string met on the way that
 * holds JSON is parsed and followed, so `$.body.orderId` reaches into an API request's JSON body.
 */
export type PayloadMatch =
  | { readonly contains: string }
  | { readonly path: string; readonly equals: unknown }
  | { readonly path: string; readonly exists: boolean };

/** One step of a path: an object key or an array index. */
export type PathSegment = string | number;

const SEGMENT = /^(?:\.([A-Za-z0-9_$-]+)|\[(\d+)\]|\["([^"\\]*)"\])/;

/**
 * The steps of a JSON path such as `$.order.items[0].sku` or `$["x-key"]`; `undefined` when the text
 * is not one (only `$`, `.name`, `[n]` and `["name"]` are understood: no wildcards, no filters).
 *
 * @example
 * ```ts
 * parseJsonPath("$.items[0].sku"); // ["items", 0, "sku"]
 * ```
 */
export function parseJsonPath(path: string): PathSegment[] | undefined {
  if (!path.startsWith("$")) return undefined;
  const segments: PathSegment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const step = SEGMENT.exec(rest);
    if (step === null) return undefined;
    segments.push(step[2] !== undefined ? Number(step[2]) : (step[1] ?? step[3]!));
    rest = rest.slice(step[0].length);
  }
  return segments;
}

/**
 * What a path names in a value: `{ found: false }` when a step is missing. A string that holds JSON
 * is parsed before a step goes into it.
 *
 * @example
 * ```ts
 * readJsonPath({ body: '{"orderId":"o-1"}' }, ["body", "orderId"]); // { found: true, value: "o-1" }
 * ```
 */
export function readJsonPath(
  value: unknown,
  segments: readonly PathSegment[],
): { readonly found: boolean; readonly value?: unknown } {
  let current = value;
  for (const segment of segments) {
    current = parsedIfJson(current);
    if (typeof segment === "number") {
      if (!Array.isArray(current) || segment >= current.length) return { found: false };
      current = current[segment];
    } else {
      if (
        current === null ||
        typeof current !== "object" ||
        Array.isArray(current) ||
        !Object.hasOwn(current, segment)
      )
        return { found: false };
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return { found: true, value: current };
}

/**
 * What a record carries, as a scenario thinks of it: an SQS message's body, an SNS message, a
 * Kinesis record's data (decoded from base64), a DynamoDB stream record's `dynamodb` part (Keys,
 * NewImage, OldImage in DynamoDB's attribute format); any other record as it is.
 *
 * @example
 * ```ts
 * recordContent({ messageId: "m-1", body: '{"job":1}' }); // '{"job":1}'
 * ```
 */
export function recordContent(record: unknown): unknown {
  if (record === null || typeof record !== "object") return record;
  const value = record as {
    body?: unknown;
    messageId?: unknown;
    Sns?: { Message?: unknown };
    kinesis?: { data?: unknown };
    dynamodb?: unknown;
  };
  if (typeof value.messageId === "string" && "body" in value) return value.body;
  if (value.Sns !== undefined) return value.Sns.Message;
  if (typeof value.kinesis?.data === "string")
    return Buffer.from(value.kinesis.data, "base64").toString("utf8");
  if (value.dynamodb !== undefined) return value.dynamodb;
  return record;
}

/**
 * Whether one record (or a whole event that is not a batch) matches. `contains` looks at the JSON
 * text of the record as delivered; a path is read from the record's content.
 *
 * @example
 * ```ts
 * recordMatches({ path: "$.job", equals: 1 }, { messageId: "m-1", body: '{"job":1}' }); // true
 * ```
 */
export function recordMatches(match: PayloadMatch, record: unknown): boolean {
  if ("contains" in match) return (JSON.stringify(record) ?? "").includes(match.contains);
  const segments = parseJsonPath(match.path);
  if (segments === undefined) return false;
  const read = readJsonPath(recordContent(record), segments);
  if ("exists" in match) return read.found === match.exists;
  if (!read.found) return false;
  return (
    isDeepStrictEqual(read.value, match.equals) ||
    (typeof read.value === "string" &&
      typeof match.equals !== "string" &&
      isDeepStrictEqual(parsedIfJson(read.value), match.equals))
  );
}

/**
 * Whether an invocation's event matches: any of its `Records` does, or, for an event that is not a
 * batch (a direct invoke, an EventBridge event, an API request), the event itself.
 *
 * @example
 * ```ts
 * eventMatches({ path: "$.orderId", exists: true }, { orderId: "o-1" }); // true
 * ```
 */
export function eventMatches(match: PayloadMatch, event: unknown): boolean {
  const records = (event as { Records?: unknown } | null)?.Records;
  if (Array.isArray(records)) return records.some((record) => recordMatches(match, record));
  return recordMatches(match, event);
}

/**
 * A match in words, for descriptions and messages.
 *
 * @example
 * ```ts
 * describeMatch({ path: "$.job", equals: 1 }); // "$.job = 1"
 * ```
 */
export function describeMatch(match: PayloadMatch): string {
  if ("contains" in match) return `contains ${JSON.stringify(match.contains)}`;
  if ("exists" in match) return `${match.path} ${match.exists ? "is present" : "is absent"}`;
  return `${match.path} = ${JSON.stringify(match.equals)}`;
}

function parsedIfJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const start = value.trimStart()[0];
  if (start !== "{" && start !== "[") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
