import { describe, expect, it } from "vitest";
import { formatSummary } from "../../src/report/formatSummary.js";
import { attemptSeriesFromEvents, sourceTotals } from "../../src/report/sourceTotals.js";
import { attempt, runEvent, runResult, START_MS } from "./runResultFactory.js";

describe("sourceTotals", () => {
  it("counts events, attempts, dispositions and unfinished events per source, sorted by source", () => {
    const rows = sourceTotals(runResult());
    expect(rows.map((row) => row.source)).toEqual(["lambda:receipts", "sqs:payments"]);
    expect(rows[1]).toMatchObject({ events: 9, attempts: 29, unfinished: 0 });
    expect(rows[1]?.dispositions).toMatchObject({ processed: 8, "dead-lettered": 1, parked: 0 });
    expect(rows[0]).toMatchObject({ events: 2, attempts: 2, unfinished: 1 });
  });

  it("uses the run's own totals when it kept counts only", () => {
    const sources = [
      {
        source: "sqs:big",
        events: 1_000_000,
        attempts: 1_100_000,
        unfinished: 0,
        dispositions: {
          processed: 999_000,
          "dead-lettered": 1000,
          "sent-to-destination": 0,
          parked: 0,
          resting: 0,
          expired: 0,
          dropped: 0,
          failed: 0,
        },
      },
    ];
    expect(sourceTotals(runResult({ events: [], sources }))).toEqual(sources);
  });
});

describe("attemptSeriesFromEvents", () => {
  it("buckets attempts per source into ok, failed and throttled", () => {
    const events = [
      runEvent({
        id: "a",
        attempts: [attempt(0, "success"), attempt(5, "function-error"), attempt(12, "item-failure")],
      }),
      runEvent({ id: "b", source: "lambda:x", attempts: [attempt(3, "throttled"), attempt(4, "success")] }),
    ];
    expect(attemptSeriesFromEvents(events, START_MS, START_MS + 20_000, 10_000)).toEqual([
      { source: "lambda:x", bucketMs: 10_000, points: [{ atMs: START_MS, ok: 1, failed: 0, throttled: 1 }] },
      {
        source: "sqs:payments",
        bucketMs: 10_000,
        points: [
          { atMs: START_MS, ok: 1, failed: 1, throttled: 0 },
          { atMs: START_MS + 10_000, ok: 0, failed: 1, throttled: 0 },
        ],
      },
    ]);
  });

  it("defaults to at most ~120 buckets of at least one second", () => {
    const [series] = attemptSeriesFromEvents([runEvent({ id: "a" })], START_MS, START_MS + 3_600_000);
    expect(series?.bucketMs).toBe(30_000);
  });

  it("rejects a bucket that is not a positive number", () => {
    expect(() => attemptSeriesFromEvents([], 0, 1, 0)).toThrow(/bucketMs must be a positive number/);
  });
});

