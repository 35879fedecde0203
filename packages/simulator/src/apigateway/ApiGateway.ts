import { ConfigurationError } from "../engine/errors.js";
import type { ModelEnv } from "../engine/ModelEnv.js";
import { Disposition } from "../engine/Outcomes.js";
import { assertIntInRange, assertOptions, assertString, describe } from "../engine/validate.js";
import { recordAttempt } from "../lambda/attemptResult.js";
import { type InvocationResult, InvocationStatus, type LambdaFunction } from "../lambda/LambdaFunction.js";
import { authorizeJwt, checkJwtAuthorizer, type JwtAuthorizerConfig } from "./jwtAuthorizer.js";
import { type ThrottleLimits, TokenBucket } from "./TokenBucket.js";

/** How a route is authorized: `NONE`, or a JWT authorizer with the scopes it requires (any of them). */
export type ApiRouteAuthorization =
  | { readonly type: "NONE" }
  | {
      readonly type: "JWT";
      readonly authorizer: JwtAuthorizerConfig;
      /** `authorization_scopes`: the token needs one of them; empty or absent: any token. */
      readonly scopes?: readonly string[];
    };

/** One route of an HTTP API: its throttle and its authorization. */
export interface ApiRouteConfig {
  /** `POST /orders`, `GET /orders/{id}`, `$default`. */
  readonly routeKey: string;
  /** The stage's `route_settings` for this route, else its `default_route_settings`; absent: none. */
  readonly throttle?: ThrottleLimits;
  /** Default `NONE`. */
  readonly authorization?: ApiRouteAuthorization;
}

/**
 * API Gateway's account-level throttle per Region, shared by every API of the account: 10,000
 * requests per second with a burst of 5,000 (docs/aws-semantics.md#api-gateway).
 */
export const ACCOUNT_API_THROTTLE: ThrottleLimits = { rateLimit: 10_000, burstLimit: 5_000 };

/** An API Gateway Lambda proxy integration in front of one function. */
export interface ApiGatewayConfig {
  readonly apiName: string;
  readonly functionName: string;
  /** Integration timeout. Default 29 (API Gateway's default; REST APIs may raise it by quota). 1–900. */
  readonly integrationTimeoutSeconds?: number;
  /**
   * Status API Gateway answers when Lambda throttles the invoke. AWS documents both 429 and 500
   * depending on the integration; default 500 ("Internal server error", REST proxy integrations).
   */
  readonly throttledStatusCode?: 429 | 500;
  /** "1.0" (REST, default): a response outside the proxy format is a 502. "2.0" (HTTP API): such a response is the body of a 200. */
  readonly payloadFormatVersion?: "1.0" | "2.0";
  /** Routes with a throttle or an authorizer; a request names its route with `routeKey`. */
  readonly routes?: readonly ApiRouteConfig[];
}

const CONFIG_KEYS = [
  "apiName",
  "functionName",
  "integrationTimeoutSeconds",
  "throttledStatusCode",
  "payloadFormatVersion",
  "routes",
] as const;

/** Options of one request. */
export interface ApiRequestOptions {
  readonly atMs?: number;
  /** The route the request matched: its throttle and authorizer apply. */
  readonly routeKey?: string;
}

/** What the client receives. */
export interface ApiResponse {
  readonly requestId: string;
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Why API Gateway answered this: the function's response, or the failure it mapped. */
  readonly cause:
    | "function-response"
    | "function-error"
    | "malformed-response"
    | "integration-timeout"
    | "throttled"
    | "unauthorized"
    | "forbidden";
}

const PROXY_KEYS = new Set([
  "statusCode",
  "headers",
  "multiValueHeaders",
  "body",
  "isBase64Encoded",
  "cookies",
]);
const JSON_HEADERS = { "content-type": "application/json" } as const;

/** What an API needs from the topology: the function behind its integration. */
export interface ApiGatewayEnv extends ModelEnv {
  /** A function by name or ARN; throws `ResourceNotFoundError` naming `where` when there is none. */
  function(reference: string, where?: string): LambdaFunction;
  /** The account's API Gateway throttle (`ACCOUNT_API_THROTTLE`), shared by every API. */
  readonly apiAccountThrottle: TokenBucket;
}

/**
 * Synchronous invocation through API Gateway's Lambda proxy integration. No retries: a function error or
 * a malformed response is a 502 `{"message": "Internal server error"}`; a function still running at the
 * integration timeout (29 s) is a 504 `{"message": "Endpoint request timed out"}` while the function
 * keeps running to its own timeout (its attempt is still recorded); a throttle is a 500 or 429
 * (configurable, see `throttledStatusCode`). Outcomes: `processed` when the function's own response
 * reached the client (whatever its status), `failed` when API Gateway answered an error instead.
 *
 * @example
 * ```ts
 * topology.addApi({ apiName: "orders", functionName: "orders-api" });
 * topology.apiRequest("orders", { httpMethod: "POST", path: "/orders", body: "{}" },
 *   { onResponse: (response) => console.log(response.statusCode) });
 * topology.run();
 * ```
 */
