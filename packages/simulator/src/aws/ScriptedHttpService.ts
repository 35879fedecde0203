import { ConfigurationError } from "../engine/errors.js";
import { SeededRandom } from "../engine/SeededRandom.js";
import { checkKeys, checkNumber, checkString, describe } from "../engine/validate.js";
import type { InvocationScope } from "../host/InvocationClock.js";
import { readBody } from "./awsWire.js";
import { type LoopbackRequest, type LoopbackResponse, LoopbackServer } from "./loopbackServer.js";

/** A window of virtual time during which a route is down: `[fromMs, toMs)`, relative to `epochMs`. */
export interface OutageWindow {
  readonly fromMs: number;
  readonly toMs: number;
  /** `503` answers at once with 503; `hang` never answers (the caller's function timeout ends it). Default `503`. */
  readonly mode?: "503" | "hang";
}

/** What one route does. Every field is optional; the default is a 200 with `{}` and no latency. */
export interface ScriptedRoute {
  /** Status of a normal answer. Default 200. */
  readonly status?: number;
  /** JSON body of a normal answer. Default `{}`. */
  readonly body?: unknown;
  /** Extra response headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Probability in [0, 1] that a request gets `errorStatus` instead (seeded random). Default 0. */
  readonly errorRate?: number;
  /** Status of a random error. Default 500. */
  readonly errorStatus?: number;
  /** JSON body of an error answer. Default `{ "message": "scripted error" }`. */
  readonly errorBody?: unknown;
  /** Fixed statuses for the first requests, in order (then the route falls back to the rules above). */
  readonly statusSequence?: readonly number[];
  /** Virtual latency of each answer: fixed milliseconds, or a uniform range (seeded random). Default 0. */
  readonly latencyMs?: number | { readonly minMs: number; readonly maxMs: number };
  /** Outage windows in virtual time. */
  readonly outages?: readonly OutageWindow[];
  /**
   * Windows of virtual time in which the route behaves otherwise: its status, error rate, error
   * status or latency change (a brownout, a slow hour). The first window containing the request wins.
   */
  readonly phases?: readonly RoutePhase[];
  /**
   * Honour an `Idempotency-Key` request header the way payment providers do: a repeated key replays
   * the first 2xx answer (status and body) instead of acting again, and the record says `replayed`.
   * A key whose earlier attempts all failed acts again. Default false.
   */
  readonly idempotent?: boolean;
}

/** One phase of a route: `fromMs` (inclusive) to `toMs` (exclusive), relative like outage windows. */
export interface RoutePhase {
  readonly fromMs: number;
  readonly toMs: number;
  readonly status?: number;
  readonly errorRate?: number;
  readonly errorStatus?: number;
  readonly latencyMs?: number | { readonly minMs: number; readonly maxMs: number };
}

/** Options of `ScriptedHttpService.start`. */
export interface ScriptedHttpServiceOptions {
  /** A name for messages and records (`payment`, `mail`, `slack`). */
  readonly name: string;
  /** Routes by `"METHOD /path"`; a path segment `{name}` matches any one segment, method `*` any method. */
  readonly routes: Readonly<Record<string, ScriptedRoute>>;
  /** Seed of the service's random choices (error rate, latency range). Default 1. */
  readonly seed?: number;
  /** The invocation in progress (the `HandlerHost`): virtual now, latency and timeouts. */
  readonly invocations?: InvocationScope;
  /** Virtual now for requests made outside any invocation (a scenario step). Default `() => epochMs`. */
  readonly now?: () => number;
  /** Virtual epoch milliseconds that outage windows are relative to. Default 0 (absolute times). */
  readonly epochMs?: number;
}

/** How a recorded request ended. */
export type ScriptedOutcome = "answered" | "outage" | "timedOut" | "dropped" | "noRoute";

/** One request as the service saw it, for expectations ("no order charged twice"). */
export interface RecordedRequest {
  /** Order of arrival, from 1. */
  readonly sequence: number;
  /** Virtual time of arrival, epoch milliseconds. */
  readonly atMs: number;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body parsed as JSON, or the raw text when it is not JSON, or undefined when empty. */
  readonly body: unknown;
  /** The route key that matched (`POST /charges`), if any. */
  readonly route: string | undefined;
  readonly outcome: ScriptedOutcome;
  /** Status sent; undefined when the connection was dropped or the request timed out. */
  readonly status: number | undefined;
  /** Virtual latency charged to the caller. */
  readonly latencyMs: number;
  /** True when an idempotent route replayed an earlier answer for the same Idempotency-Key. */
  readonly replayed: boolean;
}

