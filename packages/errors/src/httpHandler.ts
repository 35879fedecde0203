import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import { type ClassificationRule, type Classifier, createClassifier } from "./classify.js";
import { createJsonLogger, type Logger } from "./createJsonLogger.js";
import { assertContext, describeEvent } from "./describeEvent.js";
import {
  InvalidEventError,
  MalformedJsonError,
  PermanentError,
  RetryableError,
  ValidationError,
} from "./errors.js";
import { logFailure } from "./logFailure.js";
import {
  COMMON_OPTIONS,
  isBoolean,
  isIntegerIn,
  type OptionSpec,
  validateOptions,
} from "./validateOptions.js";

/**
 * One HTTP request, the same for API Gateway REST (v1) and HTTP API (v2) events.
 *
 * @example
 * ```ts
 * import { httpHandler } from "@rebound/errors";
 * export const handler = httpHandler(async (request) => ({
 *   statusCode: 200,
 *   body: { id: request.pathParameters.id, filter: request.queryStringParameters.status },
 * }));
 * ```
 */
export interface HttpRequest {
  /** Upper case, e.g. `POST`. */
  readonly method: string;
  /** v1 `path`, v2 `rawPath`. */
  readonly path: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  /** Repeated parameters are joined with commas (as v2 does). */
  readonly queryStringParameters: Readonly<Record<string, string>>;
  /** Lower-cased names; repeated headers joined with commas; v2 `cookies` joined into `cookie`. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Parsed JSON when the content type is JSON (`application/json`, `*+json`) or, with no content type,
   * when the body starts with `{` or `[`; otherwise the text. `undefined` without a body.
   */
  readonly body: unknown;
  /** The body as text (base64-decoded when API Gateway encoded it). */
  readonly rawBody: string | undefined;
  /** API Gateway's request id (`requestContext.requestId`), also echoed in error bodies. */
  readonly requestId: string;
  readonly version: "1.0" | "2.0";
  readonly event: APIGatewayProxyEvent | APIGatewayProxyEventV2;
}

/**
 * What an HTTP handler returns. `body` is JSON-encoded, unless it is a string and `headers` set a
 * non-JSON `content-type` (then it is sent as is).
 *
 * @example
 * ```ts
 * import type { HttpResult } from "@rebound/errors";
 * const created: HttpResult = { statusCode: 201, body: { id: "o-1" }, headers: { location: "/orders/o-1" } };
 * ```
 */
