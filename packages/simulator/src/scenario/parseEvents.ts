import { parseKinesisBatchEvent, parseSqsBatchEvent } from "./parseBatchEvents.js";
import { parseConcurrencyEvent, parseMappingEvent } from "./parseControlEvents.js";
import { parseExecutionEvent } from "./parseExecution.js";
import {
  EVENT_PLACEHOLDERS,
  EventKind,
  HTTP_METHODS,
  type ScenarioEvent,
  type SourceLocation,
  type TableWrite,
} from "./Scenario.js";
import { fieldLocations, LIMITS, NAME_HINT } from "./scenarioRules.js";
import { joinPath, type MapFields, type YamlNode, type YamlReader } from "./YamlReader.js";

// The `events:` section: what the scenario injects, when, and how many copies.

const COMMON_EVENT_KEYS = ["kind", "id", "at", "repeat", "every"] as const;
/** Keys each kind takes besides the common ones; any other key is reported as unknown. */
const EVENT_KEYS: Record<EventKind, readonly string[]> = {
  api: ["method", "path", "headers", "body", "jwt"],
  sqs: ["queue", "body", "groupId", "deduplicationId", "attributes"],
  sns: ["topic", "message", "subject", "attributes"],
  invoke: ["function", "payload", "payloadText", "type"],
  table: ["table", "put", "update", "delete"],
  kinesis: ["stream", "partitionKey", "data"],
  mapping: ["function", "source", "enabled"],
  concurrency: ["function", "reserved"],
  execution: ["stateMachine", "input", "name"],
  "sqs-batch": ["queue", "entries"],
  "kinesis-batch": ["stream", "records"],
};
const EVENT_KINDS = Object.values(EventKind);
/** Like a name, plus ':' (ids such as `poison:1`). */
const EVENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/;

/**
 * Event id -> where it was declared. `parseEvents` fills it; `event-outcome` expectations look ids
 * up in it, so it is shared between the two sections.
 */
export type EventIds = Map<string, SourceLocation>;

/**
 * Parses the `events:` list. Events without an `id` get `e<position>` (from 1); every id, given or
 * default, is recorded in `eventIds` and a repeated one is reported. Invalid events are reported on
 * `r` and left out.
 *
 * @param r the reader that collects the problems
 * @param node the value of `events:`
 * @param eventIds filled with the id of every valid event
 * @example
 * ```ts
 * const eventIds: EventIds = new Map();
 * const events = parseEvents(reader, eventsNode, eventIds);
 * ```
 */
export function parseEvents(r: YamlReader, node: YamlNode, eventIds: EventIds): ScenarioEvent[] {
  const items = r.list(node, "events", "events");
  if (items === undefined) return [];
  const events: ScenarioEvent[] = [];
  items.forEach((item, index) => {
    const event = parseEvent(r, item, `events[${index}]`, index, eventIds);
    if (event !== undefined) events.push(event);
  });
  return events;
}