const ROUTE_KEYS = [
  "status",
  "body",
  "headers",
  "errorRate",
  "errorStatus",
  "errorBody",
  "statusSequence",
  "latencyMs",
  "outages",
  "phases",
  "idempotent",
] as const;

interface CompiledRoute {
  readonly key: string;
  readonly method: string;
  readonly segments: readonly string[];
  readonly route: ScriptedRoute;
  count: number;
  readonly answers: Map<string, { status: number; body: unknown }>;
}

/**
 * A loopback HTTP server standing in for a provider (payment, mail, Slack, stock, carrier). Each
 * route's behaviour comes from a plain object: status and JSON body, a seeded error rate, fixed
 * statuses for the first requests, virtual latency, outage windows in virtual time, idempotency keys.
 * Every request is recorded (virtual time, method, path, headers, JSON body, outcome).
 *
 * Latency is virtual: it is added to the calling invocation's `InvocationClock`. When it reaches the
 * function timeout, the invocation is timed out (the host reports `Sandbox.Timedout`) and this server
 * drops the connection without answering, so the handler's later work fails, as it would in a sandbox
 * Lambda stopped. A `hang` outage consumes all the remaining time the same way.
 *
 * @example
 * ```ts
 * import { ScriptedHttpService } from "@rebound/simulator";
 * const payment = await ScriptedHttpService.start({
 *   name: "payment",
 *   invocations: host,
 *   routes: { "POST /charges": { status: 201, body: { id: "ch_1" }, latencyMs: { minMs: 80, maxMs: 400 }, idempotent: true,
 *     outages: [{ fromMs: 60_000, toMs: 600_000, mode: "503" }] } },
 * });
 * payment.url; // PAYMENT_PROVIDER_URL
 * payment.requests.filter((r) => r.route === "POST /charges" && r.status === 201 && !r.replayed);
 * await payment.close();
 * ```
 */
export class ScriptedHttpService {
  public readonly name: string;
  readonly #server: LoopbackServer;
  readonly #routes: readonly CompiledRoute[];
  readonly #random: SeededRandom;
  readonly #invocations: InvocationScope | undefined;
  readonly #now: () => number;
  readonly #epochMs: number;
  readonly #records: RecordedRequest[] = [];
  #url = "";

