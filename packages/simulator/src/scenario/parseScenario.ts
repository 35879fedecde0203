import { isMap, isSeq, LineCounter, parseDocument } from "yaml";
import {
  type CountSpec,
  type DownstreamSpec,
  EVENT_PLACEHOLDERS,
  EventKind,
  type Expectation,
  ExpectationCheck,
  FunctionBehaviour,
  HTTP_METHODS,
  type LatencySpec,
  type OutageWindow,
  type RouteBehaviour,
  SCENARIO_DISPOSITIONS,
  type Scenario,
  type ScenarioDisposition,
  type ScenarioEvent,
  type ScriptedFunctionSpec,
  type SourceLocation,
  type TableWrite,
} from "./Scenario.js";
import { ScenarioError } from "./ScenarioError.js";
import { joinPath, type MapFields, type YamlNode, YamlReader } from "./YamlReader.js";

/** Limits that keep a scenario bounded; a run past them is a typo, not a plan. */
const LIMITS = {
  /** 31 days: longer than every AWS retention involved (SQS 14 d, streams 7 d, async 6 h). */
  maxVirtualMs: 31 * 86_400_000,
  /** Total injected events after `repeat` expansion. */
  maxInjectedEvents: 1_000_000,
  defaultMaxVirtualMs: 86_400_000,
} as const;

const TOP_KEYS = [
  "name",
  "description",
  "stack",
  "seed",
  "durationSeconds",
  "maxVirtualSeconds",
  "events",
  "downstreams",
  "functions",
  "expect",
] as const;

const COMMON_EVENT_KEYS = ["kind", "id", "at", "repeat", "every"] as const;
const EVENT_KEYS: Record<EventKind, readonly string[]> = {
  api: ["method", "path", "headers", "body"],
  sqs: ["queue", "body", "groupId", "deduplicationId", "attributes"],
  sns: ["topic", "message", "subject", "attributes"],
  invoke: ["function", "payload"],
  table: ["table", "put", "update", "delete"],
  kinesis: ["stream", "partitionKey", "data"],
};
const EVENT_KINDS = Object.values(EventKind);

const ROUTE_KEYS = [
  "status",
  "sequence",
  "body",
  "errorRate",
  "errorStatus",
  "errorBody",
  "idempotent",
  "latencyMs",
  "outages",
] as const;
const OUTAGE_KEYS = ["from", "to", "mode"] as const;
const ROUTE_PATTERN = /^(\*|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/[^\s*]*)$/;

const FUNCTION_KEYS: Record<FunctionBehaviour, readonly string[]> = {
  succeed: ["result", "durationMs"],
  fail: ["errorType", "errorMessage", "durationMs"],
  "fail-times": ["times", "per", "errorType", "errorMessage", "result", "durationMs"],
  "fail-rate": ["rate", "errorType", "errorMessage", "result", "durationMs"],
  "fail-matching": ["match", "errorType", "errorMessage", "result", "durationMs"],
  "batch-item-failures": ["match", "durationMs"],
  throttle: ["times", "per", "result", "durationMs"],
};
const BEHAVIOURS = Object.values(FunctionBehaviour);

const EXPECT_KEYS: Record<ExpectationCheck, readonly string[]> = {
  "no-double-charge": ["downstream", "route", "key"],
  "dead-letters-alerted": ["downstream", "key"],
  "queue-depth": ["queue", "equals", "atLeast", "atMost"],
  "time-to-dead-letter": ["atMostSeconds", "source"],
  "every-event-final": [],
  "outcome-counts": ["source", ...SCENARIO_DISPOSITIONS],
  "event-outcome": ["event", "disposition", "attempts"],
  requests: ["downstream", "route", "status", "count"],
};
const CHECKS = Object.values(ExpectationCheck);

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
const NAME_HINT = "use letters, digits, '.', '_' or '-' (at most 80 characters)";
const EVENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/;
/** Source labels of outcomes, as the simulator's models name them: `<kind>:<name>` (see RunResult). */
const SOURCE = /^(api|sqs|sns|lambda|dynamodb-stream|kinesis|sfn):\S(.*\S)?$/;
const SOURCE_HINT =
  "write <kind>:<name> with kind api, sqs, sns, lambda, dynamodb-stream, kinesis or sfn (e.g. sqs:payments, dynamodb-stream:orders)";

