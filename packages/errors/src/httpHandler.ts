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
  InvalidOptionsError,
  MalformedJsonError,
  PermanentError,
  RetryableError,
  ValidationError,
} from "./errors.js";
import { logFailure } from "./logFailure.js";
import { COMMON_OPTIONS, isBoolean, isIntegerIn, validateOptions } from "./validateOptions.js";

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

/** Handles one HTTP request; throw a Rebound error to answer with its status. */
export type HttpRequestHandler = (request: HttpRequest, context: Context) => Promise<HttpResult>;

/** Options of {@link httpHandler}. */
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
  exposeErrorMessages: {
    expected: "a boolean, e.g. { exposeErrorMessages: false }",
    check: isBoolean,
  },
  retryAfterSeconds: {
    expected: "an integer from 0 to 86400, e.g. { retryAfterSeconds: 5 }",
    check: isIntegerIn(0, 86_400),
  },
};

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
 * export const handler = httpHandler(async (request) => {
 *   const order = await orders.get(request.pathParameters.id!);
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
  if (typeof handler !== "function") {
    throw new InvalidOptionsError(
      "httpHandler: the first argument must be the handler, async (request, context) => ({ statusCode, body })",
      { problems: ["handler"] },
    );
  }
  validateOptions("httpHandler", options, OPTIONS);
  const classifier = createClassifier(options.rules);
  const logger = options.logger ?? createJsonLogger({ clock: options.clock ?? Date.now });
  const expose = options.exposeErrorMessages ?? true;
  const defaultRetryAfter = options.retryAfterSeconds ?? 1;
  return async function reboundHttpHandler(event, context): Promise<ProxyResult> {
    assertContext("httpHandler", context);
    const request = requestOf(event);
    try {
      parseBody(request);
      const result = await handler(request, context);
      const invalid = invalidResult(result);
      if (invalid === undefined) return responseOf(result);
      throw new TypeError(`the HTTP handler returned an invalid result: ${invalid}`);
    } catch (error) {
      return errorResponse(error, request, context, classifier, logger, expose, defaultRetryAfter);
    }
  };
}

function requestOf(event: APIGatewayProxyEvent | APIGatewayProxyEventV2): HttpRequest {
  const e = event as unknown as Record<string, unknown> | null;
  const requestContext = e?.requestContext as Record<string, unknown> | undefined;
  const http = requestContext?.http as { method?: unknown } | undefined;
  let v2: boolean;
  if (e?.version === "2.0" && typeof http?.method === "string") v2 = true;
  else if (typeof e?.httpMethod === "string" && typeof requestContext === "object") v2 = false;
  else {
    throw new InvalidEventError(`httpHandler expected ${EXPECTED}; received ${describeEvent(event)}`, {
      expected: EXPECTED,
    });
  }
  const headers: Record<string, string> = {};
  let query: Record<string, string>;
  let method: string;
  let path: string;
  if (v2) {
    const v2Event = event as APIGatewayProxyEventV2;
    // for-in rather than Object.entries: no array per header on every request.
    const given = v2Event.headers;
    for (const name in given) {
      const value = given[name];
      if (value !== undefined) headers[name.toLowerCase()] = value;
    }
    if (v2Event.cookies?.length) headers.cookie = v2Event.cookies.join("; ");
    query = definedOnly(v2Event.queryStringParameters);
    method = v2Event.requestContext.http.method;
    path = v2Event.rawPath ?? v2Event.requestContext.http.path ?? "/";
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
    query = {};
    const givenQuery = v1Event.queryStringParameters;
    const multiQuery = v1Event.multiValueQueryStringParameters;
    for (const name in givenQuery) {
      const value = givenQuery[name];
      if (value === undefined) continue;
      const all = multiQuery?.[name];
      query[name] = all && all.length > 1 ? all.join(",") : value;
    }
    method = v1Event.httpMethod;
    path = v1Event.path;
  }
  const raw = event.body;
  const rawBody =
    raw === null || raw === undefined
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(raw, "base64").toString("utf8")
        : raw;
  return {
    method: method.toUpperCase(),
    path,
    pathParameters: definedOnly(event.pathParameters),
    queryStringParameters: query,
    headers,
    body: rawBody,
    rawBody,
    requestId: (requestContext?.requestId as string | undefined) ?? "",
    version: v2 ? "2.0" : "1.0",
    event,
  };
}

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json(?:\s*;|\s*$)/i;

// Replaces the text body by its parsed value in place: the request object is the wrapper's own, and
// one object per request is cheaper than a copy.
function parseBody(request: HttpRequest): void {
  const target = request as { body: unknown };
  const { rawBody } = request;
  if (rawBody === undefined || rawBody === "") {
    target.body = undefined;
    return;
  }
  const contentType = request.headers["content-type"];
  const json = contentType === undefined ? /^\s*[{[]/.test(rawBody) : JSON_CONTENT_TYPE.test(contentType);
  if (!json) return;
  try {
    target.body = JSON.parse(rawBody);
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
  const headers: Record<string, string> = {};
  let contentType: string | undefined;
  const given = result.headers;
  for (const name in given) {
    const value = given[name]!;
    headers[name] = value;
    if (name.length === 12 && name.toLowerCase() === "content-type") contentType = value;
  }
  let body = "";
  // 204 and 304 must not carry a body.
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
