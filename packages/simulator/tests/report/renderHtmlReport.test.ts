import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../src/report/escapeHtml.js";
import { renderHtmlReport } from "../../src/report/renderHtmlReport.js";
import { runEvent, runResult } from "./runResultFactory.js";

const HOSTILE = `<script>alert("x")</script><img src=x onerror='alert(1)'>&`;

describe("renderHtmlReport", () => {
  it("is one self-contained page: no external URL, a CSP forbidding network access", () => {
    const html = renderHtmlReport(runResult());
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`,
    );
    // The only URL is the SVG namespace, which is an identifier, never fetched.
    const urls = [...html.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/gi)].map((match) => match[0]);
    expect(new Set(urls)).toEqual(new Set(["http://www.w3.org"]));
    expect(html).not.toMatch(/<(link|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\ssrc=/i);
  });

  it("shows the seed, the command that reproduces the run, the expectations and the unmodelled resources", () => {
    const html = renderHtmlReport(runResult());
    expect(html).toContain('<code id="seed">2</code>');
    expect(html).toContain(
      '<code id="reproduce">pnpm rebound simulate scenarios/payment-outage.yaml --seed 2</code>',
    );
    expect(html).toContain("1/2 hold");
    expect(html).toContain(
      '<li class="fail"><span class="mark-symbol">✘</span> <strong>payments-dlq depth = 0 at the end</strong>',
    );
    expect(html).toContain("aws_cloudwatch_metric_alarm.payments-dlq-depth");
  });

  it("draws one lane per source and one depth line per failure queue", () => {
    const html = renderHtmlReport(runResult());
    expect(html.match(/<g class="lane"/g)).toHaveLength(2);
    expect(html).toContain('data-source="sqs:payments"');
    expect(html.match(/class="mark mark-fail"/g)?.length).toBeGreaterThan(0);
    expect(html.match(/<path class="depth-line"/g)).toHaveLength(2);
    expect(html).toContain("payments-dlq (dlq), depth at end 0, peak 1");
  });

  it("writes one outcome row per event with its attempts and disposition", () => {
    const html = renderHtmlReport(runResult());
    expect(html.match(/<tr class="outcome"/g)).toHaveLength(11);
    expect(html).toContain(
      '<tr class="outcome" data-disposition="dead-lettered"><td><code>stuck</code></td>',
    );
    expect(html).toContain('data-disposition="unfinished"');
    expect(html).toContain("maxReceiveCount 5 reached");
  });

  it("gives parked and resting events their own colour and legend entry", () => {
    const html = renderHtmlReport(
      runResult({
        events: [
          runEvent({ id: "bad-amount", disposition: "parked" }),
          runEvent({ id: "in-dlq", disposition: "resting" }),
        ],
      }),
    );
    expect(html).toContain('<span class="disposition d-parked">parked</span>');
    expect(html).toContain('<span class="disposition d-resting">resting</span>');
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
    const colour = (name: string) => new RegExp(`--${name}:(#[0-9a-f]{6})`).exec(css)?.[1];
    expect(css).toContain(".d-parked{color:var(--parked)}");
    expect(css).toContain(".d-resting{color:var(--resting)}");
    expect(
      new Set([colour("ok"), colour("fail"), colour("throttle"), colour("parked"), colour("resting")]).size,
    ).toBe(5);
    const legend = /<p class="legend" id="disposition-legend">(.*?)<\/p>/.exec(html)?.[1] ?? "";
    expect(legend).toMatch(/<span class="swatch parked"><\/span>parked/);
    expect(legend).toMatch(/<span class="swatch resting"><\/span>resting/);
  });

  it("escapes everything that comes from events", () => {
    const html = renderHtmlReport(
      runResult({
        scenario: { name: HOSTILE, description: HOSTILE, file: HOSTILE },
        events: [
          runEvent({
            id: HOSTILE,
            source: HOSTILE,
            where: HOSTILE,
            reason: HOSTILE,
            record: { body: HOSTILE, "</script>": HOSTILE },
            attempts: [
              {
                atMs: Date.UTC(2026, 0, 1),
                result: "function-error",
                batchSize: 1,
                requestId: HOSTILE,
                errorType: HOSTILE,
              },
            ],
          }),
        ],
        queueDepthSeries: [
          { queue: HOSTILE, role: "dlq", points: [{ atMs: Date.UTC(2026, 0, 1) + 1, depth: 1 }] },
        ],
        expectations: [{ name: HOSTILE, ok: false, detail: HOSTILE }],
        unmodelled: [{ type: HOSTILE, name: HOSTILE, note: HOSTILE }],
        reproduce: HOSTILE,
      }),
    );
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("onerror='");
    // Exactly one script element: the report's own filter script.
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html).toContain(escapeHtml(HOSTILE));
  });

  it("caps the outcome table and says how many rows were left out", () => {
    const events = Array.from({ length: 30 }, (_, index) => runEvent({ id: `e${index}` }));
    const html = renderHtmlReport(runResult({ events }), { maxRows: 10 });
    expect(html.match(/<tr class="outcome"/g)).toHaveLength(10);
    expect(html).toContain("Showing 10 of 30 events");
  });

  it("shows events that were not processed before processed ones when it must leave rows out", () => {
    const events = Array.from({ length: 30 }, (_, index) =>
      runEvent(
        index % 10 === 9
          ? { id: `e${index}`, disposition: "dead-lettered", where: "payments-dlq" }
          : { id: `e${index}` },
      ),
    );
    const html = renderHtmlReport(runResult({ events }), { maxRows: 5 });
    const ids = [...html.matchAll(/<tr class="outcome"[^>]*><td><code>([^<]*)</g)].map((match) => match[1]);
    // The three dead-lettered events, then the first processed ones, in the run's order.
    expect(ids).toEqual(["e0", "e1", "e9", "e19", "e29"]);
  });

  it("stops writing rows at maxTableChars and says so", () => {
    const events = Array.from({ length: 50 }, (_, index) =>
      runEvent({ id: `e${index}`, record: { body: "x".repeat(900) } }),
    );
    const html = renderHtmlReport(runResult({ events }), { maxTableChars: 10_000 });
    const rows = html.match(/<tr class="outcome"/g)?.length ?? 0;
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(50);
    expect(html).toContain(`Showing ${rows} of 50 events`);
  });

  it("cuts long records", () => {
    const html = renderHtmlReport(
      runResult({ events: [runEvent({ id: "big", record: "x".repeat(5000) })] }),
      { maxRecordChars: 100 },
    );
    expect(html).toContain(`${"x".repeat(100)}\n… (4900 more characters)`);
  });

  it("says when a run kept no per-event outcomes and drew no attempts", () => {
    const html = renderHtmlReport(runResult({ events: [], queueDepthSeries: [] }));
    expect(html).toContain("No per-event outcomes were kept for this run (counts only).");
    expect(html).toContain("No attempts in this run.");
    expect(html).toContain("The stack has no dead-letter, destination or parking queue.");
  });

  it.each([
    [{ rows: 5 }, 'unknown renderHtmlReport option "rows"'],
    [{ maxRows: -1 }, "maxRows must be a whole number ≥ 0"],
    [{ maxRecordChars: 1.5 }, "maxRecordChars must be a whole number ≥ 0"],
  ])("rejects bad options %j", (options, message) => {
    expect(() => renderHtmlReport(runResult(), options as never)).toThrow(message);
  });
});

