import { describe, expect, it } from "vitest";
import {
  type ApiResponse,
  type LambdaHandler,
  Reply,
  type Script,
  scripted,
  Topology,
} from "../../src/index.js";
import { mintJwt } from "../../src/run/mintJwt.js";

const START = Date.UTC(2026, 0, 1);

function request(
  handler: LambdaHandler | Script,
  api: Record<string, unknown> = {},
  fn: Record<string, unknown> = {},
) {
  const topology = new Topology({ startMs: START });
  topology.addFunction({ functionName: "orders-api", timeoutSeconds: 60, handler, ...fn });
  topology.addApi({ apiName: "orders", functionName: "orders-api", ...api });
  const responses: (ApiResponse & { atS: number })[] = [];
  topology.apiRequest(
    "orders",
    { httpMethod: "GET", path: "/orders/1" },
    {
      onResponse: (response) =>
        responses.push({ ...response, atS: (topology.simulation.now() - START) / 1000 }),
    },
  );
  topology.run();
  return { responses, topology };
}

describe("API Gateway proxy integration (sync)", () => {
  it("returns the function's proxy response", () => {
    const { responses, topology } = request(() => ({
      statusCode: 201,
      headers: { "x-id": "1" },
      body: "{}",
    }));
    expect(responses[0]).toMatchObject({
      statusCode: 201,
      headers: { "x-id": "1" },
      body: "{}",
      cause: "function-response",
    });
    expect(topology.outcomes.all()[0]?.disposition).toBe("processed");
  });

  it.each([
    ["a thrown error", scripted.fail(), "function-error"],
    [
      "a response outside the proxy format",
      scripted.succeed({ payload: { ok: true } }),
      "malformed-response",
    ],
    [
      "an unknown key in the response",
      scripted.succeed({ payload: { statusCode: 200, extra: 1 } }),
      "malformed-response",
    ],
  ])("answers 502 Internal server error for %s, without retrying", (_name, handler, cause) => {
    const { responses, topology } = request(handler);
    expect(responses).toEqual([
      expect.objectContaining({ statusCode: 502, body: '{"message": "Internal server error"}', cause }),
    ]);
    expect(topology.function("orders-api").invocations).toBe(1);
    expect(topology.outcomes.all()[0]?.disposition).toBe("failed");
  });

  it("answers 504 at the 29 s integration timeout while the function runs on", () => {
    const { responses, topology } = request(() => Reply.success({ statusCode: 200 }, { durationMs: 40_000 }));
    expect(responses).toEqual([
      expect.objectContaining({ statusCode: 504, cause: "integration-timeout", atS: 29 }),
    ]);
    const outcome = topology.outcomes.all()[0]!;
    expect(outcome.disposition).toBe("failed");
    expect(outcome.attempts[0]).toMatchObject({ result: "success", endMs: START + 40_000 });
  });

  it.each([
    [undefined, 500],
    [429, 429],
    [500, 500],
  ])("answers a throttle (throttledStatusCode %s) with %i", (throttledStatusCode, status) => {
    const { responses } = request(
      () => ({ statusCode: 200 }),
      throttledStatusCode === undefined ? {} : { throttledStatusCode },
      { reservedConcurrency: 0 },
    );
    expect(responses[0]).toMatchObject({ statusCode: status, cause: "throttled" });
  });

  it("with payload format 2.0 treats a response without statusCode as the body of a 200", () => {
    const { responses } = request(() => ({ ok: true }), { payloadFormatVersion: "2.0" });
    expect(responses[0]).toMatchObject({ statusCode: 200, body: '{"ok":true}' });
  });

  it("never retries a sync invoke: the error goes back to the caller", () => {
    const topology = new Topology();
    topology.addFunction({ functionName: "f", handler: scripted.fail({ errorType: "Boom" }) });
    const results: unknown[] = [];
    topology.invoke("f", {}, { onResult: (result) => results.push(result) });
    topology.run();
    expect(results).toEqual([
      expect.objectContaining({
        statusCode: 200,
        functionError: "Unhandled",
        payload: expect.objectContaining({ errorType: "Boom" }),
      }),
    ]);
    expect(topology.function("f").invocations).toBe(1);
  });

  it("rejects unknown options", () => {
    const topology = new Topology();
    topology.addFunction({ functionName: "f", handler: () => 1 });
    expect(() => topology.addApi({ apiName: "a", functionName: "f", timeout: 29 } as never)).toThrow(
      /unknown option "timeout"/,
    );
  });
});

describe("API Gateway throttling and JWT authorization, before Lambda", () => {
  const authorizer = {
    name: "jwt",
    issuer: "https://auth.example.com/",
    audience: ["orders-api"],
    identityHeader: "authorization",
  };

  function api(routes: Record<string, unknown>[]) {
    const topology = new Topology({ startMs: START });
    const events: unknown[] = [];
    topology.addFunction({
      functionName: "orders-api",
      handler: (event) => {
        events.push(event);
        return { statusCode: 200, body: "{}" };
      },
    });
    topology.addApi({
      apiName: "orders",
      functionName: "orders-api",
      payloadFormatVersion: "2.0",
      routes: routes as never,
    });
    const responses: ApiResponse[] = [];
    const send = (routeKey: string, headers: Record<string, string> = {}, atMs = START) =>
      topology.apiRequest(
        "orders",
        { version: "2.0", headers, requestContext: { requestId: "x" } },
        { routeKey, atMs, onResponse: (response) => void responses.push(response) },
      );
    return { topology, events, responses, send };
  }

  it("answers 2,000 requests at one instant against burst 50: 50 reach Lambda, 1,950 get 429", () => {
    const { topology, events, responses, send } = api([
      { routeKey: "POST /orders", throttle: { rateLimit: 100, burstLimit: 50 } },
    ]);
    for (let index = 0; index < 2_000; index++) send("POST /orders");
    // One second later the bucket holds 50 again (100 per second, capped at the burst).
    for (let index = 0; index < 200; index++) send("POST /orders", {}, START + 1_000);
    topology.run();
    expect(events).toHaveLength(100);
    const throttled = responses.filter((response) => response.statusCode === 429);
    expect(throttled).toHaveLength(2_100);
    expect(throttled[0]).toMatchObject({ body: '{"message":"Too Many Requests"}', cause: "throttled" });
    expect(topology.outcomes.all().filter((event) => event.attempts.length > 0)).toHaveLength(100);
  });

  it("answers 401 without a token and never invokes the function; passes the claims with a token", () => {
    const { topology, events, responses, send } = api([
      { routeKey: "GET /orders/{id}", authorization: { type: "JWT", authorizer } },
    ]);
    send("GET /orders/{id}");
    send("GET /orders/{id}", { authorization: `Bearer ${mintJwt(authorizer, { sub: "c-7" }, START)}` });
    topology.run();
    expect(responses.map((response) => [response.statusCode, response.cause])).toEqual([
      [401, "unauthorized"],
      [200, "function-response"],
    ]);
    expect(responses[0]?.body).toBe('{"message":"Unauthorized"}');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      requestContext: { authorizer: { jwt: { claims: { sub: "c-7", aud: "orders-api" }, scopes: null } } },
    });
  });

  it("refuses an unknown route key and an unmodelled authorization type", () => {
    const { send } = api([{ routeKey: "POST /orders" }]);
    expect(() => send("DELETE /orders")).toThrow("no route DELETE /orders; routes: POST /orders");
    expect(() => api([{ routeKey: "POST /orders", authorization: { type: "AWS_IAM" } }])).toThrow(
      /authorization type "AWS_IAM" is not modelled/,
    );
  });
});