/** One event: the common keys (id, at, repeat, every), then the keys of its kind. */
function parseEvent(
  r: YamlReader,
  node: YamlNode,
  path: string,
  index: number,
  eventIds: EventIds,
): ScenarioEvent | undefined {
  const loose = r.map(node, path, "an event", null);
  if (loose === undefined) return undefined;
  const kindNode = r.require(loose, "kind", path, "every event", "sqs");
  if (kindNode === undefined) return undefined;
  const kind = r.choice(kindNode, `${path}.kind`, EVENT_KINDS);
  if (kind === undefined) return undefined;
  const fields = r.map(node, path, `${kind} event`, [...COMMON_EVENT_KEYS, ...EVENT_KEYS[kind]]);
  if (fields === undefined) return undefined;
  const get = (key: string): YamlNode | undefined => fields.entries.get(key)?.value;
  const at = (key: string) => joinPath(path, key);

  const id =
    get("id") === undefined
      ? `e${index + 1}`
      : r.string(get("id"), at("id"), { pattern: EVENT_ID, hint: NAME_HINT });
  if (id !== undefined) {
    const previous = eventIds.get(id);
    if (previous !== undefined) {
      r.report(
        get("id") ?? fields.node,
        at("id"),
        `event id "${id}" is already used at line ${previous.line}; ids must be unique`,
      );
    } else {
      eventIds.set(id, r.locate(fields.node));
    }
  }
  for (const [key, entry] of fields.entries) {
    if ((COMMON_EVENT_KEYS as readonly string[]).includes(key)) continue;
    for (const name of placeholdersIn(r.json(entry.value))) {
      if ((EVENT_PLACEHOLDERS as readonly string[]).includes(name)) continue;
      r.report(
        entry.value,
        at(key),
        `unknown placeholder {{${name}}} in ${at(key)}; use {{n}} (copy number from 1) or {{id}} (the injection id)`,
        entry.key,
      );
    }
  }
  const atMs = get("at") === undefined ? 0 : r.duration(get("at"), at("at"));
  const repeat =
    get("repeat") === undefined
      ? 1
      : r.number(get("repeat"), at("repeat"), {
          integer: true,
          min: 1,
          max: LIMITS.maxInjectedEvents,
          hint: "how many copies to inject",
        });
  let everyMs: number | undefined = 0;
  if (get("every") !== undefined) {
    everyMs = r.duration(get("every"), at("every"));
    if (repeat === 1)
      r.report(
        fields.entries.get("every")?.key,
        at("every"),
        "every has no effect without repeat; add `repeat: <copies>` or remove every",
      );
  } else if (repeat !== undefined && repeat > 1) {
    r.report(
      fields.entries.get("repeat")?.key,
      at("repeat"),
      `repeat: ${repeat} needs every: <duration> between copies (every: 0 injects them all at once)`,
    );
  }
  const base = {
    id: id ?? "",
    atMs: atMs ?? 0,
    repeat: repeat ?? 1,
    everyMs: everyMs ?? 0,
    location: r.locate(fields.node),
    fieldLocations: fieldLocations(r, fields),
  };
  const requireText = (key: string, example: string): string | undefined => {
    const value = r.require(fields, key, path, `a ${kind} event`, example);
    return value === undefined ? undefined : r.string(value, at(key), { maxLength: 1024 });
  };
  const valid = (...values: unknown[]) =>
    id !== undefined &&
    atMs !== undefined &&
    repeat !== undefined &&
    everyMs !== undefined &&
    values.every((value) => value !== undefined);

  switch (kind) {
    case "api": {
      const methodNode = r.require(fields, "method", path, "an api event", "POST");
      const method = methodNode === undefined ? undefined : r.choice(methodNode, at("method"), HTTP_METHODS);
      const pathNode = r.require(fields, "path", path, "an api event", "/orders");
      const requestPath =
        pathNode === undefined
          ? undefined
          : r.string(pathNode, at("path"), {
              pattern: /^\/\S*$/,
              hint: 'a path starts with "/" and has no spaces, e.g. /orders/42',
            });
      const headers =
        get("headers") === undefined ? {} : r.stringMap(get("headers"), at("headers"), "headers");
      const body = get("body") === undefined ? undefined : r.json(get("body"));
      const jwt = get("jwt") === undefined ? undefined : parseJwtClaims(r, get("jwt")!, at("jwt"));
      return valid(method, requestPath, headers, jwt === null ? undefined : true)
        ? {
            ...base,
            kind,
            method: method!,
            path: requestPath!,
            headers: headers!,
            body,
            ...(jwt ? { jwtClaims: jwt } : {}),
          }
        : undefined;
    }
    case "sqs": {
      const queue = requireText("queue", "payments");
      const bodyNode = r.require(fields, "body", path, "an sqs event", '{"orderId": "o-1"}');
      const body = bodyNode === undefined ? undefined : r.text(bodyNode, at("body"));
      const groupId =
        get("groupId") === undefined
          ? undefined
          : r.string(get("groupId"), at("groupId"), { maxLength: 128 });
      const deduplicationId =
        get("deduplicationId") === undefined
          ? undefined
          : r.string(get("deduplicationId"), at("deduplicationId"), { maxLength: 128 });
      const attributes =
        get("attributes") === undefined
          ? {}
          : r.stringMap(get("attributes"), at("attributes"), "message attributes");
      return valid(queue, body, attributes) &&
        (get("groupId") === undefined || groupId !== undefined) &&
        (get("deduplicationId") === undefined || deduplicationId !== undefined)
        ? { ...base, kind, queue: queue!, body: body!, groupId, deduplicationId, attributes: attributes! }
        : undefined;
    }
    case "sns": {
      const topic = requireText("topic", "order-events");
      const messageNode = r.require(fields, "message", path, "an sns event", '{"type": "OrderPaid"}');
      const message = messageNode === undefined ? undefined : r.text(messageNode, at("message"));
      const subject =
        get("subject") === undefined
          ? undefined
          : r.string(get("subject"), at("subject"), { maxLength: 100 });
      const attributes =
        get("attributes") === undefined
          ? {}
          : r.stringMap(get("attributes"), at("attributes"), "message attributes");
      return valid(topic, message, attributes) && (get("subject") === undefined || subject !== undefined)
        ? { ...base, kind, topic: topic!, message: message!, subject, attributes: attributes! }
        : undefined;
    }
    case "invoke": {
      const fn = requireText("function", "receipts");
      const invocationType =
        get("type") === undefined
          ? "Event"
          : r.choice(get("type"), at("type"), ["Event", "RequestResponse"] as const);
      if (get("payload") !== undefined && get("payloadText") !== undefined)
        r.report(
          get("payloadText"),
          at("payloadText"),
          "payload and payloadText both give the payload; keep one",
        );
      let payload: unknown = get("payload") === undefined ? {} : r.json(get("payload"));
      if (get("payloadText") !== undefined) {
        // The payload as the raw JSON text an Invoke call sends; Lambda refuses text that is not JSON.
        const text = r.text(get("payloadText"), at("payloadText"));
        try {
          payload = text === undefined ? undefined : JSON.parse(text);
        } catch {
          r.report(
            get("payloadText"),
            at("payloadText"),
            "payloadText is not JSON; Lambda refuses it (InvalidRequestContentException: Could not parse request body into json)",
          );
          payload = undefined;
        }
      }
      return valid(fn, invocationType, payload)
        ? { ...base, kind, function: fn!, payload, invocationType: invocationType! }
        : undefined;
    }
    case "table": {
      const table = requireText("table", "orders");
      const write = parseTableWrite(r, fields, path);
      return valid(table, write) ? { ...base, kind, table: table!, write: write! } : undefined;
    }
    case "mapping": {
      const event = parseMappingEvent(r, fields, path, base);
      return valid(event) ? event : undefined;
    }
    case "sqs-batch": {
      const event = parseSqsBatchEvent(r, fields, path, base);
      return valid(event) ? event : undefined;
    }
    case "kinesis-batch": {
      const event = parseKinesisBatchEvent(r, fields, path, base);
      return valid(event) ? event : undefined;
    }
    case "execution": {
      const event = parseExecutionEvent(r, fields, path, base);
      return valid(event) ? event : undefined;
    }
    case "concurrency": {
      const event = parseConcurrencyEvent(r, fields, path, base);
      return valid(event) ? event : undefined;
    }
    case "kinesis": {
      const stream = requireText("stream", "clicks");
      const keyNode = r.require(fields, "partitionKey", path, "a kinesis event", "customer-1");
      const partitionKey =
        keyNode === undefined
          ? undefined
          : r.string(keyNode, at("partitionKey"), {
              maxLength: 256,
              hint: "Kinesis partition keys are 1 to 256 characters",
            });
      const dataNode = r.require(fields, "data", path, "a kinesis event", '{"clicks": 1}');
      const data = dataNode === undefined ? undefined : r.text(dataNode, at("data"));
      return valid(stream, partitionKey, data)
        ? { ...base, kind, stream: stream!, partitionKey: partitionKey!, data: data! }
        : undefined;
    }
  }
}

