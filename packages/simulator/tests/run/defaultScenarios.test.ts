import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseScenario, type RunEvent, type RunResult, runScenario } from "../../src/index.js";

// End to end: each default scenario on the synthesized orders stack (infra/cdktf.out) with the real
// bundles (apps/*/dist). turbo's @rebound/simulator#test depends on both, so a clean clone has them.
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
// Each run takes about a second of wall time; the virtual hours are simulated, not waited for.
const RUN_TIMEOUT_MS = 60_000;

/**
 * Test-owned checks appended to a scenario's `expect:` list (every default file ends with it): they
 * read the downstreams' request logs, which a run result keeps only as evaluated expectations.
 */
const CHARGED_ONCE_PER_ORDER = `
  - check: no-double-charge
    name: test - no orderId charged twice
    downstream: payment
    route: POST /charges
    key: orderId
`;
const SLACK_SILENT = `
  - check: requests
    name: test - no Slack message
    downstream: slack
    count: 0
`;
const ALERTED = `
  - check: dead-letters-alerted
    name: test - every set-aside event named in Slack
    downstream: slack
    key: orderId
`;

async function run(name: string, extraExpect = "", seed?: number): Promise<RunResult> {
  const file = `scenarios/${name}.yaml`;
  const text = readFileSync(`${REPO_ROOT}${file}`, "utf8");
  expect(text, `${file} must end with its expect: list for the appended checks`).toMatch(
    /\nexpect:\n(?: .*\n|\n)*$/,
  );
  const scenario = parseScenario(`${text.trimEnd()}\n${extraExpect}`, file);
  // The handlers log one JSON line per failure to stdout, as in Lambda; kept out of the test output.
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await runScenario(scenario, { repoRoot: REPO_ROOT, ...(seed !== undefined ? { seed } : {}) });
  } finally {
    process.stdout.write = write;
  }
}

const of = (result: RunResult, source: string): RunEvent[] =>
  result.events.filter((event) => event.source === source);
const expectation = (result: RunResult, name: string) => {
  const found = result.expectations.find((candidate) => candidate.name === name);
  if (!found)
    throw new Error(`no expectation "${name}" in ${result.expectations.map((e) => e.name).join(", ")}`);
  return found;
};
const failedExpectations = (result: RunResult) => result.expectations.filter((candidate) => !candidate.ok);
/** orderId of every order the API created (201 responses). */
const createdOrderIds = (result: RunResult): string[] =>
  of(result, "apigw:orders").map((event) => {
    const record = event.record as { statusCode: number; body: string };
    expect(record.statusCode).toBe(201);
    return (JSON.parse(record.body) as { orderId: string }).orderId;
  });
/** orderIds the fulfillment state machine finished (its execution output names the order). */
const fulfilledOrderIds = (result: RunResult): string[] =>
  of(result, "sfn:fulfillment")
    .filter((event) => event.disposition === "processed")
    .map((event) => (event.record as { orderId: string }).orderId);

