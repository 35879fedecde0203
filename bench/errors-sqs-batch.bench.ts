// SQS partial batch throughput: @rebound/errors sqsBatchHandler vs @aws-lambda-powertools/batch 2.35.0
// processPartialResponse (default settings: BatchProcessor(EventType.SQS), records processed in
// parallel) on the same 10,000-record events, at 0% and 10% failures, plus a plain for-loop baseline
// (try/await/catch, push the id): what a hand-written handler costs. Measured side by side,
// interleaved rounds, medians. Failures are retryable (reported), thrown by the same handler on every
// side, so the cost of creating and throwing errors is the same for all three.
//
// Targets: at 0% failures 3x Powertools and 0.5 of the plain loop; at 10% failures 0.6 of the plain
// loop. At 10% the shared cost of creating and throwing 1,000 errors dominates every side, so the
// plain loop is the honest yardstick there; Powertools' ratio at 10% is reported without a target
// (a 2x target would need a wrapper faster than the bare loop whenever Powertools runs at its fast
// end, 0.5 of the loop).
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { createJsonLogger, RetryableError, sqsBatchHandler } from "@rebound/errors";
import type { Context, SQSBatchItemFailure, SQSEvent, SQSRecord } from "aws-lambda";
import { median, metric, writeResults } from "./lib/report.mjs";

const RECORDS = 10_000;
const ROUNDS = 25;

const context = {
  awsRequestId: "5d1e6bc8-4b25-4f5b-9c3e-2f2d3c1b0a01",
  functionName: "payments-worker",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:payments-worker",
  memoryLimitInMB: "512",
  logGroupName: "/aws/lambda/payments-worker",
  logStreamName: "2024/05/01/[$LATEST]0123456789abcdef",
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;

function event(failureRate: number): SQSEvent {
  const every = failureRate === 0 ? 0 : Math.round(1 / failureRate);
  const Records: SQSRecord[] = [];
  for (let i = 0; i < RECORDS; i++) {
    Records.push({
      messageId: `059f36b4-87a3-44ab-83d2-${String(i).padStart(12, "0")}`,
      receiptHandle: `AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a${i}`,
      body: every !== 0 && i % every === every - 1 ? "fail" : '{"orderId":"o-1","amountCents":1200}',
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
    });
  }
  return { Records };
}

// The trivial async record handler every side runs.
let sink = 0;
async function recordHandler(record: SQSRecord): Promise<void> {
  if (record.body === "fail") throw new RetryableError("provider throttled");
  sink += record.body.length;
}

// Ours, with its real logger serialising every failure line; only the final write is dropped
// (1,000 stdout lines per round would measure the terminal). Powertools logs nothing here.
const logger = createJsonLogger({ write: () => undefined });
const ours = sqsBatchHandler(recordHandler, { logger, throwOnFullBatchFailure: false });
const processor = new BatchProcessor(EventType.SQS);
const powertools = (e: SQSEvent) => processPartialResponse(e, recordHandler, processor, { context });
async function plainLoop(e: SQSEvent): Promise<{ batchItemFailures: SQSBatchItemFailure[] }> {
  const batchItemFailures: SQSBatchItemFailure[] = [];
  for (const record of e.Records) {
    try {
      await recordHandler(record);
    } catch {
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

async function seconds(
  run: () => Promise<{ batchItemFailures: SQSBatchItemFailure[] }>,
  failures: number,
): Promise<number> {
  const start = process.hrtime.bigint();
  const response = await run();
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  // Every side must produce the same answer, or the comparison is meaningless.
  if (response.batchItemFailures.length !== failures) {
    throw new Error(`expected ${failures} failures, got ${response.batchItemFailures.length}`);
  }
  return elapsed;
}

const metrics = [];
for (const rate of [0, 0.1]) {
  const e = event(rate);
  const failures = rate * RECORDS;
  const times = { ours: [] as number[], powertools: [] as number[], plain: [] as number[] };
  for (let round = 0; round < ROUNDS + 3; round++) {
    // Rotate the order each round so no side always runs on a warmer or a fuller heap.
    const order = [
      ["ours", () => ours(e, context)],
      ["powertools", () => powertools(e)],
      ["plain", () => plainLoop(e)],
    ] as const;
    for (let k = 0; k < order.length; k++) {
      const [name, run] = order[(k + round) % order.length]!;
      globalThis.gc?.();
      const t = await seconds(run, failures);
      if (round >= 3) times[name].push(t); // the first 3 rounds warm the JIT
    }
  }
  const perSecond = (list: number[]) => RECORDS / median(list) / 1e6;
  const label = `${rate * 100}% failures`;
  metrics.push(
    metric({
      metric: `SQS batch of ${RECORDS} records, ${label}`,
      unit: "M records/s",
      ours: perSecond(times.ours),
      anchor: perSecond(times.powertools),
      anchorName: "Powertools batch 2.35.0 processPartialResponse",
      target: rate === 0 ? 3 : null,
      better: "higher",
    }),
    metric({
      metric: `SQS batch of ${RECORDS} records, ${label}, vs a plain loop`,
      unit: "M records/s",
      ours: perSecond(times.ours),
      anchor: perSecond(times.plain),
      anchorName: "plain for-loop (try/await/catch, no classification or logging)",
      target: rate === 0 ? 0.5 : 0.6,
      better: "higher",
      note: "baseline: a hand-written loop that does none of the work (no classification, no logging)",
    }),
  );
}
if (sink === 0) throw new Error("the record handler never ran");
writeResults("errors-sqs-batch", metrics);
