// Per-invocation overhead of a @rebound/errors wrapper vs @middy/core 6.4.5 with 3 no-op middlewares
// (its default options, so with a Lambda context it also arms its timeoutEarly timer, as in Lambda).
// Overhead = time per call of the wrapped handler minus time per call of the bare handler, measured
// side by side in interleaved rounds (median). The handler itself does nothing, so only wrapping
// costs. Ours: asyncHandler (the wrapper that, like Middy, only wraps a function: it also validates
// the event and records the request id), plus sqsBatchHandler on a 1-record batch and httpHandler on
// an HTTP API v2 event.
// httpHandler's headline metric is its added overhead beyond the work any API handler must do anyway:
// its time per call minus that of a hand-written handler that JSON.parses the same body and
// JSON.stringifies the same answer, compared with Middy's added overhead (Middy minus the bare
// handler). Its raw overhead over the do-nothing handler (which includes that JSON work) is kept as a
// secondary metric.
import middy from "@middy/core";
import { asyncHandler, httpHandler, sqsBatchHandler } from "@rebound/errors";
import type { Context } from "aws-lambda";
import { median, metric, writeResults } from "./lib/report.mjs";

const CALLS = 50_000;
const ROUNDS = 15;

// 1,000 distinct request ids cycled, so the async wrapper's request-id memory keeps evicting.
const contexts: Context[] = Array.from({ length: 1000 }, (_, i) => ({
  awsRequestId: `5d1e6bc8-4b25-4f5b-9c3e-${String(i).padStart(12, "0")}`,
  functionName: "receipts",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:receipts",
  memoryLimitInMB: "512",
  logGroupName: "/aws/lambda/receipts",
  logStreamName: "2024/05/01/[$LATEST]0123456789abcdef",
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
}));

const asyncEvent = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "OrderPaid",
  source: "rebound.orders",
  account: "123456789012",
  time: "2024-05-01T12:00:00Z",
  region: "eu-west-1",
  resources: [],
  detail: { orderId: "o-1" },
};
const sqsEvent = {
  Records: [
    {
      messageId: "059f36b4-87a3-44ab-83d2-661975830a7d",
      receiptHandle: "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
      body: '{"orderId":"o-1"}',
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: "1545082649183",
        SenderId: "AIDAIENQZJOLO23YVJ4VO",
        ApproximateFirstReceiveTimestamp: "1545082649185",
      },
      messageAttributes: {},
      md5OfBody: "e4e68fb7bd0e697a0ae8f1bb342846b3",
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:payments",
      awsRegion: "eu-west-1",
    },
  ],
};
const httpEvent = {
  version: "2.0",
  routeKey: "POST /orders",
  rawPath: "/orders",
  rawQueryString: "",
  headers: { "content-type": "application/json", host: "api.example.com", "user-agent": "curl/8.5.0" },
  requestContext: {
    accountId: "123456789012",
    apiId: "api-id",
    domainName: "api.example.com",
    domainPrefix: "api",
    http: {
      method: "POST",
      path: "/orders",
      protocol: "HTTP/1.1",
      sourceIp: "192.0.2.1",
      userAgent: "curl/8.5.0",
    },
    requestId: "JKJaXmPLvHcESHA=",
    routeKey: "POST /orders",
    stage: "$default",
    time: "01/May/2024:12:00:00 +0000",
    timeEpoch: 1_714_564_800_000,
  },
  body: '{"amountCents":1200}',
  isBase64Encoded: false,
};

let sink = 0;
const bare = async (_event: unknown, _context: Context) => {
  sink++;
  return undefined;
};
const noop = { before: async () => undefined, after: async () => undefined, onError: async () => undefined };
// Middy's default arms a timeoutEarly timer per call when the context has getRemainingTimeInMillis
// (as in Lambda); that timer is most of its cost. The stricter anchor turns it off, so the comparison
// is with Middy's middleware engine alone.
const withMiddy = middy(bare, { timeoutEarlyInMillis: 0 })
  .use(noop)
  .use({ ...noop })
  .use({ ...noop });
