import { afterAll, describe, expect, it } from "vitest";
import { ScriptedHttpService } from "../../src/aws/ScriptedHttpService.js";
import { InvocationClock } from "../../src/host/InvocationClock.js";

const services: ScriptedHttpService[] = [];
const start = async (options: Parameters<typeof ScriptedHttpService.start>[0]) => {
  const service = await ScriptedHttpService.start(options);
  services.push(service);
  return service;
};
afterAll(async () => {
  await Promise.all(services.map((service) => service.close()));
});

const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
};

describe("ScriptedHttpService", () => {
  it("answers a route with its status and JSON body and records the request", async () => {
    const payment = await start({
      name: "payment",
      routes: { "POST /charges": { status: 201, body: { id: "ch_1" } } },
    });
    const out = await post(
      `${payment.url}/charges?expand=true`,
      { orderId: "o-1", amountCents: 1200 },
      { "X-Trace": "t1" },
    );
    expect(out).toEqual({ status: 201, body: { id: "ch_1" } });
    expect(payment.requests).toEqual([
      expect.objectContaining({
        sequence: 1,
        method: "POST",
        path: "/charges",
        query: { expand: "true" },
        body: { orderId: "o-1", amountCents: 1200 },
        route: "POST /charges",
        outcome: "answered",
        status: 201,
        replayed: false,
        headers: expect.objectContaining({ "x-trace": "t1" }),
      }),
    ]);
  });

  it("answers fixed statuses for the first requests, then the default", async () => {
    const mail = await start({
      name: "mail",
      routes: { "POST /messages": { statusSequence: [500, 429], status: 202 } },
    });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await post(`${mail.url}/messages`, {})).status);
    expect(statuses).toEqual([500, 429, 202, 202]);
  });

  it("draws its error rate from the seed, the same way on every run", async () => {
    const run = async (seed: number) => {
      const service = await start({
        name: "flaky",
        seed,
        routes: { "POST /x": { errorRate: 0.5, errorStatus: 503 } },
      });
      const statuses = [];
      for (let i = 0; i < 40; i += 1) statuses.push((await post(`${service.url}/x`, {})).status);
      return statuses;
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(first.filter((status) => status === 503).length).toBeGreaterThan(5);
    expect(first.filter((status) => status === 200).length).toBeGreaterThan(5);
  });

  it("replays the first successful answer for a repeated Idempotency-Key on an idempotent route", async () => {
    const payment = await start({
      name: "payment",
      routes: {
        "POST /charges": { statusSequence: [500], status: 201, body: { id: "ch_9" }, idempotent: true },
      },
    });
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await post(`${payment.url}/charges`, {}, { "Idempotency-Key": "o-9" })).status);
    expect(statuses).toEqual([500, 201, 201]);
    expect(payment.requests.map((request) => [request.status, request.replayed])).toEqual([
      [500, false],
      [201, false],
      [201, true],
    ]);
  });

  it("answers 404 for an unknown route and matches path parameters", async () => {
    const stock = await start({ name: "stock", routes: { "GET /items/{sku}": { body: { available: 3 } } } });
    expect((await fetch(`${stock.url}/items/sku-1`)).status).toBe(200);
    expect((await fetch(`${stock.url}/nope`)).status).toBe(404);
    expect(stock.requests.map((request) => request.outcome)).toEqual(["answered", "noRoute"]);
  });

  it("is down with 503 inside an outage window of virtual time and up outside it", async () => {
    let now = 0;
    const mail = await start({
      name: "mail",
      now: () => now,
      epochMs: 1_000_000,
      routes: { "POST /messages": { status: 202, outages: [{ fromMs: 60_000, toMs: 120_000 }] } },
    });
    const statusAt = async (relativeMs: number) => {
      now = 1_000_000 + relativeMs;
      return (await post(`${mail.url}/messages`, {})).status;
    };
    expect([
      await statusAt(59_999),
      await statusAt(60_000),
      await statusAt(119_999),
      await statusAt(120_000),
    ]).toEqual([202, 503, 503, 202]);
  });

  it("changes status, error rate and latency inside a phase of virtual time, and back after it", async () => {
    let now = 0;
    const payment = await start({
      name: "payment",
      now: () => now,
      epochMs: 1_000_000,
      routes: {
        "POST /charges": {
          status: 201,
          errorStatus: 503,
          phases: [
            { fromMs: 60_000, toMs: 120_000, errorRate: 1, latencyMs: 2_000 },
            { fromMs: 120_000, toMs: 180_000, status: 202 },
          ],
        },
      },
    });
    const at = async (relativeMs: number) => {
      now = 1_000_000 + relativeMs;
      return (await post(`${payment.url}/charges`, {})).status;
    };
    expect([
      await at(59_999),
      await at(60_000),
      await at(119_999),
      await at(120_000),
      await at(180_000),
    ]).toEqual([201, 503, 503, 202, 201]);
    expect(payment.requests.map((request) => request.latencyMs)).toEqual([0, 2_000, 2_000, 0, 0]);
  });

  it("refuses a phase that ends before it starts or has an unknown key", async () => {
    await expect(
      start({ name: "x", routes: { "POST /x": { phases: [{ fromMs: 10, toMs: 5 }] } } }),
    ).rejects.toThrow(/phases\[0\]\.toMs/);
    await expect(
      start({ name: "x", routes: { "POST /x": { phases: [{ fromMs: 0, toMs: 5, body: {} } as never] } } }),
    ).rejects.toThrow(/body/);
  });

  it("adds its latency to the invocation's clock and records the virtual arrival time", async () => {
    const clock = new InvocationClock({ startMs: 5_000, timeoutMs: 10_000 });
    const carrier = await start({
      name: "carrier",
      invocations: { current: () => clock },
      routes: { "POST /shipments": { latencyMs: { minMs: 100, maxMs: 300 } } },
    });
    await post(`${carrier.url}/shipments`, {});
    await post(`${carrier.url}/shipments`, {});
    const [first, second] = carrier.requests;
    expect(first!.latencyMs).toBeGreaterThanOrEqual(100);
    expect(first!.latencyMs).toBeLessThanOrEqual(300);
    expect(second!.atMs).toBe(5_000 + first!.latencyMs);
    expect(clock.consumedMs).toBe(first!.latencyMs + second!.latencyMs);
  });

  it("times the invocation out and drops the connection when the latency reaches the timeout", async () => {
    const clock = new InvocationClock({ startMs: 0, timeoutMs: 1_000 });
    const slack = await start({
      name: "slack",
      invocations: { current: () => clock },
      routes: { "POST /hook": { latencyMs: 1_500 } },
    });
    await expect(post(`${slack.url}/hook`, {})).rejects.toThrow();
    expect(clock.timedOut).toBe(true);
    await expect(post(`${slack.url}/hook`, {})).rejects.toThrow();
    expect(slack.requests.map((request) => [request.outcome, request.status])).toEqual([
      ["timedOut", undefined],
      ["dropped", undefined],
    ]);
  });

  it("consumes all remaining time in a hanging outage", async () => {
    const clock = new InvocationClock({ startMs: 0, timeoutMs: 3_000 });
    clock.consume(500);
    const payment = await start({
      name: "payment",
      invocations: { current: () => clock },
      routes: { "POST /charges": { outages: [{ fromMs: 0, toMs: 10_000, mode: "hang" }] } },
    });
    await expect(post(`${payment.url}/charges`, {})).rejects.toThrow();
    expect(payment.requests[0]).toMatchObject({ outcome: "timedOut", latencyMs: 2_500 });
    expect(clock.timedOut).toBe(true);
  });

  it.each([
    [{ name: "p", routes: { "POST /charges": { statsu: 201 } } }, "routes.POST /charges.statsu"],
    [{ name: "p", routes: { charges: {} } }, "routes.charges"],
    [{ name: "p", routes: { "POST /c": { errorRate: 1.5 } } }, "routes.POST /c.errorRate"],
    [
      { name: "p", routes: { "POST /c": { latencyMs: { minMs: 10, maxMs: 5 } } } },
      "routes.POST /c.latencyMs.maxMs",
    ],
    [
      { name: "p", routes: { "POST /c": { outages: [{ fromMs: 0, toMs: 1, mode: "down" }] } } },
      "routes.POST /c.outages[0].mode",
    ],
    [{ name: "p", routes: {} }, "routes"],
  ])("rejects the invalid options %j naming %s", async (options, key) => {
    await expect(ScriptedHttpService.start(options as never)).rejects.toMatchObject({ key });
  });
});
