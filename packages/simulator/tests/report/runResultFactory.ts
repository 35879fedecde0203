import type { RunAttempt, RunEvent, RunResult } from "../../src/report/RunResult.js";

export const START_MS = Date.UTC(2026, 0, 1);

/** One attempt `seconds` into the run. */
export function attempt(
  seconds: number,
  result: RunAttempt["result"],
  extra: Partial<RunAttempt> = {},
): RunAttempt {
  return { atMs: START_MS + seconds * 1000, result, batchSize: 1, requestId: `req-${seconds}`, ...extra };
}

/** One event outcome with defaults. */
export function runEvent(overrides: Partial<RunEvent> & Pick<RunEvent, "id">): RunEvent {
  return {
    source: "sqs:payments",
    injectedAtMs: START_MS,
    attempts: [attempt(1, "success")],
    disposition: "processed",
    settledAtMs: START_MS + 1000,
    ...overrides,
  };
}

/** A payment-outage-like run: retries on sqs:payments, one dead letter, receipts, a DLQ depth series. */
export function runResult(overrides: Partial<RunResult> = {}): RunResult {
  const events: RunEvent[] = [
    ...Array.from({ length: 8 }, (_, index) =>
      runEvent({
        id: `order#${index + 1}`,
        injectedAtMs: START_MS + index * 6000,
        attempts: [
          attempt(index * 6 + 1, "function-error", { errorType: "RetryableError", batchSize: 3 }),
          attempt(index * 6 + 62, "function-error", { errorType: "RetryableError", batchSize: 3 }),
          attempt(index * 6 + 184, "success", { batchSize: 2 }),
        ],
        settledAtMs: START_MS + (index * 6 + 184) * 1000,
      }),
    ),
    runEvent({
      id: "stuck",
      attempts: [1, 62, 123, 184, 245].map((seconds) =>
        attempt(seconds, "timeout", { errorType: "Sandbox.Timedout" }),
      ),
      disposition: "dead-lettered",
      settledAtMs: START_MS + 306_000,
      where: "payments-dlq",
      reason: "maxReceiveCount 5 reached",
      record: { body: '{"orderId":"ord_stuck"}', messageId: "m-1" },
    }),
    runEvent({
      id: "receipt-1",
      source: "lambda:receipts",
      attempts: [attempt(200, "throttled"), attempt(201, "success")],
    }),
    runEvent({
      id: "never",
      source: "lambda:receipts",
      attempts: [],
      disposition: null,
      settledAtMs: undefined,
    }),
  ];
  return {
    scenario: {
      name: "payment-outage",
      description: "The payment provider is down for 150 s.",
      file: "scenarios/payment-outage.yaml",
    },
    seed: 2,
    stack: "infra/cdktf.out/stacks/orders/cdk.tf.json",
    virtualStartMs: START_MS,
    virtualEndMs: START_MS + 600_000,
    virtualCapMs: START_MS + 7_200_000,
    stoppedBecause: "idle",
    wallMs: 1834,
    events,
    attemptSeries: [],
    queueDepthSeries: [
      {
        queue: "payments-dlq",
        role: "dlq",
        points: [
          { atMs: START_MS + 306_000, depth: 1 },
          { atMs: START_MS + 310_000, depth: 0 },
        ],
      },
      { queue: "receipts-failures", role: "destination", points: [] },
    ],
    expectations: [
      { name: "no orderId charged twice (payment POST /charges)", ok: true, detail: "8 orders, 8 charges" },
      {
        name: "payments-dlq depth = 0 at the end",
        ok: false,
        detail: "payments-dlq held 1 message: ord_stuck",
      },
    ],
    unmodelled: [
      {
        type: "aws_cloudwatch_metric_alarm",
        name: "payments-dlq-depth",
        note: "alarms do not change retries",
      },
    ],
    tracePath: undefined,
    reportPath: "rebound-report/payment-outage.html",
    reproduce: "pnpm rebound simulate scenarios/payment-outage.yaml --seed 2",
    ...overrides,
  };
}
