import { describe, expect, it } from "vitest";
import {
  type ApiResponse,
  type LambdaHandler,
  Reply,
  type Script,
  scripted,
  Topology,
} from "../../src/index.js";

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