/** The single write of a table event: `put` (an item), `update` ({key, set}) or `delete` ({key}). */
function parseTableWrite(r: YamlReader, fields: MapFields, path: string): TableWrite | undefined {
  const given = (["put", "update", "delete"] as const).filter((key) => fields.entries.has(key));
  if (given.length !== 1) {
    r.report(
      given.length === 0 ? fields.node : fields.entries.get(given[1]!)?.key,
      path,
      given.length === 0
        ? "a table event needs exactly one of put (an item), update ({key, set}) or delete ({key})"
        : `a table event takes exactly one of put, update or delete; it has ${given.join(" and ")}: split it into ${given.length} events`,
    );
    return undefined;
  }
  const type = given[0]!;
  const node = fields.entries.get(type)?.value;
  const at = joinPath(path, type);
  if (type === "put") {
    const item = r.object(node, at, "the item to put");
    return item === undefined ? undefined : { type, item };
  }
  const inner = r.map(node, at, `a table ${type}`, type === "update" ? ["key", "set"] : ["key"]);
  if (inner === undefined) return undefined;
  const keyNode = r.require(inner, "key", at, `a table ${type}`, "{orderId: o-1}");
  const key = keyNode === undefined ? undefined : r.object(keyNode, `${at}.key`, "the key");
  if (type === "delete") return key === undefined ? undefined : { type, key };
  const setNode = r.require(inner, "set", at, "a table update", "{status: PAID}");
  const set = setNode === undefined ? undefined : r.object(setNode, `${at}.set`, "the attributes to set");
  return key === undefined || set === undefined ? undefined : { type, key, set };
}

/** Names of every `{{name}}` placeholder in the strings of a JSON value. */
function placeholdersIn(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (typeof value === "string") {
    for (const match of value.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)) found.add(match[1] ?? "");
  } else if (Array.isArray(value)) {
    for (const item of value) placeholdersIn(item, found);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      placeholdersIn(key, found);
      placeholdersIn(item, found);
    }
  }
  return found;
}

/**
 * `jwt:` of an api event: the claims of a token the simulator mints for the route's JWT authorizer
 * (`true` or `{}` for a valid token with the authorizer's issuer and audience; claims given here
 * override those, e.g. `exp: 0` for an expired token). Null when the value is not a map or `true`.
 */
function parseJwtClaims(r: YamlReader, node: YamlNode, where: string): Record<string, unknown> | null {
  const value = r.json(node);
  if (value === true) return {};
  if (value !== null && typeof value === "object" && !Array.isArray(value))
    return value as Record<string, unknown>;
  r.report(
    node,
    where,
    "jwt must be true or a map of claims, e.g. jwt: { sub: customer-1, scope: orders/write }",
  );
  return null;
}