const withMiddyDefault = middy(bare)
  .use(noop)
  .use({ ...noop })
  .use({ ...noop });
const parking = { park: async () => undefined };
const withAsync = asyncHandler(bare, { parking });
const withSqs = sqsBatchHandler(async () => {
  sink++;
});
const withHttp = httpHandler(async () => {
  sink++;
  return { statusCode: 200, body: { ok: true } };
});

// What a hand-written API Gateway handler must do anyway: parse the JSON body, answer JSON.
const handWrittenHttp = async (event: { body?: string | null }, _context: Context) => {
  sink += (JSON.parse(event.body ?? "null") as { amountCents: number }).amountCents;
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ok: true }),
  };
};

async function perCall(run: (context: Context) => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await run(contexts[i % 1000]!);
  return Number(process.hrtime.bigint() - start) / CALLS / 1000; // µs
}

const sides = {
  bare: (c: Context) => bare(asyncEvent, c),
  middy: (c: Context) => withMiddy(asyncEvent, c),
  middyDefault: (c: Context) => withMiddyDefault(asyncEvent, c),
  async: (c: Context) => withAsync(asyncEvent, c),
  sqs: (c: Context) => withSqs(sqsEvent as never, c),
  http: (c: Context) => withHttp(httpEvent as never, c),
  httpByHand: (c: Context) => handWrittenHttp(httpEvent, c),
};
const names = Object.keys(sides) as (keyof typeof sides)[];
const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
  keyof typeof sides,
  number[]
>;
for (let round = 0; round < ROUNDS + 3; round++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(k + round) % names.length]!;
    globalThis.gc?.();
    const t = await perCall(sides[name]);
    if (round >= 3) times[name].push(t);
  }
}
const bareUs = median(times.bare);
const middyOverhead = median(times.middy) - bareUs;
const overhead = (name: keyof typeof sides) => Math.max(0, median(times[name]) - bareUs);
const anchorName = "@middy/core 6.4.5 + 3 no-op middlewares, timeoutEarly off (added µs per call)";
if (sink === 0) throw new Error("handlers never ran");
writeResults("errors-overhead", [
  metric({
    metric: "asyncHandler added overhead per invocation, vs Middy with its default timeoutEarly timer",
    unit: "µs",
    ours: overhead("async"),
    anchor: median(times.middyDefault) - bareUs,
    anchorName: "@middy/core 6.4.5 + 3 no-op middlewares, default options (added µs per call)",
    target: 0.25,
    better: "lower",
  }),
  metric({
    metric: "asyncHandler added overhead per invocation",
    unit: "µs",
    ours: overhead("async"),
    anchor: middyOverhead,
    anchorName,
    target: 0.25,
    better: "lower",
  }),
  metric({
    metric: "sqsBatchHandler added overhead per invocation (1-record batch)",
    unit: "µs",
    ours: overhead("sqs"),
    anchor: middyOverhead,
    anchorName,
    target: 0.25,
    better: "lower",
    note: "does more than Middy: validates the batch, builds the attempt, returns a partial batch response",
  }),
  metric({
    metric: "httpHandler added overhead per invocation beyond the JSON work (HTTP API v2, JSON body)",
    unit: "µs",
    ours: Math.max(0, median(times.http) - median(times.httpByHand)),
    anchor: middyOverhead,
    anchorName,
    target: 0.25,
    better: "lower",
    note: "headline: httpHandler minus a hand-written handler that JSON.parses the body and JSON.stringifies its answer (work any handler does), vs Middy minus the bare handler",
  }),
  metric({
    metric: "httpHandler raw overhead per invocation over the do-nothing handler (includes the JSON work)",
    unit: "µs",
    ours: overhead("http"),
    anchor: middyOverhead,
    anchorName,
    target: 0.25,
    better: "lower",
    note: `secondary: includes parsing the body and encoding the answer, which the hand-written handler costs too (${overhead("httpByHand").toFixed(2)} µs over the bare handler)`,
  }),
]);