export interface HttpResult {
  readonly statusCode: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Handles one HTTP request; throw a Rebound error to answer with its status.
 *
 * @example
 * ```ts
 * import { type HttpRequestHandler, httpHandler, ValidationError } from "@rebound/errors";
 * const createOrder: HttpRequestHandler = async (request) => {
 *   if (typeof request.body !== "object" || request.body === null) throw new ValidationError("a JSON object body is required");
 *   return { statusCode: 201, body: { accepted: true } };
 * };
 * export const handler = httpHandler(createOrder);
 * ```
 */
export type HttpRequestHandler = (request: HttpRequest, context: Context) => Promise<HttpResult>;

/**
 * Options of {@link httpHandler}.
 *
 * @example
 * ```ts
 * import { type HttpHandlerOptions, httpHandler } from "@rebound/errors";
 * const options: HttpHandlerOptions = { exposeErrorMessages: false, retryAfterSeconds: 5 };
 * export const handler = httpHandler(async () => ({ statusCode: 204 }), options);
 * ```
 */
export interface HttpHandlerOptions {
  readonly rules?: readonly ClassificationRule[];
  readonly logger?: Logger;
  readonly clock?: () => number;
  /**
   * Put the message of Rebound errors (ValidationError, NotFoundError, ...) in error bodies. Default
   * true: those messages are written for callers. false → a generic text per status. The message of
   * any other error is never sent.
   */
  readonly exposeErrorMessages?: boolean;
  /** `Retry-After` seconds when a retryable error gives none. Default 1. */
  readonly retryAfterSeconds?: number;
}

const OPTIONS = {
  ...COMMON_OPTIONS,
  exposeErrorMessages: [isBoolean, "a boolean, e.g. { exposeErrorMessages: false }"],
  retryAfterSeconds: [isIntegerIn(0, 86_400), "an integer from 0 to 86400, e.g. { retryAfterSeconds: 5 }"],
} satisfies Record<string, OptionSpec>;

const EXPECTED =
  'an API Gateway proxy event: REST (v1) { httpMethod, path, headers, requestContext: { requestId } } or HTTP API (v2) { version: "2.0", rawPath, requestContext: { http: { method }, requestId } }';

const GENERIC_MESSAGES: Record<number, string> = {
  400: "The request is invalid.",
  404: "Not found.",
  409: "The request conflicts with the current state.",
  422: "The request cannot be processed.",
  500: "Internal server error.",
  503: "Temporarily unavailable, try again later.",
};

type ProxyResult = APIGatewayProxyResult & APIGatewayProxyStructuredResultV2;

/**
 * Wraps an HTTP handler for API Gateway (REST v1 and HTTP API v2, Lambda proxy integration). It
 * normalises the request, parses a JSON body (malformed → 400 `MALFORMED_JSON` saying what is wrong)
 * and turns errors into responses, never letting one escape (an escaped error is a bare 502 from
 * API Gateway):
 *
 * | thrown | status | body `error.code` |
 * | --- | --- | --- |
 * | `ValidationError` | 400, plus `issues` | its code (`VALIDATION_FAILED`) |
 * | `NotFoundError` | 404 | its code |
 * | `ConflictError` | 409 | its code |
 * | other `PermanentError` | its `httpStatus` (422 default) | its code |
 * | `RetryableError` | its `httpStatus` (503 default; 409 idempotency lock) + `Retry-After` | its code |
 * | a non-Rebound error a rule marks retryable (throttling, network) | 503 + `Retry-After` | `TEMPORARILY_UNAVAILABLE` |
 * | anything else | 500, message hidden | `INTERNAL_ERROR` |
 *
 * Error bodies are `{"error":{"code","message","requestId"}}`, never a stack. One JSON log line per error response.
 *
 * @example
 * ```ts
 * import { httpHandler, NotFoundError } from "@rebound/errors";
 * const orders = new Map([["o-1", { id: "o-1", status: "paid" }]]);
 * export const handler = httpHandler(async (request) => {
 *   const order = orders.get(request.pathParameters.id ?? "");
 *   if (!order) throw new NotFoundError("order not found", { code: "ORDER_NOT_FOUND" });
 *   return { statusCode: 200, body: order };
 * });
 * ```
 */
export function httpHandler(
  handler: HttpRequestHandler,
  options: HttpHandlerOptions = {},
): (
  event: APIGatewayProxyEvent | APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResult | APIGatewayProxyStructuredResultV2> {
  validateOptions("httpHandler", handler, options, OPTIONS);
  const classifier = createClassifier(options.rules);
  const logger = options.logger ?? createJsonLogger({ clock: options.clock ?? Date.now });
  const expose = options.exposeErrorMessages ?? true;
  const defaultRetryAfter = options.retryAfterSeconds ?? 1;
  return async function reboundHttpHandler(event, context): Promise<ProxyResult> {
    assertContext("httpHandler", context);
    const request = new Request(event);
    try {
      // No body, no parsing: a GET costs no content-type lookup.
      if (request.body !== undefined) parseBody(request);
      return responseOf(await handler(request, context));
    } catch (error) {
      return errorResponse(error, request, context, classifier, logger, expose, defaultRetryAfter);
    }
  };
}

// The request as a class with the normalised maps (headers, query and path parameters) computed on
// first read by prototype getters: a handler that never reads headers pays for no lower-casing and
// no copies, and a call allocates this one object and no closures. The getters cache their result.
class Request implements HttpRequest {
  readonly method: string;
  readonly path: string;
  body: unknown;
  readonly rawBody: string | undefined;
  readonly requestId: string;
  readonly version: "1.0" | "2.0";
  readonly event: APIGatewayProxyEvent | APIGatewayProxyEventV2;
  #headers: Record<string, string> | undefined = undefined;
  #query: Record<string, string> | undefined = undefined;
  #params: Record<string, string> | undefined = undefined;

  constructor(event: APIGatewayProxyEvent | APIGatewayProxyEventV2) {
    const e = event as unknown as Record<string, unknown> | null;
    const requestContext = e?.requestContext as Record<string, unknown> | undefined;
    const http = requestContext?.http as { method?: unknown; path?: string } | undefined;
    if (e?.version === "2.0" && typeof http?.method === "string") {
      this.version = "2.0";
      this.method = http.method.toUpperCase();
      this.path = (e.rawPath as string | undefined) ?? http.path ?? "/";
    } else if (typeof e?.httpMethod === "string" && typeof requestContext === "object") {
      this.version = "1.0";
      this.method = e.httpMethod.toUpperCase();
      this.path = e.path as string;
    } else {
      throw new InvalidEventError(`httpHandler expected ${EXPECTED}; received ${describeEvent(event)}`, {
        expected: EXPECTED,
      });
    }
    const raw = event.body;
    this.rawBody =
      raw === null || raw === undefined
        ? undefined
        : event.isBase64Encoded
          ? Buffer.from(raw, "base64").toString("utf8")
          : raw;
    // The text until parseBody replaces it by the parsed value; an empty body counts as none.
    this.body = this.rawBody === "" ? undefined : this.rawBody;
    this.requestId = (requestContext?.requestId as string | undefined) ?? "";
    this.event = event;
  }

  get headers(): Readonly<Record<string, string>> {
    this.#headers ??= headersOf(this.event, this.version);
    return this.#headers;
  }

  get queryStringParameters(): Readonly<Record<string, string>> {
    this.#query ??= queryOf(this.event, this.version);
    return this.#query;
  }

  get pathParameters(): Readonly<Record<string, string>> {
    this.#params ??= definedOnly(this.event.pathParameters);
    return this.#params;
  }

  /** The content type without building the lower-cased header map. */
  contentType(): string | undefined {
    if (this.#headers !== undefined) return this.#headers["content-type"];
    const given = this.event.headers as Record<string, string | undefined> | null | undefined;
    if (given === null || given === undefined) return undefined;
    // HTTP API (v2) lower-cases header names; REST (v1) keeps the client's spelling.
    const direct = given["content-type"] ?? given["Content-Type"];
    if (direct !== undefined || this.version === "2.0") return direct;
    for (const name in given) {
      if (name.length === 12 && name.toLowerCase() === "content-type") return given[name];
    }
    return undefined;
  }
}

function headersOf(
  event: APIGatewayProxyEvent | APIGatewayProxyEventV2,
  version: string,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (version === "2.0") {
    const v2Event = event as APIGatewayProxyEventV2;
    // for-in rather than Object.entries: no array per header.
    const given = v2Event.headers;
    for (const name in given) {
      const value = given[name];
      if (value !== undefined) headers[name.toLowerCase()] = value;
    }
    if (v2Event.cookies?.length) headers.cookie = v2Event.cookies.join("; ");
  } else {
    const v1Event = event as APIGatewayProxyEvent;
    const given = v1Event.headers;
    const multi = v1Event.multiValueHeaders;
    for (const name in given) {
      const value = given[name];
      if (value === undefined) continue;
      const all = multi?.[name];
      headers[name.toLowerCase()] = all && all.length > 1 ? all.join(",") : value;
    }
  }
  return headers;
}

function queryOf(
  event: APIGatewayProxyEvent | APIGatewayProxyEventV2,
  version: string,
): Record<string, string> {
  if (version === "2.0") return definedOnly((event as APIGatewayProxyEventV2).queryStringParameters);
  const v1Event = event as APIGatewayProxyEvent;
  const query: Record<string, string> = {};
  const givenQuery = v1Event.queryStringParameters;
  const multiQuery = v1Event.multiValueQueryStringParameters;
  for (const name in givenQuery) {
    const value = givenQuery[name];
    if (value === undefined) continue;
    const all = multiQuery?.[name];
    query[name] = all && all.length > 1 ? all.join(",") : value;
  }
  return query;
}

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json(?:\s*;|\s*$)/i;

// Replaces the text body by its parsed value when it is JSON (content type, or none and it looks
// like JSON). Only called with a non-empty body.
function parseBody(request: Request): void {
  const rawBody = request.rawBody!;
  const contentType = request.contentType();
  // The exact common value first: no regex on the usual request.
  const json =
    contentType === "application/json" ||
    (contentType === undefined ? /^\s*[{[]/.test(rawBody) : JSON_CONTENT_TYPE.test(contentType));
  if (!json) return;
  try {
    request.body = JSON.parse(rawBody);
  } catch (error) {
    throw new MalformedJsonError((error as Error).message, error);
  }
}

function invalidResult(result: unknown): string | undefined {
  if (typeof result !== "object" || result === null)
    return `expected { statusCode, body?, headers? }, got ${describeEvent(result)}`;
  const { statusCode, headers } = result as HttpResult;
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return `statusCode must be an integer from 100 to 599 (got ${String(statusCode)})`;
  }
  if (headers === undefined) return undefined;
  if (typeof headers !== "object" || headers === null) return "headers must be an object of string values";
  for (const name in headers) {
    if (typeof headers[name] !== "string") return `headers must be an object of string values (${name})`;
  }
  return undefined;
}

function responseOf(result: HttpResult): ProxyResult {
  // The common answer (an object with a status and a body, no headers) is checked and built inline:
  // no header copy, no validation loop.
  if (typeof result === "object" && result !== null && result.headers === undefined) {
    const { statusCode, body } = result;
    if (typeof statusCode === "number" && statusCode >= 100 && statusCode <= 599 && statusCode % 1 === 0) {
      // 204 and 304 must not carry a body.
      if (body === undefined || statusCode === 204 || statusCode === 304)
        return { statusCode, headers: {}, body: "", isBase64Encoded: false };
      return {
        statusCode,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        isBase64Encoded: false,
      };
    }
  }
  const invalid = invalidResult(result);
  if (invalid !== undefined) throw new TypeError(`the HTTP handler returned an invalid result: ${invalid}`);
  const headers: Record<string, string> = {};
  let contentType: string | undefined;
  const given = result.headers;
  for (const name in given) {
    const value = given[name]!;
    headers[name] = value;
    if (name.length === 12 && name.toLowerCase() === "content-type") contentType = value;
  }
  let body = "";
  if (result.body !== undefined && result.statusCode !== 204 && result.statusCode !== 304) {
    if (
      typeof result.body === "string" &&
      contentType !== undefined &&
      !JSON_CONTENT_TYPE.test(contentType)
    ) {
      body = result.body;
    } else {
      body = JSON.stringify(result.body);
      if (contentType === undefined) headers["content-type"] = "application/json";
    }
  }
  return { statusCode: result.statusCode, headers, body, isBase64Encoded: false };
}

function errorResponse(
  error: unknown,
  request: HttpRequest,
  context: Context,
  classifier: Classifier,
  logger: Logger,
  expose: boolean,
  defaultRetryAfter: number,
): ProxyResult {
  const explained = classifier.explain(error);
  let status: number;
  let code: string;
  let message: string | undefined;
  let retryAfter: number | undefined;
  let issues: readonly string[] | undefined;
  if (error instanceof RetryableError || error instanceof PermanentError) {
    status = error.httpStatus;
    code = error.code;
    message = expose ? error.message : undefined;
    if (error instanceof RetryableError) retryAfter = error.retryAfterSeconds ?? defaultRetryAfter;
    if (error instanceof ValidationError) issues = error.issues;
  } else if (explained.classification === "retryable" && explained.source !== "default") {
    status = 503;
    code = "TEMPORARILY_UNAVAILABLE";
    retryAfter = defaultRetryAfter;
  } else {
    status = 500;
    code = "INTERNAL_ERROR";
  }
  const headers: Record<string, string> = { "content-type": "application/json", "cache-control": "no-store" };
  // Retry-After takes whole seconds (RFC 9110 §10.2.3).
  if (retryAfter !== undefined) headers["retry-after"] = String(Math.max(0, Math.ceil(retryAfter)));
  const body = {
    error: {
      code,
      message:
        message ??
        GENERIC_MESSAGES[status] ??
        (status >= 500 ? GENERIC_MESSAGES[500] : GENERIC_MESSAGES[400]),
      requestId: request.requestId,
      ...(issues && issues.length > 0 ? { issues } : {}),
    },
  };
  logFailure(logger, status >= 500 ? "error" : "warn", "http", "responded", explained, error, {
    requestId: context.awsRequestId,
    apiRequestId: request.requestId,
    method: request.method,
    path: request.path,
    statusCode: status,
  });
  return { statusCode: status, headers, body: JSON.stringify(body), isBase64Encoded: false };
}

function definedOnly(values: Record<string, string | undefined> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in values) {
    const value = values[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