export class ApiGateway {
  public readonly apiName: string;
  public readonly integrationTimeoutSeconds: number;
  public readonly throttledStatusCode: 429 | 500;
  public readonly payloadFormatVersion: "1.0" | "2.0";
  readonly #fn: LambdaFunction;
  readonly #topology: ApiGatewayEnv;
  readonly #held = new Set<number>();
  readonly #routes = new Map<string, { readonly config: ApiRouteConfig; readonly bucket?: TokenBucket }>();

  public constructor(topology: ApiGatewayEnv, config: ApiGatewayConfig) {
    assertOptions("addApi", config, CONFIG_KEYS);
    assertString("addApi", "apiName", config.apiName);
    this.#topology = topology;
    this.#fn = topology.function(config.functionName, "addApi functionName");
    this.apiName = config.apiName;
    this.integrationTimeoutSeconds = config.integrationTimeoutSeconds ?? 29;
    assertIntInRange(
      "addApi",
      "integrationTimeoutSeconds",
      this.integrationTimeoutSeconds,
      1,
      900,
      "the default integration timeout is 29 s",
    );
    this.throttledStatusCode = config.throttledStatusCode ?? 500;
    if (this.throttledStatusCode !== 429 && this.throttledStatusCode !== 500) {
      throw new ConfigurationError(
        "throttledStatusCode",
        `addApi: throttledStatusCode must be 429 or 500, got ${describe(config.throttledStatusCode)}`,
      );
    }
    this.payloadFormatVersion = config.payloadFormatVersion ?? "1.0";
    if (this.payloadFormatVersion !== "1.0" && this.payloadFormatVersion !== "2.0") {
      throw new ConfigurationError(
        "payloadFormatVersion",
        `addApi: payloadFormatVersion must be "1.0" or "2.0"`,
      );
    }
    for (const route of config.routes ?? []) this.#addRoute(route);
  }