  private constructor(
    options: ScriptedHttpServiceOptions,
    routes: readonly CompiledRoute[],
    epochMs: number,
  ) {
    this.name = options.name;
    this.#routes = routes;
    this.#random = new SeededRandom(options.seed ?? 1);
    this.#invocations = options.invocations;
    this.#epochMs = epochMs;
    this.#now = options.now ?? (() => epochMs);
    this.#server = new LoopbackServer((request, response) => {
      response.sendDate = false;
      this.#serve(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
      });
    });
  }

  /** Validates the options and starts the server on 127.0.0.1 at a random free port. */
  public static async start(options: ScriptedHttpServiceOptions): Promise<ScriptedHttpService> {
    const checked = checkKeys(
      options,
      ["name", "routes", "seed", "invocations", "now", "epochMs"],
      "ScriptedHttpService options",
    );
    const name = checkString(checked["name"], "name");
    if (checked["seed"] !== undefined)
      checkNumber(checked["seed"], "seed", -(2 ** 53 - 1), 2 ** 53 - 1, true);
    if (checked["now"] !== undefined && typeof checked["now"] !== "function") {
      throw new ConfigurationError(
        "now",
        `now must be a function returning virtual epoch ms; got ${describe(checked["now"])}`,
      );
    }
    const epochMs =
      checked["epochMs"] === undefined
        ? 0
        : checkNumber(checked["epochMs"], "epochMs", 0, Number.MAX_SAFE_INTEGER);
    const routes = compileRoutes(checked["routes"], name);
    const service = new ScriptedHttpService({ ...options, name }, routes, epochMs);
    service.#url = await service.#server.listen();
    return service;
  }

  /** `http://127.0.0.1:<port>`: the base URL to put in the function's environment. */
  public get url(): string {
    return this.#url;
  }

  /** Every request so far, in order of arrival. */
  public get requests(): readonly RecordedRequest[] {
    return this.#records;
  }

  /** Stops the server and drops every open connection. Idempotent. */
  public close(): Promise<void> {
    return this.#server.close();
  }

  async #serve(request: LoopbackRequest, response: LoopbackResponse): Promise<void> {
    const clock = this.#invocations?.current();
    const atMs = clock?.now() ?? this.#now();
    const body = await readBody(request);
    const url = new URL(request.url ?? "/", "http://local");
    const method = (request.method ?? "GET").toUpperCase();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string" && !name.startsWith(":")) headers[name.toLowerCase()] = value;
      else if (Array.isArray(value)) headers[name.toLowerCase()] = value.join(", ");
    }
    const base = {
      sequence: this.#records.length + 1,
      atMs,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: parseBody(body),
    };
    const record = (
      fields: Pick<RecordedRequest, "route" | "outcome" | "status" | "latencyMs" | "replayed">,
    ): void => {
      this.#records.push({ ...base, ...fields });
    };
    const drop = (): void => {
      request.socket.destroy();
    };

    if (clock?.timedOut === true) {
      // A handler Lambda already stopped: what it sends now never leaves the sandbox.
      record({ route: undefined, outcome: "dropped", status: undefined, latencyMs: 0, replayed: false });
      drop();
      return;
    }
    const compiled = this.#routes.find((candidate) => matches(candidate, method, url.pathname));
    if (compiled === undefined) {
      record({ route: undefined, outcome: "noRoute", status: 404, latencyMs: 0, replayed: false });
      sendJsonBody(response, 404, { message: `${this.name}: no route for ${method} ${url.pathname}` }, {});
      return;
    }
    compiled.count += 1;
    const relativeMs = atMs - this.#epochMs;
    const phase = (compiled.route.phases ?? []).find(
      (window) => relativeMs >= window.fromMs && relativeMs < window.toMs,
    );
    const route: ScriptedRoute =
      phase === undefined ? compiled.route : { ...compiled.route, ...withoutWindow(phase) };
    const outage = (route.outages ?? []).find(
      (window) => relativeMs >= window.fromMs && relativeMs < window.toMs,
    );
    if (outage !== undefined && (outage.mode ?? "503") === "hang") {
      const latencyMs = clock === undefined ? 0 : clock.remainingMs();
      clock?.consume(latencyMs);
      record({ route: compiled.key, outcome: "timedOut", status: undefined, latencyMs, replayed: false });
      drop();
      return;
    }
    const latencyMs = this.#latency(route);
    if (clock !== undefined && !clock.consume(latencyMs)) {
      record({ route: compiled.key, outcome: "timedOut", status: undefined, latencyMs, replayed: false });
      drop();
      return;
    }
    if (outage !== undefined) {
      record({ route: compiled.key, outcome: "outage", status: 503, latencyMs, replayed: false });
      sendJsonBody(
        response,
        503,
        { message: `${this.name} is unavailable (scripted outage)` },
        route.headers ?? {},
      );
      return;
    }
    const idempotencyKey = route.idempotent === true ? headers["idempotency-key"] : undefined;
    const earlier = idempotencyKey === undefined ? undefined : compiled.answers.get(idempotencyKey);
    if (earlier !== undefined) {
      record({ route: compiled.key, outcome: "answered", status: earlier.status, latencyMs, replayed: true });
      sendJsonBody(response, earlier.status, earlier.body, {
        ...route.headers,
        "idempotent-replayed": "true",
      });
      return;
    }
    const fixed = route.statusSequence?.[compiled.count - 1];
    const randomError =
      fixed === undefined && (route.errorRate ?? 0) > 0 && this.#random.next() < (route.errorRate ?? 0);
    const status = fixed ?? (randomError ? (route.errorStatus ?? 500) : (route.status ?? 200));
    const isSuccess = status >= 200 && status < 300;
    const answer = isSuccess ? (route.body ?? {}) : (route.errorBody ?? { message: "scripted error" });
    if (idempotencyKey !== undefined && isSuccess)
      compiled.answers.set(idempotencyKey, { status, body: answer });
    record({ route: compiled.key, outcome: "answered", status, latencyMs, replayed: false });
    sendJsonBody(response, status, answer, route.headers ?? {});
  }

  #latency(route: ScriptedRoute): number {
    const latency = route.latencyMs;
    if (latency === undefined) return 0;
    if (typeof latency === "number") return latency;
    return latency.minMs + Math.floor(this.#random.next() * (latency.maxMs - latency.minMs + 1));
  }
}

function sendJsonBody(
  response: LoopbackResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>>,
): void {
  const text = status === 204 || status === 304 ? "" : JSON.stringify(body ?? {});
  response.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
  });
  response.end(text);
}

function parseBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function matches(route: CompiledRoute, method: string, path: string): boolean {
  if (route.method !== "*" && route.method !== method) return false;
  const segments = path.split("/").filter((segment) => segment !== "");
  if (segments.length !== route.segments.length) return false;
  return route.segments.every((segment, index) => /^\{[^}]+\}$/.test(segment) || segment === segments[index]);
}