/**
 * Parses and validates a scenario file (YAML). Every problem is collected and thrown at once as a
 * `ScenarioError` whose lines read `file:line:column: problem; fix`, for example
 * `scenarios/x.yaml:14:5: unknown key "sed" in scenario; did you mean "seed"?`. Unknown keys, unknown
 * kinds and impossible values (negative times, error rates above 1, outage windows that end before
 * they start, a repeat without a spacing, duplicate event ids) are rejected. Names of queues, topics
 * and functions are checked later against the stack by `checkScenarioAgainst`.
 *
 * @param text the file's content
 * @param fileName the name to show in messages (as the user would open it, e.g. `scenarios/x.yaml`)
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { parseScenario } from "@rebound/simulator";
 * const file = "scenarios/payment-outage.yaml";
 * const scenario = parseScenario(readFileSync(file, "utf8"), file);
 * ```
 */
export function parseScenario(text: string, fileName: string): Scenario {
  if (typeof text !== "string")
    throw new TypeError(`parseScenario(text, fileName): text must be a string, got ${typeof text}`);
  if (typeof fileName !== "string" || fileName === "") {
    throw new TypeError(
      "parseScenario(text, fileName): fileName must be a non-empty string (used in every message)",
    );
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: true,
    strict: true,
  });
  const reader = new YamlReader(fileName, doc, lines);
  for (const error of doc.errors) {
    const position = error.linePos?.[0] ?? { line: 1, col: 1 };
    reader.issues.push({
      file: fileName,
      line: position.line,
      column: position.col,
      path: "",
      message: `YAML syntax: ${error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "")}`,
    });
  }
  if (reader.issues.length > 0) throw new ScenarioError(reader.issues);
  const scenario = new ScenarioParser(reader).parse(doc.contents as YamlNode);
  if (reader.issues.length > 0 || scenario === undefined) {
    throw new ScenarioError(reader.issues.sort((a, b) => a.line - b.line || a.column - b.column));
  }
  return scenario;
}

class ScenarioParser {
  readonly #eventIds = new Map<string, SourceLocation>();

  public constructor(private readonly reader: YamlReader) {}

  public parse(root: YamlNode): Scenario | undefined {
    const r = this.reader;
    if (root === null || root === undefined) {
      r.report(
        root,
        "",
        "the scenario file is empty; start with `name: my-scenario` (see scenarios/README.md)",
      );
      return undefined;
    }
    const fields = r.map(root, "scenario", "scenario", TOP_KEYS);
    if (fields === undefined) return undefined;
    const get = (key: string): YamlNode | undefined => fields.entries.get(key)?.value;

    const nameNode = r.require(fields, "name", "scenario", "the scenario", "payment-outage");
    const name = nameNode === undefined ? undefined : r.string(nameNode, "name", { maxLength: 100 });
    // Folded YAML blocks (`>`) end with a newline; the summary and report want the text alone.
    const description =
      get("description") === undefined ? "" : r.string(get("description"), "description")?.trim();
    const stack =
      get("stack") === undefined
        ? undefined
        : r.string(get("stack"), "stack", {
            pattern: /\.tf\.json$/,
            hint: "give the path of a Terraform JSON file ending in .tf.json",
          });
    const seed =
      get("seed") === undefined
        ? 1
        : r.number(get("seed"), "seed", { integer: true, min: 0, max: 2 ** 32 - 1 });
    const durationMs =
      get("durationSeconds") === undefined
        ? undefined
        : this.positiveSeconds(get("durationSeconds"), "durationSeconds");
    const capMs =
      get("maxVirtualSeconds") === undefined
        ? LIMITS.defaultMaxVirtualMs
        : this.positiveSeconds(get("maxVirtualSeconds"), "maxVirtualSeconds");
    if (fields.entries.has("durationSeconds") && fields.entries.has("maxVirtualSeconds")) {
      r.report(
        fields.entries.get("maxVirtualSeconds")?.key,
        "maxVirtualSeconds",
        "give either durationSeconds (run exactly that long) or maxVirtualSeconds (run until idle, at most that long), not both",
      );
    }

    const events = get("events") === undefined ? [] : this.events(get("events"));
    const downstreams = get("downstreams") === undefined ? {} : this.downstreams(get("downstreams"));
    const functions = get("functions") === undefined ? {} : this.functions(get("functions"));
    const expect = get("expect") === undefined ? [] : this.expectations(get("expect"));

    const injected = events.reduce((total, event) => total + event.repeat, 0);
    if (injected > LIMITS.maxInjectedEvents) {
      r.report(
        get("events"),
        "events",
        `the events inject ${injected} events in total; the limit is ${LIMITS.maxInjectedEvents}: lower their repeat`,
      );
    }
    const endMs = durationMs ?? capMs;
    if (endMs !== undefined) {
      for (const event of events) {
        const lastMs = event.atMs + (event.repeat - 1) * event.everyMs;
        if (lastMs > endMs) {
          const where = event.location;
          r.issues.push({
            file: where.file,
            line: where.line,
            column: where.column,
            path: `events(${event.id})`,
            message: `event "${event.id}" is injected until ${lastMs / 1000} s, after the run ends at ${endMs / 1000} s; move it earlier or raise ${durationMs === undefined ? "maxVirtualSeconds" : "durationSeconds"}`,
          });
        }
      }
    }
    if (name === undefined || description === undefined || seed === undefined || capMs === undefined)
      return undefined;
    return {
      file: r.file,
      name,
      description,
      stack,
      seed,
      durationMs,
      maxVirtualMs: durationMs ?? capMs,
      events,
      downstreams,
      functions,
      expect,
    };
  }

