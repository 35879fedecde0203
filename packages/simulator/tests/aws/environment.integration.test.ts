import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalAwsEndpoints } from "../../src/aws/LocalAwsEndpoints.js";
import { ScriptedHttpService } from "../../src/aws/ScriptedHttpService.js";
import { HandlerHost } from "../../src/host/HandlerHost.js";
import { InvocationClock } from "../../src/host/InvocationClock.js";
import { Reply } from "../../src/lambda/Reply.js";
import { MemorySqs } from "./memoryBackends.js";

const START = Date.UTC(2026, 0, 1);

describe("a real handler bundle, its SDK client routed by AWS_ENDPOINT_URL_SQS, and a scripted provider", () => {
  const host = new HandlerHost({ timedOutGraceMs: 2_000 });
  const sqs = new MemorySqs(["parked-events"]);
  let endpoints: LocalAwsEndpoints;
  let payment: ScriptedHttpService;

  beforeAll(async () => {
    endpoints = await LocalAwsEndpoints.start({ backends: { sqs }, invocations: host });
    sqs.baseUrl = endpoints.url;
    payment = await ScriptedHttpService.start({
      name: "payment",
      invocations: host,
      routes: { "POST /charges": { status: 201, body: { id: "ch_1" }, idempotent: true, latencyMs: 0 } },
    });
    host.register({
      functionName: "payments-worker",
      bundlePath: fileURLToPath(new URL("../fixtures/sdkWorker.mjs", import.meta.url)),
      exportName: "handler",
      environment: {
        ...endpoints.env(),
        PAYMENT_PROVIDER_URL: payment.url,
        PARKING_QUEUE_URL: endpoints.queueUrl("parked-events"),
      },
    });
  });

  afterAll(async () => {
    await payment.close();
    await endpoints.close();
  });

  it("charges, then sends to SQS through the local endpoint, all on virtual time", async () => {
    const clock = new InvocationClock({ startMs: START, timeoutMs: 3_000 });
    const result = await host.invoke(
      "payments-worker",
      { orderId: "o-1", amountCents: 1200 },
      { clock, awsRequestId: "r-1" },
    );
    expect(result).toEqual(
      Reply.success(
        { charge: { status: 201, body: { id: "ch_1" } }, at: "2026-01-01T00:00:00.000Z" },
        { durationMs: 0 },
      ),
    );
    expect(sqs.sent.map((message) => message.body)).toEqual(['{"orderId":"o-1","charged":201}']);
    expect(payment.requests[0]).toMatchObject({
      atMs: START,
      headers: expect.objectContaining({ "idempotency-key": "o-1" }),
    });
  });
});

describe("a handler whose provider answers after its timeout", () => {
  const host = new HandlerHost({ timedOutGraceMs: 2_000 });
  const sqs = new MemorySqs(["parked-events"]);
  let endpoints: LocalAwsEndpoints;
  let payment: ScriptedHttpService;

  beforeAll(async () => {
    endpoints = await LocalAwsEndpoints.start({ backends: { sqs }, invocations: host });
    sqs.baseUrl = endpoints.url;
    payment = await ScriptedHttpService.start({
      name: "payment",
      invocations: host,
      routes: { "POST /charges": { status: 201, latencyMs: { minMs: 4_000, maxMs: 6_000 } } },
    });
    host.register({
      functionName: "payments-worker",
      bundlePath: fileURLToPath(new URL("../fixtures/sdkWorker.mjs", import.meta.url)),
      exportName: "handler",
      environment: {
        ...endpoints.env(),
        PAYMENT_PROVIDER_URL: payment.url,
        PARKING_QUEUE_URL: endpoints.queueUrl("parked-events"),
      },
    });
  });

  afterAll(async () => {
    await payment.close();
    await endpoints.close();
  });

  it("is timed out on the virtual clock, and its late SQS call after the dropped connection never lands", async () => {
    const clock = new InvocationClock({ startMs: START, timeoutMs: 3_000 });
    const result = await host.invoke(
      "payments-worker",
      { orderId: "o-2", amountCents: 900 },
      { clock, awsRequestId: "r-2" },
    );
    // The runtime turns a timeout into Sandbox.Timedout with AWS's message (tested with HandlerHost).
    expect(result).toBe(Reply.timeout());
    expect(payment.requests.map((request) => request.outcome)).toEqual(["timedOut"]);
    expect(sqs.sent).toEqual([]);
    expect(endpoints.refusedAfterTimeout).toBeGreaterThanOrEqual(1);
  });
});