/** Validates the routes object and compiles each `"METHOD /path"` key. */
function compileRoutes(value: unknown, service: string): CompiledRoute[] {
  if (
    typeof value !== "object" ||
    value === null ||
    Array.isArray(value) ||
    Object.keys(value).length === 0
  ) {
    throw new ConfigurationError(
      "routes",
      `routes of service "${service}" must be an object like { "POST /charges": { status: 201 } }; got ${describe(value)}`,
    );
  }
  return Object.entries(value as Record<string, unknown>).map(([key, raw]) => {
    const match = /^([A-Z]+|\*) (\/\S*)$/.exec(key);
    if (match === null) {
      throw new ConfigurationError(
        `routes.${key}`,
        `route key "${key}" must be "METHOD /path" (e.g. "POST /charges", "GET /orders/{id}", "* /hooks")`,
      );
    }
    const where = `routes.${key}`;
    const route = checkKeys(raw, ROUTE_KEYS, where) as ScriptedRoute;
    const status = (name: string, v: unknown): void => {
      if (v !== undefined) checkNumber(v, `${where}.${name}`, 100, 599, true);
    };
    status("status", route.status);
    status("errorStatus", route.errorStatus);
    if (route.errorRate !== undefined) checkNumber(route.errorRate, `${where}.errorRate`, 0, 1);
    if (route.statusSequence !== undefined) {
      if (!Array.isArray(route.statusSequence)) {
        throw new ConfigurationError(
          `${where}.statusSequence`,
          `${where}.statusSequence must be an array of HTTP statuses`,
        );
      }
      for (const [index, s] of route.statusSequence.entries()) status(`statusSequence[${index}]`, s);
    }
    if (typeof route.latencyMs === "number") checkNumber(route.latencyMs, `${where}.latencyMs`, 0, 900_000);
    else if (route.latencyMs !== undefined) {
      const range = checkKeys(route.latencyMs, ["minMs", "maxMs"], `${where}.latencyMs`);
      const minMs = checkNumber(range["minMs"], `${where}.latencyMs.minMs`, 0, 900_000, true);
      checkNumber(range["maxMs"], `${where}.latencyMs.maxMs`, minMs, 900_000, true);
    }
    if (route.phases !== undefined) {
      if (!Array.isArray(route.phases))
        throw new ConfigurationError(
          `${where}.phases`,
          `${where}.phases must be an array of { fromMs, toMs, status?, errorRate?, errorStatus?, latencyMs? }`,
        );
      route.phases.forEach((phase, index) => {
        const at = `${where}.phases[${index}]`;
        const checked = checkKeys(
          phase,
          ["fromMs", "toMs", "status", "errorRate", "errorStatus", "latencyMs"],
          at,
        );
        const fromMs = checkNumber(checked["fromMs"], `${at}.fromMs`, 0, Number.MAX_SAFE_INTEGER);
        checkNumber(checked["toMs"], `${at}.toMs`, fromMs, Number.MAX_SAFE_INTEGER);
        status(`phases[${index}].status`, phase.status);
        status(`phases[${index}].errorStatus`, phase.errorStatus);
        if (phase.errorRate !== undefined) checkNumber(phase.errorRate, `${at}.errorRate`, 0, 1);
        if (typeof phase.latencyMs === "number") checkNumber(phase.latencyMs, `${at}.latencyMs`, 0, 900_000);
      });
    }
    if (route.outages !== undefined) {
      if (!Array.isArray(route.outages)) {
        throw new ConfigurationError(
          `${where}.outages`,
          `${where}.outages must be an array of { fromMs, toMs, mode? }`,
        );
      }
      route.outages.forEach((window, index) => {
        const at = `${where}.outages[${index}]`;
        const checkedWindow = checkKeys(window, ["fromMs", "toMs", "mode"], at);
        const fromMs = checkNumber(checkedWindow["fromMs"], `${at}.fromMs`, 0, Number.MAX_SAFE_INTEGER);
        checkNumber(checkedWindow["toMs"], `${at}.toMs`, fromMs, Number.MAX_SAFE_INTEGER);
        if (
          checkedWindow["mode"] !== undefined &&
          checkedWindow["mode"] !== "503" &&
          checkedWindow["mode"] !== "hang"
        ) {
          throw new ConfigurationError(
            `${at}.mode`,
            `${at}.mode must be "503" or "hang"; got ${describe(checkedWindow["mode"])}`,
          );
        }
      });
    }
    if (route.idempotent !== undefined && typeof route.idempotent !== "boolean") {
      throw new ConfigurationError(`${where}.idempotent`, `${where}.idempotent must be true or false`);
    }
    return {
      key,
      method: match[1]!,
      segments: match[2]!.split("/").filter((segment) => segment !== ""),
      route,
      count: 0,
      answers: new Map(),
    };
  });
}

/** A phase's route fields, without its window. */
function withoutWindow(phase: RoutePhase): Partial<ScriptedRoute> {
  const { fromMs: _from, toMs: _to, ...fields } = phase;
  return fields;
}
