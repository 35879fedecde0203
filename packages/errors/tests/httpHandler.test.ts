import { describe, expect, it } from "vitest";
import {
  ConflictError,
  type HttpRequest,
  httpHandler,
  InvalidEventError,
  NotFoundError,
  PermanentError,
  RetryableError,
  ValidationError,
} from "../src/index.js";
import { IdempotencyLikeError } from "./helpers/classifyFixtures.js";
import {
  apiGatewayV1Event,
  apiGatewayV2Event,
  lambdaContext,
  recordingLogger,
  sqsBatch,
} from "./helpers/events.js";

const context = lambdaContext("lambda-req");
const events = [
  ["REST (v1)", apiGatewayV1Event(), "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"],
  ["HTTP API (v2)", apiGatewayV2Event(), "JKJaXmPLvHcESHA="],
] as const;

function throwing(error: unknown) {
  return async (): Promise<never> => {
    throw error;
  };
}

function bodyOf(response: { body?: string }): { error: Record<string, unknown> } {
  return JSON.parse(response.body ?? "");
}

describe("httpHandler", () => {
  it.each(events)("normalises a %s request", async (label, event) => {
    let seen: HttpRequest | undefined;
    const wrapped = httpHandler(async (request) => {
      seen = request;
      return { statusCode: 200 };
    });
    await wrapped(event, context);
    expect(seen).toMatchObject({
      method: "POST",
      path: "/orders/o-1",
      pathParameters: { id: "o-1" },
      body: { amountCents: 1200 },
      rawBody: '{"amountCents":1200}',
      version: label === "REST (v1)" ? "1.0" : "2.0",
      event,
    });
    expect(seen?.headers["content-type"]).toBe("application/json");
    expect(seen?.headers.host).toBe("api.example.com");
  });

  it("joins repeated v1 headers and query parameters with commas, and lower-cases header names", async () => {
    let seen: HttpRequest | undefined;
    const event = apiGatewayV1Event({
      queryStringParameters: { tag: "b" },
      multiValueQueryStringParameters: { tag: ["a", "b"] },
    });
    await httpHandler(async (request) => {
      seen = request;
      return { statusCode: 204 };
    })(event, context);
    expect(seen?.headers["x-trace"]).toBe("a,b");
    expect(seen?.queryStringParameters).toEqual({ tag: "a,b" });
  });

  it("turns v2 cookies into a cookie header and keeps v2 query parameters", async () => {
    let seen: HttpRequest | undefined;
    await httpHandler(async (request) => {
      seen = request;
      return { statusCode: 204 };
    })(apiGatewayV2Event(), context);
    expect(seen?.headers.cookie).toBe("session=abc; theme=dark");
    expect(seen?.queryStringParameters).toEqual({ status: "PAID", tag: "a,b" });
  });

  it("decodes a base64 body before parsing it", async () => {
    let seen: HttpRequest | undefined;
    const event = apiGatewayV2Event({
      body: Buffer.from('{"a":1}').toString("base64"),
      isBase64Encoded: true,
    });
    await httpHandler(async (request) => {
      seen = request;
      return { statusCode: 204 };
    })(event, context);
    expect(seen?.body).toEqual({ a: 1 });
    expect(seen?.rawBody).toBe('{"a":1}');
  });

  it.each([
    ["a JSON body without a content type", undefined, '{"a":1}', { a: 1 }],
    ["a vendor +json content type", "application/vnd.api+json; charset=utf-8", "[1,2]", [1, 2]],
    ["a text body", "text/plain", '{"not":"parsed"}', '{"not":"parsed"}'],
    ["a form body", "application/x-www-form-urlencoded", "a=1&b=2", "a=1&b=2"],
    ["an empty body", "application/json", "", undefined],
    ["a body that does not look like JSON, with no content type", undefined, "hello", "hello"],
  ])("parses %s as expected", async (_label, contentType, body, expected) => {
    let seen: unknown = "unset";
    const headers: Record<string, string> = contentType ? { "content-type": contentType } : {};
    await httpHandler(async (request) => {
      seen = request.body;
      return { statusCode: 204 };
    })(apiGatewayV2Event({ headers, body }), context);
    expect(seen).toEqual(expected);
  });

  it.each(events)(
    "answers a malformed JSON body of a %s request with 400 saying what is wrong",
    async (_label, event, requestId) => {
      let called = false;
      const wrapped = httpHandler(
        async () => {
          called = true;
          return { statusCode: 200 };
        },
        { logger: recordingLogger() },
      );
      const response = await wrapped({ ...event, body: '{"amountCents":' } as never, context);
      expect(called).toBe(false);
      expect(response.statusCode).toBe(400);
      const { error } = bodyOf(response);
      expect(error).toMatchObject({ code: "MALFORMED_JSON", requestId });
      expect(error.message).toMatch(/^The request body is not valid JSON: .*JSON/);
      expect(error.issues).toHaveLength(1);
    },
  );

  it.each(events)("JSON-encodes a %s result body and sets the content type", async (_label, event) => {
    const wrapped = httpHandler(async () => ({
      statusCode: 201,
      body: { id: "o-1" },
      headers: { location: "/orders/o-1" },
    }));
    expect(await wrapped(event, context)).toEqual({
      statusCode: 201,
      headers: { location: "/orders/o-1", "content-type": "application/json" },
      body: '{"id":"o-1"}',
      isBase64Encoded: false,
    });
  });

  it("sends a string body as is when the handler sets a non-JSON content type", async () => {
    const wrapped = httpHandler(async () => ({
      statusCode: 200,
      body: "<p>ok</p>",
      headers: { "Content-Type": "text/html" },
    }));
    expect(await wrapped(apiGatewayV2Event(), context)).toMatchObject({
      body: "<p>ok</p>",
      headers: { "Content-Type": "text/html" },
    });
  });

  it("sends no body with 204", async () => {
    const wrapped = httpHandler(async () => ({ statusCode: 204, body: { ignored: true } }));
    expect(await wrapped(apiGatewayV2Event(), context)).toMatchObject({ statusCode: 204, body: "" });
  });

  it.each([
    [
      "ValidationError",
      new ValidationError("invalid order", { issues: ["amountCents: expected a positive integer"] }),
      400,
      "VALIDATION_FAILED",
    ],
    [
      "NotFoundError",
      new NotFoundError("order o-9 not found", { code: "ORDER_NOT_FOUND" }),
      404,
      "ORDER_NOT_FOUND",
    ],
    ["ConflictError", new ConflictError("order already paid", { code: "ALREADY_PAID" }), 409, "ALREADY_PAID"],
    [
      "a business-rule PermanentError",
      new PermanentError("card declined", { code: "CARD_DECLINED" }),
      422,
      "CARD_DECLINED",
    ],
    [
      "a PermanentError with its own status",
      new PermanentError("too large", { code: "TOO_LARGE", httpStatus: 413 }),
      413,
      "TOO_LARGE",
    ],
  ])("maps %s to %i with its code and message", async (_label, error, status, code) => {
    const logger = recordingLogger();
    const response = await httpHandler(throwing(error), { logger })(apiGatewayV1Event(), context);
    expect(response.statusCode).toBe(status);
    expect(response.headers).toEqual({ "content-type": "application/json", "cache-control": "no-store" });
    const { error: body } = bodyOf(response);
    expect(body).toMatchObject({
      code,
      message: (error as Error).message,
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    });
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: "warn",
        fields: expect.objectContaining({
          trigger: "http",
          classification: "permanent",
          statusCode: status,
          requestId: "lambda-req",
        }),
      }),
    ]);
  });

  it("lists the issues of a ValidationError in the body", async () => {
    const response = await httpHandler(
      throwing(new ValidationError("invalid", { issues: ["a: required", "b: too long"] })),
      {
        logger: recordingLogger(),
      },
    )(apiGatewayV2Event(), context);
    expect(bodyOf(response).error.issues).toEqual(["a: required", "b: too long"]);
  });

  it.each([
    [
      "a RetryableError with a hint",
      new RetryableError("provider busy", { retryAfterSeconds: 7.2 }),
      503,
      "8",
    ],
    ["a RetryableError without a hint", new RetryableError("provider busy"), 503, "1"],
    ["the idempotency lock (409)", new IdempotencyLikeError(), 409, "2"],
  ])("maps %s to %i with Retry-After", async (_label, error, status, retryAfter) => {
    const response = await httpHandler(throwing(error), { logger: recordingLogger() })(
      apiGatewayV2Event(),
      context,
    );
    expect(response.statusCode).toBe(status);
    expect(response.headers?.["retry-after"]).toBe(retryAfter);
  });

  it("maps a recognised transient non-Rebound error (SDK throttling) to 503 without its message", async () => {
    const throttled = Object.assign(new Error("Rate exceeded for table orders"), {
      name: "ProvisionedThroughputExceededException",
      $metadata: { httpStatusCode: 400 },
    });
    const response = await httpHandler(throwing(throttled), {
      logger: recordingLogger(),
      retryAfterSeconds: 3,
    })(apiGatewayV2Event(), context);
    expect(response.statusCode).toBe(503);
    expect(response.headers?.["retry-after"]).toBe("3");
    expect(bodyOf(response).error).toEqual({
      code: "TEMPORARILY_UNAVAILABLE",
      message: "Temporarily unavailable, try again later.",
      requestId: "JKJaXmPLvHcESHA=",
    });
  });

  it.each([
    ["an unknown Error", new Error("db password is hunter2")],
    ["a TypeError", new TypeError("Cannot read properties of undefined (reading 'id')")],
    [
      "a permanent SDK error (a server-side misconfiguration)",
      Object.assign(new Error("User arn:aws:iam::1:role/x is not authorized"), {
        name: "AccessDeniedException",
        $metadata: { httpStatusCode: 403 },
      }),
    ],
    ["a thrown string", "secret"],
  ])("maps %s to 500 and never sends its message or stack", async (_label, error) => {
    const logger = recordingLogger();
    const response = await httpHandler(throwing(error), { logger })(apiGatewayV1Event(), context);
    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toEqual({
      error: {
        code: "INTERNAL_ERROR",
        message: "Internal server error.",
        requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      },
    });
    expect(response.body).not.toMatch(/hunter2|undefined|arn:aws|secret|at /);
    expect(logger.lines[0]?.level).toBe("error");
  });

  it("logs the stack of an unknown error (for the developer, not the caller)", async () => {
    const logger = recordingLogger();
    await httpHandler(throwing(new Error("boom")), { logger })(apiGatewayV1Event(), context);
    expect(logger.lines[0]?.fields.errorStack).toMatch(/Error: boom\n\s+at /);
  });

  it("hides Rebound error messages too when exposeErrorMessages is false", async () => {
    const response = await httpHandler(throwing(new NotFoundError("order o-9 of customer c-1 not found")), {
      exposeErrorMessages: false,
      logger: recordingLogger(),
    })(apiGatewayV2Event(), context);
    expect(bodyOf(response).error).toMatchObject({ code: "NOT_FOUND", message: "Not found." });
  });

  it.each([
    ["undefined", undefined],
    ["a status out of range", { statusCode: 700 }],
    ["a non-integer status", { statusCode: "200" }],
    ["a header that is not a string", { statusCode: 200, headers: { "x-count": 3 } }],
  ])(
    "answers 500 when the handler returns %s (API Gateway would answer a bare 502)",
    async (_label, result) => {
      const logger = recordingLogger();
      const response = await httpHandler(async () => result as never, { logger })(
        apiGatewayV2Event(),
        context,
      );
      expect(response.statusCode).toBe(500);
      expect(logger.lines[0]?.fields.errorMessage).toMatch(/invalid result/);
    },
  );

  it("rejects an event that is not from API Gateway, naming the expected shape", async () => {
    const error = await httpHandler(async () => ({ statusCode: 200 }))(sqsBatch(1) as never, context).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toMatch(/httpHandler expected an API Gateway proxy event: REST \(v1\)/);
    expect((error as Error).message).toMatch(/eventSource "aws:sqs"/);
  });
});