  private positiveSeconds(node: YamlNode, path: string): number | undefined {
    const seconds = this.reader.number(node, path, {
      min: 0.001,
      max: LIMITS.maxVirtualMs / 1000,
      hint: "seconds of virtual time, e.g. 3600 for an hour",
    });
    return seconds === undefined ? undefined : Math.round(seconds * 1000);
  }

  private locations(fields: MapFields): Record<string, SourceLocation> {
    const result: Record<string, SourceLocation> = {};
    for (const [key, entry] of fields.entries) result[key] = this.reader.locate(entry.value, entry.key);
    return result;
  }

  // ---------------------------------------------------------------- events

  private events(node: YamlNode): ScenarioEvent[] {
    const items = this.reader.list(node, "events", "events");
    if (items === undefined) return [];
    const events: ScenarioEvent[] = [];
    items.forEach((item, index) => {
      const event = this.event(item, `events[${index}]`, index);
      if (event !== undefined) events.push(event);
    });
    return events;
  }

  private event(node: YamlNode, path: string, index: number): ScenarioEvent | undefined {
    const r = this.reader;
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
      const previous = this.#eventIds.get(id);
      if (previous !== undefined) {
        r.report(
          get("id") ?? fields.node,
          at("id"),
          `event id "${id}" is already used at line ${previous.line}; ids must be unique`,
        );
      } else {
        this.#eventIds.set(id, r.locate(fields.node));
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
      fieldLocations: this.locations(fields),
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
        const method =
          methodNode === undefined ? undefined : r.choice(methodNode, at("method"), HTTP_METHODS);
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
        return valid(method, requestPath, headers)
          ? { ...base, kind, method: method!, path: requestPath!, headers: headers!, body }
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
        const payload = get("payload") === undefined ? {} : r.json(get("payload"));
        return valid(fn) ? { ...base, kind, function: fn!, payload } : undefined;
      }
      case "table": {
        const table = requireText("table", "orders");
        const write = this.tableWrite(fields, path);
        return valid(table, write) ? { ...base, kind, table: table!, write: write! } : undefined;
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

  private tableWrite(fields: MapFields, path: string): TableWrite | undefined {
    const r = this.reader;
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

  // ---------------------------------------------------------------- downstreams

  private downstreams(node: YamlNode): Record<string, DownstreamSpec> {
    const r = this.reader;
    const services = r.map(node, "downstreams", "downstreams", null);
    const result: Record<string, DownstreamSpec> = {};
    if (services === undefined) return result;
    for (const [name, entry] of services.entries) {
      const path = `downstreams.${name}`;
      if (!NAME.test(name)) {
        r.report(entry.key, path, `downstream name "${name}" is invalid; ${NAME_HINT}`);
        continue;
      }
      const fields = r.map(entry.value, path, `downstream "${name}"`, [...ROUTE_KEYS, "routes"]);
      if (fields === undefined) continue;
      const defaults = this.route(fields, path, DEFAULT_ROUTE);
      const routes: Record<string, RouteBehaviour> = {};
      const routesNode = fields.entries.get("routes")?.value;
      const routeFields =
        routesNode === undefined ? undefined : r.map(routesNode, `${path}.routes`, "routes", null);
      for (const [route, routeEntry] of routeFields?.entries ?? []) {
        const routePath = `${path}.routes["${route}"]`;
        if (!ROUTE_PATTERN.test(route)) {
          r.report(
            routeEntry.key,
            routePath,
            `route "${route}" is invalid; write "<METHOD> <path>", e.g. "POST /charges" (METHOD may be *, a segment {name} matches any one segment)`,
          );
          continue;
        }
        const behaviourFields = r.map(routeEntry.value, routePath, `route "${route}"`, ROUTE_KEYS);
        const behaviour =
          behaviourFields === undefined || defaults === undefined
            ? undefined
            : this.route(behaviourFields, routePath, defaults);
        if (behaviour !== undefined) routes[route] = behaviour;
      }
      if (defaults !== undefined) result[name] = { defaults, routes, location: r.locate(entry.key) };
    }
    return result;
  }

  /** A route behaviour: keys given here override `inherited` (the service's defaults). */
  private route(fields: MapFields, path: string, inherited: RouteBehaviour): RouteBehaviour | undefined {
    const r = this.reader;
    const get = (key: string): YamlNode | undefined => fields.entries.get(key)?.value;
    let ok = true;
    const take = <T>(key: string, read: (node: YamlNode, at: string) => T | undefined, fallback: T): T => {
      const node = get(key);
      if (node === undefined) return fallback;
      const value = read(node, joinPath(path, key));
      if (value === undefined) ok = false;
      return value ?? fallback;
    };
    const status = take("status", (n, at) => r.number(n, at, STATUS_RULE), inherited.status);
    const sequence = take("sequence", (n, at) => this.statuses(n, at, 10_000), inherited.sequence);
    const body = take("body", (n) => r.json(n), inherited.body);
    const errorRate = take(
      "errorRate",
      (n, at) => r.number(n, at, { min: 0, max: 1, hint: "a fraction of requests: 0.25 fails one in four" }),
      inherited.errorRate,
    );
    const errorStatus = take("errorStatus", (n, at) => r.number(n, at, STATUS_RULE), inherited.errorStatus);
    const errorBody = take("errorBody", (n) => r.json(n), inherited.errorBody);
    const idempotent = take("idempotent", (n, at) => r.boolean(n, at), inherited.idempotent);
    const latency = take("latencyMs", (n, at) => this.latency(n, at), inherited.latency);
    const outages = take("outages", (n, at) => this.outages(n, at), inherited.outages);
    return ok
      ? { status, sequence, body, errorRate, errorStatus, errorBody, idempotent, latency, outages }
      : undefined;
  }

  private statuses(node: YamlNode, path: string, maxItems = 100): number[] | undefined {
    const r = this.reader;
    const resolved = r.resolve(node);
    if (isSeq(resolved)) {
      const items = r.list(node, path, path) ?? [];
      if (items.length > maxItems) {
        r.report(node, path, `${path} lists ${items.length} statuses; at most ${maxItems}`);
        return undefined;
      }
      if (items.length === 0) {
        r.report(node, path, `${path} is empty; list at least one status, e.g. [500, 503]`);
        return undefined;
      }
      const values = items.map((item, index) => r.number(item, `${path}[${index}]`, STATUS_RULE));
      return values.every((value) => value !== undefined) ? (values as number[]) : undefined;
    }
    const single = r.number(node, path, STATUS_RULE);
    return single === undefined ? undefined : [single];
  }

  /** `latencyMs: 120` or `latencyMs: [50, 400]` (uniform, seeded). */
  private latency(node: YamlNode, path: string): LatencySpec | undefined {
    const r = this.reader;
    const resolved = r.resolve(node);
    const rule = {
      min: 0,
      max: 900_000,
      hint: "milliseconds of virtual time (at most 900000, the longest Lambda timeout)",
    };
    if (isSeq(resolved)) {
      const items = r.list(node, path, path) ?? [];
      if (items.length !== 2) {
        r.report(node, path, `${path} range must have two values [min, max], got ${items.length}`);
        return undefined;
      }
      const minMs = r.number(items[0], `${path}[0]`, rule);
      const maxMs = r.number(items[1], `${path}[1]`, rule);
      if (minMs === undefined || maxMs === undefined) return undefined;
      if (maxMs < minMs) {
        r.report(
          node,
          path,
          `${path} range [${minMs}, ${maxMs}] ends before it starts; write [${maxMs}, ${minMs}]`,
        );
        return undefined;
      }
      return { minMs, maxMs };
    }
    const fixed = r.number(node, path, rule);
    return fixed === undefined ? undefined : { minMs: fixed, maxMs: fixed };
  }

  private outages(node: YamlNode, path: string): OutageWindow[] | undefined {
    const r = this.reader;
    const items = r.list(node, path, "outages");
    if (items === undefined) return undefined;
    const windows: OutageWindow[] = [];
    let ok = true;
    items.forEach((item, index) => {
      const at = `${path}[${index}]`;
      const fields = r.map(item, at, "an outage window", OUTAGE_KEYS);
      if (fields === undefined) {
        ok = false;
        return;
      }
      const fromNode = r.require(fields, "from", at, "an outage window", "60s");
      const toNode = r.require(fields, "to", at, "an outage window", "10m");
      const fromMs = fromNode === undefined ? undefined : r.duration(fromNode, `${at}.from`);
      const toMs = toNode === undefined ? undefined : r.duration(toNode, `${at}.to`);
      const modeNode = fields.entries.get("mode")?.value;
      const mode =
        modeNode === undefined
          ? "unavailable"
          : r.choice(modeNode, `${at}.mode`, ["unavailable", "hang"] as const);
      if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) {
        r.report(
          toNode,
          `${at}.to`,
          `outage window ends (${toMs / 1000} s) before it starts (${fromMs / 1000} s); "to" must be after "from"`,
        );
        ok = false;
        return;
      }
      if (fromMs === undefined || toMs === undefined || mode === undefined) {
        ok = false;
        return;
      }
      windows.push({ fromMs, toMs, mode, location: r.locate(fields.node) });
    });
    return ok ? windows : undefined;
  }

  // ---------------------------------------------------------------- scripted functions

  private functions(node: YamlNode): Record<string, ScriptedFunctionSpec> {
    const r = this.reader;
    const all = r.map(node, "functions", "functions", null);
    const result: Record<string, ScriptedFunctionSpec> = {};
    for (const [name, entry] of all?.entries ?? []) {
      const path = `functions.${name}`;
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
        r.report(
          entry.key,
          path,
          `function name "${name}" is invalid; Lambda names are 1 to 64 letters, digits, '-' or '_'`,
        );
        continue;
      }
      const loose = r.map(entry.value, path, `function "${name}"`, null);
      if (loose === undefined) continue;
      const behaviourNode = r.require(loose, "behaviour", path, `scripted function "${name}"`, "fail-times");
      const behaviour =
        behaviourNode === undefined ? undefined : r.choice(behaviourNode, `${path}.behaviour`, BEHAVIOURS);
      if (behaviour === undefined) continue;
      const allowed = FUNCTION_KEYS[behaviour];
      for (const [key, field] of loose.entries) {
        if (key === "behaviour" || allowed.includes(key)) continue;
        const owner = BEHAVIOURS.find((other) => FUNCTION_KEYS[other].includes(key));
        r.report(
          field.key,
          `${path}.${key}`,
          owner === undefined
            ? `unknown key "${key}" in scripted function "${name}"; allowed with behaviour ${behaviour}: ${allowed.join(", ")}`
            : `"${key}" has no meaning with behaviour ${behaviour}; remove it, or use a behaviour that takes it (e.g. ${owner})`,
        );
      }
      const get = (key: string): YamlNode | undefined => loose.entries.get(key)?.value;
      const needs = (key: string, example: string): YamlNode | undefined =>
        r.require(loose, key, path, `behaviour ${behaviour}`, example);
      const timesNode =
        behaviour === "fail-times"
          ? needs("times", "2")
          : behaviour === "throttle"
            ? get("times")
            : undefined;
      const times =
        timesNode === undefined
          ? undefined
          : r.number(timesNode, `${path}.times`, { integer: true, min: 1, max: 1_000_000 });
      const rateNode = behaviour === "fail-rate" ? needs("rate", "0.2") : undefined;
      const rate =
        rateNode === undefined
          ? undefined
          : r.number(rateNode, `${path}.rate`, {
              min: 0,
              max: 1,
              hint: "a fraction of invocations: 0.2 fails one in five",
            });
      const matchNode =
        behaviour === "fail-matching" || behaviour === "batch-item-failures"
          ? needs("match", "poison")
          : undefined;
      const match = matchNode === undefined ? undefined : r.string(matchNode, `${path}.match`);
      const errorType =
        get("errorType") === undefined
          ? "Error"
          : r.string(get("errorType"), `${path}.errorType`, {
              pattern: /^[A-Za-z_$][\w$.]*$/,
              hint: "an error name such as PaymentProviderUnavailable",
            });
      const errorMessage =
        get("errorMessage") === undefined
          ? `scripted ${behaviour} of ${name}`
          : r.string(get("errorMessage"), `${path}.errorMessage`);
      const duration =
        get("durationMs") === undefined
          ? { minMs: 0, maxMs: 0 }
          : this.latency(get("durationMs"), `${path}.durationMs`);
      const perNode = get("per");
      const per =
        perNode === undefined ? "event" : r.choice(perNode, `${path}.per`, ["event", "function"] as const);
      if (perNode !== undefined && behaviour === "throttle" && timesNode === undefined) {
        r.report(
          loose.entries.get("per")?.key,
          `${path}.per`,
          "per counts `times`; add `times: <n>` or remove per",
        );
        continue;
      }
      const value = get("result") === undefined ? null : r.json(get("result"));
      // A required setting that is missing or invalid was reported above; leave the function out.
      const required = {
        "fail-times": times,
        "fail-rate": rate,
        "fail-matching": match,
        "batch-item-failures": match,
      } as Partial<Record<FunctionBehaviour, unknown>>;
      if (behaviour in required && required[behaviour] === undefined) continue;
      if (
        per === undefined ||
        (timesNode !== undefined && times === undefined) ||
        errorType === undefined ||
        errorMessage === undefined ||
        duration === undefined
      )
        continue;
      result[name] = {
        behaviour,
        errorType,
        errorMessage,
        times,
        per,
        rate,
        match,
        result: value,
        duration,
        location: r.locate(entry.key),
      };
    }
    return result;
  }

  // ---------------------------------------------------------------- expectations

  private expectations(node: YamlNode): Expectation[] {
    const items = this.reader.list(node, "expect", "expect");
    if (items === undefined) return [];
    const result: Expectation[] = [];
    items.forEach((item, index) => {
      const expectation = this.expectation(item, `expect[${index}]`);
      if (expectation !== undefined) result.push(expectation);
    });
    return result;
  }

  private expectation(node: YamlNode, path: string): Expectation | undefined {
    const r = this.reader;
    const loose = r.map(node, path, "an expectation", null);
    if (loose === undefined) return undefined;
    const checkNode = r.require(loose, "check", path, "every expectation", "no-double-charge");
    const check = checkNode === undefined ? undefined : r.choice(checkNode, `${path}.check`, CHECKS);
    if (check === undefined) return undefined;
    const fields = r.map(node, path, `expectation ${check}`, ["check", "name", ...EXPECT_KEYS[check]]);
    if (fields === undefined) return undefined;
    const get = (key: string): YamlNode | undefined => fields.entries.get(key)?.value;
    const text = (
      key: string,
      fallback: string | undefined,
      rule?: Parameters<YamlReader["string"]>[2],
    ): string | undefined => (get(key) === undefined ? fallback : r.string(get(key), `${path}.${key}`, rule));
    const needText = (
      key: string,
      example: string,
      rule?: Parameters<YamlReader["string"]>[2],
    ): string | undefined => {
      const value = r.require(fields, key, path, `expectation ${check}`, example);
      return value === undefined ? undefined : r.string(value, `${path}.${key}`, rule);
    };
    const customName = text("name", undefined, { maxLength: 200 });
    if (get("name") !== undefined && customName === undefined) return undefined;
    const base = (defaultName: string) => ({
      name: customName ?? defaultName,
      location: r.locate(fields.node),
      fieldLocations: this.locations(fields),
    });

    switch (check) {
      case "no-double-charge": {
        const downstream = text("downstream", "payment", { pattern: NAME, hint: NAME_HINT });
        const route = text("route", "POST /charges", {
          pattern: ROUTE_PATTERN,
          hint: 'write "<METHOD> <path>", e.g. "POST /charges"',
        });
        const key = text("key", "orderId");
        if (downstream === undefined || route === undefined || key === undefined) return undefined;
        return { ...base(`no ${key} charged twice (${downstream} ${route})`), check, downstream, route, key };
      }
      case "dead-letters-alerted": {
        const downstream = text("downstream", "slack", { pattern: NAME, hint: NAME_HINT });
        const key = text("key", undefined);
        if (downstream === undefined || (get("key") !== undefined && key === undefined)) return undefined;
        return { ...base(`every dead-lettered event alerted in ${downstream}`), check, downstream, key };
      }
      case "queue-depth": {
        const queue = needText("queue", "payments-dlq", { pattern: NAME, hint: NAME_HINT });
        const count = this.bounds(fields, path, "a queue-depth expectation");
        if (queue === undefined || count === undefined) return undefined;
        return { ...base(`${queue} depth ${describeCount(count)} at the end`), check, queue, count };
      }
      case "time-to-dead-letter": {
        const secondsNode = r.require(
          fields,
          "atMostSeconds",
          path,
          "expectation time-to-dead-letter",
          "120",
        );
        const seconds =
          secondsNode === undefined
            ? undefined
            : r.number(secondsNode, `${path}.atMostSeconds`, { min: 0, max: LIMITS.maxVirtualMs / 1000 });
        const source = text("source", undefined, { pattern: SOURCE, hint: SOURCE_HINT });
        if (seconds === undefined || (get("source") !== undefined && source === undefined)) return undefined;
        return {
          ...base(`every dead letter${source ? ` of ${source}` : ""} within ${seconds} s`),
          check,
          atMostMs: Math.round(seconds * 1000),
          source,
        };
      }
      case "every-event-final":
        return { ...base("every event reaches one final disposition"), check };
      case "outcome-counts": {
        const source = needText("source", "sqs:payments", { pattern: SOURCE, hint: SOURCE_HINT });
        const counts: Partial<Record<ScenarioDisposition, CountSpec>> = {};
        let ok = source !== undefined;
        for (const disposition of SCENARIO_DISPOSITIONS) {
          const countNode = get(disposition);
          if (countNode === undefined) continue;
          const count = this.count(countNode, `${path}.${disposition}`);
          if (count === undefined) ok = false;
          else counts[disposition] = count;
        }
        if (Object.keys(counts).length === 0 && ok) {
          r.report(
            fields.node,
            path,
            `expectation outcome-counts needs at least one of ${SCENARIO_DISPOSITIONS.join(", ")}; add e.g. \`processed: 20\``,
          );
          return undefined;
        }
        if (!ok) return undefined;
        const summary = Object.entries(counts)
          .map(([disposition, count]) => `${disposition} ${describeCount(count)}`)
          .join(", ");
        return { ...base(`${source}: ${summary}`), check, source: source!, counts };
      }
      case "event-outcome": {
        const eventNode = r.require(fields, "event", path, "expectation event-outcome", "poison-1");
        const event = eventNode === undefined ? undefined : r.string(eventNode, `${path}.event`);
        if (event !== undefined && !this.#eventIds.has(event)) {
          r.report(
            eventNode,
            `${path}.event`,
            `no event has id "${event}"; give the event an \`id: ${event}\` or use one of: ${[...this.#eventIds.keys()].join(", ") || "(no events)"}`,
          );
          return undefined;
        }
        const dispositionNode = r.require(
          fields,
          "disposition",
          path,
          "expectation event-outcome",
          "dead-lettered",
        );
        const disposition =
          dispositionNode === undefined
            ? undefined
            : r.choice(dispositionNode, `${path}.disposition`, SCENARIO_DISPOSITIONS);
        const attempts =
          get("attempts") === undefined ? undefined : this.count(get("attempts"), `${path}.attempts`);
        if (
          event === undefined ||
          disposition === undefined ||
          (get("attempts") !== undefined && attempts === undefined)
        )
          return undefined;
        return {
          ...base(
            `event ${event} ${disposition}${attempts ? ` after ${describeCount(attempts)} attempt(s)` : ""}`,
          ),
          check,
          event,
          disposition,
          attempts,
        };
      }
      case "requests": {
        const downstream = needText("downstream", "slack", { pattern: NAME, hint: NAME_HINT });
        const route = text("route", undefined, {
          pattern: ROUTE_PATTERN,
          hint: 'write "<METHOD> <path>", e.g. "POST /charges"',
        });
        const statusNode = get("status");
        const status =
          statusNode === undefined
            ? "any"
            : r.choice(statusNode, `${path}.status`, ["success", "error", "any"] as const);
        const countNode = r.require(fields, "count", path, "expectation requests", "3");
        const count = countNode === undefined ? undefined : this.count(countNode, `${path}.count`);
        if (
          downstream === undefined ||
          status === undefined ||
          count === undefined ||
          (get("route") !== undefined && route === undefined)
        )
          return undefined;
        const what = status === "any" ? "requests" : `${status} requests`;
        return {
          ...base(`${describeCount(count)} ${what} to ${downstream}${route ? ` ${route}` : ""}`),
          check,
          downstream,
          route,
          status,
          count,
        };
      }
    }
  }

  /** `equals` / `atLeast` / `atMost` keys of the expectation itself (queue-depth). */
  private bounds(fields: MapFields, path: string, what: string): CountSpec | undefined {
    const r = this.reader;
    const read = (key: string) => {
      const node = fields.entries.get(key)?.value;
      return node === undefined ? undefined : r.number(node, `${path}.${key}`, COUNT_RULE);
    };
    const has = (key: string) => fields.entries.has(key);
    if (!has("equals") && !has("atLeast") && !has("atMost")) {
      r.report(fields.node, path, `${what} needs equals, atMost or atLeast; add e.g. \`equals: 0\``);
      return undefined;
    }
    if (has("equals") && (has("atLeast") || has("atMost"))) {
      r.report(
        fields.entries.get("equals")?.key,
        `${path}.equals`,
        "equals cannot be combined with atLeast/atMost; keep one form",
      );
      return undefined;
    }
    return this.finishBounds(fields.node, path, read("equals"), read("atLeast"), read("atMost"), has);
  }

  /** A count: `3`, or a mapping `{equals}`, `{atLeast, atMost}`. */
  private count(node: YamlNode, path: string): CountSpec | undefined {
    const r = this.reader;
    const resolved = r.resolve(node);
    if (isMap(resolved)) {
      const fields = r.map(node, path, "a count", ["equals", "atLeast", "atMost"]);
      if (fields === undefined) return undefined;
      return this.bounds(fields, path, "a count");
    }
    const exact = r.number(node, path, {
      ...COUNT_RULE,
      hint: "a count such as 3, or {atLeast: 1, atMost: 5}",
    });
    return exact === undefined ? undefined : { atLeast: exact, atMost: exact };
  }

  private finishBounds(
    node: YamlNode,
    path: string,
    equals: number | undefined,
    atLeast: number | undefined,
    atMost: number | undefined,
    has: (key: string) => boolean,
  ): CountSpec | undefined {
    if (
      (has("equals") && equals === undefined) ||
      (has("atLeast") && atLeast === undefined) ||
      (has("atMost") && atMost === undefined)
    )
      return undefined;
    if (equals !== undefined) return { atLeast: equals, atMost: equals };
    const low = atLeast ?? 0;
    const high = atMost ?? Number.MAX_SAFE_INTEGER;
    if (high < low) {
      this.reader.report(
        node,
        path,
        `${path} asks for at least ${low} and at most ${high}, which is impossible; swap them`,
      );
      return undefined;
    }
    return { atLeast: low, atMost: high };
  }
}

const DEFAULT_ROUTE: RouteBehaviour = {
  status: 200,
  sequence: [],
  body: {},
  errorRate: 0,
  errorStatus: 500,
  errorBody: { message: "scripted error" },
  idempotent: false,
  latency: { minMs: 0, maxMs: 0 },
  outages: [],
};
const STATUS_RULE = {
  integer: true,
  min: 100,
  max: 599,
  hint: "an HTTP status code between 100 and 599",
} as const;
const COUNT_RULE = { integer: true, min: 0 } as const;

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
 * A count in words: "= 3", "≤ 2", "≥ 1", "between 1 and 5".
 *
 * @example
 * ```ts
 * import { describeCount } from "@rebound/simulator";
 * describeCount({ atLeast: 0, atMost: 0 }); // "= 0"
 * ```
 */
export function describeCount(count: CountSpec): string {
  if (count.atLeast === count.atMost) return `= ${count.atLeast}`;
  if (count.atMost === Number.MAX_SAFE_INTEGER) return `≥ ${count.atLeast}`;
  if (count.atLeast === 0) return `≤ ${count.atMost}`;
  return `between ${count.atLeast} and ${count.atMost}`;
}