describe("formatSummary", () => {
  it("keeps every line within 100 columns", () => {
    const summary = formatSummary(
      runResult({
        scenario: { name: "n".repeat(150), description: "word ".repeat(80), file: "scenarios/x.yaml" },
        reportPath: `/very/long/${"path/".repeat(10)}report.html`,
      }),
    );
    for (const line of summary.split("\n")) {
      if (line.startsWith("Report:")) continue; // a path is never broken; it gets its own line
      expect(line.length, line).toBeLessThanOrEqual(100);
    }
  });

  it("shows the table per source with a total, the expectations with ✔ and ✘, and where the report is", () => {
    const summary = formatSummary(runResult());
    const lines = summary.split("\n");
    expect(lines[0]).toBe("✘ payment-outage (scenarios/payment-outage.yaml)");
    expect(summary).toContain("seed 2 · 10m 00s of virtual time (ran until idle) in 1.8 s wall");
    const header = lines.find((line) => line.startsWith("source"));
    expect(header?.split(/\s+/)).toEqual([
      "source",
      "events",
      "attempts",
      "processed",
      "dead-letter",
      "destination",
      "parked",
      "resting",
      "expired",
      "other",
    ]);
    const payments = lines.find((line) => line.startsWith("sqs:payments"));
    expect(payments?.split(/\s+/)).toEqual(["sqs:payments", "9", "29", "8", "1", "0", "0", "0", "0", "0"]);
    const receipts = lines.find((line) => line.startsWith("lambda:receipts"));
    expect(receipts?.split(/\s+/)).toEqual(["lambda:receipts", "2", "2", "1", "0", "0", "0", "0", "0", "1"]);
    expect(lines.find((line) => line.startsWith("total"))?.split(/\s+/)).toEqual([
      "total",
      "11",
      "31",
      "9",
      "1",
      "0",
      "0",
      "0",
      "0",
      "1",
    ]);
    expect(summary).toContain("⚠ 1 event(s) had no final disposition when the run stopped (ran until idle)");
    expect(summary).toContain(
      "Not modelled (1 Terraform resources, read but not run):\n  1 aws_cloudwatch_metric_alarm",
    );
    expect(summary).toContain(
      "Expectations: 1/2 hold\n  ✔ no orderId charged twice (payment POST /charges)\n      8 orders, 8 charges\n  ✘ payments-dlq depth = 0 at the end\n      payments-dlq held 1 message: ord_stuck",
    );
    expect(summary).toContain("Report: rebound-report/payment-outage.html");
    expect(summary).toContain("Reproduce: pnpm rebound simulate scenarios/payment-outage.yaml --seed 2");
    expect(summary).not.toContain("Trace:");
  });

  it("marks a run whose expectations all hold with ✔ and says why it stopped", () => {
    const summary = formatSummary(
      runResult({
        expectations: [{ name: "fine", ok: true, detail: "" }],
        stoppedBecause: "cap",
        tracePath: "trace.txt",
      }),
    );
    expect(summary.startsWith("✔ payment-outage")).toBe(true);
    expect(summary).toContain("virtual-time cap of 2h 00m reached");
    expect(summary).toContain("Trace: trace.txt");
  });

  it("says when there are no events and no expectations", () => {
    const summary = formatSummary(runResult({ events: [], expectations: [], unmodelled: [] }));
    expect(summary).toContain("  (no events)");
    expect(summary).toContain("Expectations: none stated");
    expect(summary).not.toContain("total");
  });

  it("truncates a source label wider than its column instead of shifting the numbers", () => {
    const summary = formatSummary(
      runResult({ events: [runEvent({ id: "a", source: `sqs:${"q".repeat(60)}` })] }),
    );
    const row = summary.split("\n").find((line) => line.startsWith("sqs:q"));
    expect(row).toHaveLength(100);
    expect(row?.slice(0, 21).trimEnd().endsWith("…")).toBe(true);
  });

  it("keeps a space between counts too wide for their column, written as 1.0M or 340k", () => {
    const dispositions = {
      processed: 999_991,
      "dead-lettered": 18,
      "sent-to-destination": 0,
      parked: 0,
      resting: 9,
      expired: 0,
      dropped: 0,
      failed: 0,
    };
    const sources = [
      { source: "sqs:payments", events: 1_000_018, attempts: 1_112_126, unfinished: 0, dispositions },
      { source: "sqs:payments-dlq", events: 340_000, attempts: 0, unfinished: 0, dispositions },
    ];
    const summary = formatSummary(runResult({ events: [], sources }));
    const row = summary.split("\n").find((line) => line.startsWith("sqs:payments "))!;
    expect(row.split(/\s+/).slice(1, 4)).toEqual(["1.0M", "1.1M", "999,991"]);
    expect(summary.split("\n").find((line) => line.startsWith("sqs:payments-dlq"))).toMatch(
      /^sqs:payments-dlq\s+340k\s+0\s/,
    );
  });
});