describe("queue depth chart of a long run", () => {
  it("draws at most two points per column yet keeps the peak", () => {
    const start = Date.UTC(2026, 0, 1);
    const points = Array.from({ length: 100_000 }, (_, index) => ({
      atMs: start + index * 10,
      depth: index === 54_321 ? 999 : index % 7,
    }));
    const html = renderHtmlReport(
      runResult({
        virtualEndMs: start + 1_000_000,
        queueDepthSeries: [{ queue: "big-dlq", role: "dlq", points }],
      }),
    );
    const path = /<path class="depth-line" d="([^"]*)"/.exec(html)?.[1] ?? "";
    expect(path.split(" H").length).toBeLessThan(2 * 960);
    expect(html).toContain("big-dlq (dlq), depth at end 4, peak 999");
    expect(html.length).toBeLessThan(500_000);
  });
});

describe("a report of 100,000 events from 40 sources", () => {
  const start = Date.UTC(2026, 0, 1);
  const events = Array.from({ length: 100_000 }, (_, index) =>
    runEvent({
      id: `event-${index}`,
      source: `sqs:queue-${index % 40}`,
      injectedAtMs: start + index * 100,
      attempts: [
        {
          atMs: start + index * 100 + 10,
          result: "function-error",
          errorType: "RetryableError",
          batchSize: 10,
          requestId: `req-${index}-1`,
        },
        { atMs: start + index * 100 + 30_000, result: "success", batchSize: 10, requestId: `req-${index}-2` },
      ],
      disposition: index % 50 === 0 ? "dead-lettered" : "processed",
      settledAtMs: start + index * 100 + 30_000,
      record: { body: JSON.stringify({ orderId: `ord_${index}`, amount: 42 }), messageId: `m-${index}` },
    }),
  );
  const html = renderHtmlReport(
    runResult({ events, virtualStartMs: start, virtualEndMs: start + 10_100_000 }),
    { businessKey: "orderId" },
  );

  it("stays under 5 MB", () => {
    expect(Buffer.byteLength(html)).toBeLessThan(5_000_000);
  });

  it("draws at most 12 lanes, the least busy sources summed in the last", () => {
    expect(html.match(/<g class="lane"/g)).toHaveLength(12);
    expect(html).toContain('data-source="other (29 sources)"');
  });

  it("keeps every dead-lettered event in the table and says how many rows are left out", () => {
    expect(html.match(/data-disposition="dead-lettered"/g)).toHaveLength(2_000);
    expect(html).toMatch(
      /Showing \d+ of 100000 events \(every event that was not processed comes before processed ones\)/,
    );
    expect(html).toContain('<td class="key">ord_50</td>');
  });
});

describe("time axis", () => {
  it("ends shortly after the last activity, not at a far-off cap", async () => {
    const { chartEndMs } = await import("../../src/report/chartEndMs.js");
    const start = Date.UTC(2026, 0, 1);
    const event = {
      id: "e1",
      source: "sqs:payments",
      injectedAtMs: start,
      attempts: [{ atMs: start + 300_000, result: "success" as const, batchSize: 1, requestId: "r" }],
      disposition: "processed" as const,
      settledAtMs: start + 300_000,
    };
    // 5 minutes of activity in a 2-hour run: the axis ends after a one-minute margin.
    expect(chartEndMs({ events: [event] }, start, start + 7_200_000)).toBe(start + 360_000);
    // A run shorter than the margin keeps its own end.
    expect(chartEndMs({ events: [event] }, start, start + 320_000)).toBe(start + 320_000);
  });
});
