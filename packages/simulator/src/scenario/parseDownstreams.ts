import { isSeq } from "yaml";
import type { DownstreamSpec, OutageWindow, RouteBehaviour, RoutePhaseSpec } from "./Scenario.js";
import { NAME, NAME_HINT, parseLatency, ROUTE_PATTERN } from "./scenarioRules.js";
import { joinPath, type MapFields, type YamlNode, type YamlReader } from "./YamlReader.js";

// The `downstreams:` section: the HTTP services the handlers call, scripted per service (defaults)
// and per route (overrides): statuses, error rates, latency and outage windows.

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
  "phases",
] as const;
const PHASE_KEYS = ["from", "to", "status", "errorRate", "errorStatus", "latencyMs"] as const;
const OUTAGE_KEYS = ["from", "to", "mode"] as const;

/** Behaviour for every route key a downstream leaves out: answer 200 `{}` at once, never fail. */
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
  phases: [],
};
const STATUS_RULE = {
  integer: true,
  min: 100,
  max: 599,
  hint: "an HTTP status code between 100 and 599",
} as const;

/**
 * Parses the `downstreams:` mapping (service name -> behaviour). The route keys written on the
 * service itself are its defaults; each entry of its `routes` (`"<METHOD> <path>"`) overrides them.
 * Invalid services and routes are reported on `r` and left out.
 *
 * @param r the reader that collects the problems
 * @param node the value of `downstreams:`
 * @example
 * ```ts
 * const downstreams = parseDownstreams(reader, downstreamsNode);
 * downstreams.payment?.routes["POST /charges"]?.errorRate; // 0.5
 * ```
 */
export function parseDownstreams(r: YamlReader, node: YamlNode): Record<string, DownstreamSpec> {
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
    const defaults = parseRoute(r, fields, path, DEFAULT_ROUTE);
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
          : parseRoute(r, behaviourFields, routePath, defaults);
      if (behaviour !== undefined) routes[route] = behaviour;
    }
    if (defaults !== undefined) result[name] = { defaults, routes, location: r.locate(entry.key) };
  }
  return result;
}

/** A route behaviour: keys given here override `inherited` (the service's defaults). */
function parseRoute(
  r: YamlReader,
  fields: MapFields,
  path: string,
  inherited: RouteBehaviour,
): RouteBehaviour | undefined {
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
  const sequence = take("sequence", (n, at) => parseStatuses(r, n, at, 10_000), inherited.sequence);
  const body = take("body", (n) => r.json(n), inherited.body);
  const errorRate = take(
    "errorRate",
    (n, at) => r.number(n, at, { min: 0, max: 1, hint: "a fraction of requests: 0.25 fails one in four" }),
    inherited.errorRate,
  );
  const errorStatus = take("errorStatus", (n, at) => r.number(n, at, STATUS_RULE), inherited.errorStatus);
  const errorBody = take("errorBody", (n) => r.json(n), inherited.errorBody);
  const idempotent = take("idempotent", (n, at) => r.boolean(n, at), inherited.idempotent);
  const latency = take("latencyMs", (n, at) => parseLatency(r, n, at), inherited.latency);
  const outages = take("outages", (n, at) => parseOutages(r, n, at), inherited.outages);
  const phases = take("phases", (n, at) => parsePhases(r, n, at), inherited.phases);
  return ok
    ? { status, sequence, body, errorRate, errorStatus, errorBody, idempotent, latency, outages, phases }
    : undefined;
}

/** `status`-like list: one status (`503`) or a list of at most `maxItems` (`[500, 503]`). */
function parseStatuses(r: YamlReader, node: YamlNode, path: string, maxItems = 100): number[] | undefined {
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

/** `outages:` list of `{from, to, mode}` windows; `mode` is `unavailable` (default) or `hang`. */
function parseOutages(r: YamlReader, node: YamlNode, path: string): OutageWindow[] | undefined {
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

/**
 * `phases:` list of `{ from, to, status, errorRate, errorStatus, latencyMs }`: in each window of
 * virtual time the route takes those values instead (a brownout, a slow hour).
 */
function parsePhases(r: YamlReader, node: YamlNode, path: string): RoutePhaseSpec[] | undefined {
  const items = r.list(node, path, "phases");
  if (items === undefined) return undefined;
  const phases: RoutePhaseSpec[] = [];
  let ok = true;
  items.forEach((item, index) => {
    const at = `${path}[${index}]`;
    const fields = r.map(item, at, "a phase", PHASE_KEYS);
    if (fields === undefined) {
      ok = false;
      return;
    }
    const get = (key: string) => fields.entries.get(key)?.value;
    const fromNode = r.require(fields, "from", at, "a phase", "60s");
    const toNode = r.require(fields, "to", at, "a phase", "10m");
    const fromMs = fromNode === undefined ? undefined : r.duration(fromNode, `${at}.from`);
    const toMs = toNode === undefined ? undefined : r.duration(toNode, `${at}.to`);
    const status =
      get("status") === undefined ? undefined : r.number(get("status"), `${at}.status`, STATUS_RULE);
    const errorStatus =
      get("errorStatus") === undefined
        ? undefined
        : r.number(get("errorStatus"), `${at}.errorStatus`, STATUS_RULE);
    const errorRate =
      get("errorRate") === undefined
        ? undefined
        : r.number(get("errorRate"), `${at}.errorRate`, {
            min: 0,
            max: 1,
            hint: "a fraction of requests: 0.3 fails three in ten",
          });
    const latency =
      get("latencyMs") === undefined ? undefined : parseLatency(r, get("latencyMs"), `${at}.latencyMs`);
    if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) {
      r.report(
        toNode,
        `${at}.to`,
        `phase ends (${toMs / 1000} s) before it starts (${fromMs / 1000} s); "to" must be after "from"`,
      );
      ok = false;
      return;
    }
    const invalid = (["status", "errorStatus", "errorRate", "latencyMs"] as const).some(
      (key, position) =>
        get(key) !== undefined && [status, errorStatus, errorRate, latency][position] === undefined,
    );
    if (fromMs === undefined || toMs === undefined || invalid) {
      ok = false;
      return;
    }
    phases.push({
      fromMs,
      toMs,
      ...(status !== undefined ? { status } : {}),
      ...(errorStatus !== undefined ? { errorStatus } : {}),
      ...(errorRate !== undefined ? { errorRate } : {}),
      ...(latency !== undefined ? { latency } : {}),
    });
  });
  return ok ? phases : undefined;
}