  #addRoute(route: ApiRouteConfig): void {
    const where = `addApi(${this.apiName}) route`;
    assertOptions(where, route, ["routeKey", "throttle", "authorization"]);
    assertString(where, "routeKey", route.routeKey);
    if (this.#routes.has(route.routeKey))
      throw new ConfigurationError("routeKey", `${where}: ${route.routeKey} is listed twice`);
    const authorization = route.authorization ?? { type: "NONE" };
    if (authorization.type === "JWT") checkJwtAuthorizer(authorization.authorizer);
    else if (authorization.type !== "NONE")
      throw new ConfigurationError(
        "authorization",
        `${where} ${route.routeKey}: authorization type ${describe((authorization as { type: unknown }).type)} is not modelled; use NONE or JWT`,
      );
    const bucket =
      route.throttle === undefined
        ? undefined
        : new TokenBucket(route.throttle, this.#topology.simulation.now());
    this.#routes.set(route.routeKey, { config: { ...route, authorization }, ...(bucket ? { bucket } : {}) });
  }

  /** The routes configured with `routes`, by route key. */
  public routes(): ApiRouteConfig[] {
    return [...this.#routes.values()].map((route) => route.config);
  }

  public get functionName(): string {
    return this.#fn.functionName;
  }

  /** Sends a request now or at `atMs`; returns its request id. */
  public request(
    event: unknown,
    options: ApiRequestOptions & { readonly onResponse?: (response: ApiResponse) => void } = {},
  ): string {
    assertOptions(`apiRequest(${this.apiName})`, options, ["atMs", "onResponse", "routeKey"]);
    const route = options.routeKey === undefined ? undefined : this.#routes.get(options.routeKey);
    if (options.routeKey !== undefined && route === undefined && this.#routes.size > 0)
      throw new ConfigurationError(
        "routeKey",
        `apiRequest(${this.apiName}): no route ${options.routeKey}; routes: ${[...this.#routes.keys()].join(", ")}`,
      );
    const topology = this.#topology;
    const requestId = topology.newId();
    const run = (): void => {
      const eventId = topology.outcomes.inject(`apigw:${this.apiName}`, requestId);
      this.#held.add(eventId);
      let answered = false;
      const answer = (response: ApiResponse): void => {
        if (answered) return;
        answered = true;
        this.#held.delete(eventId);
        if (topology.trace.on) {
          topology.trace.emit(`apigw:${this.apiName}`, "response", {
            requestId,
            statusCode: response.statusCode,
            cause: response.cause,
          });
        }
        topology.outcomes.settle(
          eventId,
          response.cause === "function-response" ? Disposition.Processed : Disposition.Failed,
          {
            reason: `${response.statusCode} ${response.cause}`,
            record: response,
          },
        );
        options.onResponse?.(response);
      };
      const startMs = topology.simulation.now();
      // Throttling, then authorization, both before Lambda is invoked (docs/aws-semantics.md#choice-api-throttle-before-auth).
      if (
        !topology.apiAccountThrottle.take(startMs) ||
        (route?.bucket !== undefined && !route.bucket.take(startMs))
      ) {
        answer({
          requestId,
          statusCode: 429,
          headers: JSON_HEADERS,
          body: TOO_MANY_REQUESTS,
          cause: "throttled",
        });
        return;
      }
      let authorizer: unknown;
      const authorization = route?.config.authorization;
      if (authorization?.type === "JWT") {
        const decision = authorizeJwt(
          authorization.authorizer,
          headersOf(event),
          authorization.scopes ?? [],
          startMs,
        );
        if (!decision.allowed) {
          answer({
            requestId,
            statusCode: decision.statusCode,
            headers: decision.headers,
            body: decision.body,
            cause: decision.statusCode === 401 ? "unauthorized" : "forbidden",
          });
          return;
        }
        authorizer = { jwt: decision.jwt };
      }
      // API Gateway gives each request its id: the event's requestContext carries the same one.
      const delivered = withRequestContext(event, requestId, authorizer);
      this.#fn.invoke(delivered, requestId, (result) => {
        recordAttempt(topology.outcomes, eventId, this.#fn, result);
        answer(this.#map(requestId, result));
      });
      if (!answered) {
        topology.simulation.at(startMs + this.integrationTimeoutSeconds * 1000, () =>
          answer({
            requestId,
            statusCode: 504,
            headers: JSON_HEADERS,
            body: '{"message": "Endpoint request timed out"}',
            cause: "integration-timeout",
          }),
        );
      }
    };
    if (options.atMs !== undefined && options.atMs > topology.simulation.now())
      topology.simulation.at(options.atMs, run);
    else run();
    return requestId;
  }

  #map(requestId: string, result: InvocationResult): ApiResponse {
    if (result.status === InvocationStatus.Throttled) {
      return this.throttledStatusCode === 429
        ? {
            requestId,
            statusCode: 429,
            headers: JSON_HEADERS,
            body: TOO_MANY_REQUESTS,
            cause: "throttled",
          }
        : {
            requestId,
            statusCode: 500,
            headers: JSON_HEADERS,
            body: '{"message": "Internal server error"}',
            cause: "throttled",
          };
    }
    if (result.status === InvocationStatus.FunctionError) return internalError(requestId, "function-error");
    const payload = result.payload as Record<string, unknown> | null | undefined;
    const valid =
      payload !== null &&
      typeof payload === "object" &&
      !Array.isArray(payload) &&
      Number.isInteger(Number(payload["statusCode"])) &&
      Object.keys(payload).every((key) => PROXY_KEYS.has(key)) &&
      (payload["body"] === undefined || payload["body"] === null || typeof payload["body"] === "string") &&
      (payload["headers"] === undefined ||
        (typeof payload["headers"] === "object" && payload["headers"] !== null));
    if (valid) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries((payload["headers"] as Record<string, unknown>) ?? {}))
        headers[name] = String(value);
      return {
        requestId,
        statusCode: Number(payload["statusCode"]),
        headers,
        body: (payload["body"] as string | undefined) ?? "",
        cause: "function-response",
      };
    }
    if (
      this.payloadFormatVersion === "2.0" &&
      (payload === null || typeof payload !== "object" || !("statusCode" in payload))
    ) {
      // HTTP APIs guess: a response without statusCode is the body of a 200 (AWS's documented v2 behaviour).
      return {
        requestId,
        statusCode: 200,
        headers: JSON_HEADERS,
        body: typeof payload === "string" ? payload : JSON.stringify(payload ?? null),
        cause: "function-response",
      };
    }
    return internalError(requestId, "malformed-response");
  }

  /** Outcome ids of requests still waiting for an answer. */
  public heldEventIds(): number[] {
    return [...this.#held];
  }
}

function internalError(requestId: string, cause: "function-error" | "malformed-response"): ApiResponse {
  return {
    requestId,
    statusCode: 502,
    headers: JSON_HEADERS,
    body: '{"message": "Internal server error"}',
    cause,
  };
}

const TOO_MANY_REQUESTS = '{"message":"Too Many Requests"}';

/** The request's id, and what the authorizer passes on (`requestContext.authorizer`), in its context. */
function withRequestContext(event: unknown, requestId: string, authorizer: unknown): unknown {
  if (typeof event !== "object" || event === null) return event;
  const requestContext = (event as { requestContext?: unknown }).requestContext;
  if (typeof requestContext !== "object" || requestContext === null) return event;
  return {
    ...event,
    requestContext: { ...requestContext, ...(authorizer === undefined ? {} : { authorizer }), requestId },
  };
}

function headersOf(event: unknown): Readonly<Record<string, unknown>> {
  const headers = (event as { headers?: unknown } | null)?.headers;
  return typeof headers === "object" && headers !== null ? (headers as Record<string, unknown>) : {};
}