describe("the default scenarios, end to end on the synthesized stack with the real bundles", () => {
  it(
    "happy path: five orders, each payment message processed on its first delivery, charged once per orderId, received and shipped, no Slack",
    async () => {
      const result = await run("happy-path", CHARGED_ONCE_PER_ORDER + SLACK_SILENT);
      expect(failedExpectations(result)).toEqual([]);
      const orderIds = createdOrderIds(result);
      expect(new Set(orderIds).size).toBe(5);
      const payments = of(result, "sqs:payments");
      expect(payments).toHaveLength(5);
      for (const event of payments) {
        expect(event.disposition).toBe("processed");
        expect(event.attempts.map((attempt) => attempt.result)).toEqual(["success"]);
      }
      expect(expectation(result, "test - no orderId charged twice").detail).toBe(
        "5 successful charge(s) for 5 orderId(s)",
      );
      expect(of(result, "lambda:receipts").map((event) => event.disposition)).toEqual(
        Array(5).fill("processed"),
      );
      expect(fulfilledOrderIds(result).sort()).toEqual([...orderIds].sort());
      expect(result.events.filter((event) => event.disposition !== "processed")).toEqual([]);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "payment outage: every message is retried after the visibility timeout, charged once after recovery, nothing dead-lettered",
    async () => {
      const result = await run("payment-outage", CHARGED_ONCE_PER_ORDER);
      expect(failedExpectations(result)).toEqual([]);
      const payments = of(result, "sqs:payments");
      expect(payments).toHaveLength(10);
      for (const event of payments) {
        expect(event.disposition).toBe("processed");
        const results = event.attempts.map((attempt) => attempt.result);
        // Failed while the provider was down (150 s), then one successful delivery; maxReceiveCount is 5.
        expect(results.length).toBeGreaterThan(1);
        expect(results.length).toBeLessThanOrEqual(5);
        expect(results.at(-1)).toBe("success");
        expect(results.slice(0, -1).every((attempt) => attempt === "function-error")).toBe(true);
        // SQS redelivers only after the visibility timeout: 61 s between receives at least.
        for (let index = 1; index < event.attempts.length; index += 1) {
          expect(event.attempts[index]!.atMs - event.attempts[index - 1]!.atMs).toBeGreaterThanOrEqual(
            61_000,
          );
        }
        // The first success comes after the outage window ends.
        expect(event.attempts.at(-1)!.atMs - result.virtualStartMs).toBeGreaterThanOrEqual(150_000);
      }
      expect(expectation(result, "test - no orderId charged twice").detail).toBe(
        "10 successful charge(s) for 10 orderId(s)",
      );
      expect(result.events.filter((event) => event.disposition === "dead-lettered")).toEqual([]);
      expect(fulfilledOrderIds(result).sort()).toEqual(createdOrderIds(result).sort());
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "poison messages: both are parked in payments-dlq after one attempt and named in Slack; the good orders are charged once",
    async () => {
      const result = await run("poison-messages", CHARGED_ONCE_PER_ORDER + ALERTED);
      expect(failedExpectations(result)).toEqual([]);
      for (const id of ["poison-not-json", "poison-negative-amount"]) {
        const event = result.events.find((candidate) => candidate.id === id);
        expect(event, id).toMatchObject({
          source: "sqs:payments",
          disposition: "parked",
          where: "payments-dlq",
        });
        expect(event!.attempts).toHaveLength(1);
      }
      expect(of(result, "sqs:payments").filter((event) => event.disposition === "processed")).toHaveLength(3);
      expect(expectation(result, "test - every set-aside event named in Slack").detail).toBe(
        "2 failed event(s), all named in 2 slack message(s)",
      );
      expect(expectation(result, "test - no orderId charged twice").detail).toBe(
        "3 successful charge(s) for 3 orderId(s)",
      );
      expect(result.events.filter((event) => event.disposition === "dead-lettered")).toEqual([]);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "poison stream record: bisect isolates it, it goes to order-events-failures, and the records after it are processed",
    async () => {
      const result = await run("poison-stream-record", ALERTED);
      expect(failedExpectations(result)).toEqual([]);
      const stream = of(result, "dynamodb-stream:orders");
      expect(stream.map((event) => event.id)).toEqual([
        ...[1, 2, 3, 4].map((n) => `before#${n}`),
        "poison",
        ...[1, 2, 3, 4, 5].map((n) => `after#${n}`),
      ]);
      const poison = stream.find((event) => event.id === "poison")!;
      expect(poison).toMatchObject({ disposition: "sent-to-destination", where: "order-events-failures" });
      // Bisected down to a batch of one before the retries that count run out.
      expect(poison.attempts.at(-1)!.batchSize).toBe(1);
      expect(poison.attempts.every((attempt) => attempt.result === "function-error")).toBe(true);
      const after = stream.filter((event) => event.id.startsWith("after#"));
      for (const event of after) {
        expect(event.disposition).toBe("processed");
        expect(event.settledAtMs!).toBeGreaterThanOrEqual(poison.attempts[0]!.atMs);
      }
      expect(
        stream.filter((event) => event.id.startsWith("before#")).every((e) => e.disposition === "processed"),
      ).toBe(true);
      expect(expectation(result, "test - every set-aside event named in Slack").detail).toBe(
        "1 failed event(s), all named in 1 slack message(s)",
      );
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "mail outage: each receipt is tried three times, then sent to receipts-failures within the maximum event age and alerted",
    async () => {
      const result = await run("mail-outage", ALERTED);
      expect(failedExpectations(result)).toEqual([]);
      const receipts = of(result, "lambda:receipts");
      expect(receipts).toHaveLength(3);
      for (const event of receipts) {
        expect(event).toMatchObject({ disposition: "sent-to-destination", where: "receipts-failures" });
        expect(event.attempts.map((attempt) => attempt.result)).toEqual(Array(3).fill("function-error"));
        // Async retries: about 1 min, then about 2 min after the previous attempt.
        const gaps = event.attempts
          .slice(1)
          .map((attempt, index) => attempt.atMs - event.attempts[index]!.atMs);
        expect(gaps[0]).toBeGreaterThanOrEqual(60_000);
        expect(gaps[1]).toBeGreaterThanOrEqual(120_000);
        expect(event.settledAtMs! - event.injectedAtMs).toBeLessThanOrEqual(3_600_000);
      }
      expect(expectation(result, "test - every set-aside event named in Slack").detail).toBe(
        "3 failed event(s), all named in 3 slack message(s)",
      );
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "flaky workflow task: the first execution retries, is caught and fails; the second is processed; no Slack",
    async () => {
      const result = await run("flaky-workflow-task", SLACK_SILENT);
      expect(failedExpectations(result)).toEqual([]);
      const flaky = result.events.find((event) => event.id === "flaky" && event.source === "sfn:fulfillment");
      expect(flaky).toMatchObject({ disposition: "failed", reason: "OutOfStock" });
      expect(flaky!.attempts.map((attempt) => attempt.errorType)).toEqual([
        "StockServiceUnavailable",
        "StockServiceUnavailable",
        "OutOfStock",
      ]);
      const steady = result.events.find(
        (event) => event.id === "steady" && event.source === "sfn:fulfillment",
      );
      expect(steady?.disposition).toBe("processed");
      expect(steady!.attempts.map((attempt) => attempt.functionName)).toEqual([
        "reserve-stock",
        "ship-order",
      ]);
      expect(of(result, "sqs:fulfillment").map((event) => event.disposition)).toEqual([
        "processed",
        "processed",
      ]);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "the same seed gives the same events and expectations; another seed gives other ids",
    async () => {
      const comparable = (result: RunResult) =>
        JSON.stringify({
          events: result.events,
          expectations: result.expectations,
          attemptSeries: result.attemptSeries,
          queueDepthSeries: result.queueDepthSeries,
          virtualEndMs: result.virtualEndMs,
        });
      const first = await run("payment-outage");
      const second = await run("payment-outage");
      expect(comparable(second)).toBe(comparable(first));
      const other = await run("payment-outage", "", first.seed + 1);
      expect(other.seed).toBe(first.seed + 1);
      expect(comparable(other)).not.toBe(comparable(first));
    },
    3 * RUN_TIMEOUT_MS,
  );
});
