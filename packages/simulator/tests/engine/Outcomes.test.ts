import { describe, expect, it } from "vitest";
import { Disposition, Outcomes, Trace } from "../../src/index.js";

describe("Outcomes", () => {
  it.each([true, false])("counts dispositions and pending events (detailed: %s)", (detailed) => {
    const outcomes = new Outcomes(() => 0, { detailed });
    const ids = Array.from({ length: 3000 }, (_, i) => outcomes.inject("sqs:q", `m${i}`));
    for (const id of ids.slice(0, 1000)) outcomes.settle(id, Disposition.Processed);
    for (const id of ids.slice(1000, 1500)) outcomes.settle(id, Disposition.DeadLettered);
    outcomes.countAttempts(7);
    const counts = outcomes.counts();
    expect(counts.injected).toBe(3000);
    expect(counts.pending).toBe(1500);
    expect(counts.attempts).toBe(7);
    expect(counts.byDisposition.processed).toBe(1000);
    expect(counts.byDisposition["dead-lettered"]).toBe(500);
    expect(outcomes.dispositionOf(ids[1200]!)).toBe("dead-lettered");
    expect(outcomes.dispositionOf(ids[2000]!)).toBeUndefined();
    expect(outcomes.pendingIds()).toHaveLength(1500);
  });

  it("counts a second settlement instead of overwriting the first", () => {
    const outcomes = new Outcomes(() => 0);
    const id = outcomes.inject("lambda:f", "r-1");
    outcomes.settle(id, Disposition.Processed);
    outcomes.settle(id, Disposition.Dropped);
    expect(outcomes.dispositionOf(id)).toBe("processed");
    expect(outcomes.counts().settledTwice).toBe(1);
  });

  it("keeps attempts, the record sent and the parent in detailed mode", () => {
    let now = Date.UTC(2026, 0, 1);
    const outcomes = new Outcomes(() => now);
    const id = outcomes.inject("lambda:f", "r-1");
    const batch = ["r-1"];
    outcomes.attempt(id, {
      startMs: now,
      endMs: now + 5,
      functionName: "f",
      requestId: "r-1",
      result: "function-error",
      errorType: "Error",
      batch,
    });
    now += 60_000;
    outcomes.settle(id, Disposition.SentToDestination, {
      target: "arn:q",
      reason: "RetriesExhausted",
      record: { a: 1 },
    });
    const child = outcomes.inject("sqs:q", "m-1", id);
    expect(outcomes.get(id)).toMatchObject({
      key: "r-1",
      source: "lambda:f",
      injectedAtMs: Date.parse("2026-01-01T00:00:00.000Z"),
      disposition: "sent-to-destination",
      settledAtMs: Date.parse("2026-01-01T00:01:00.000Z"),
      target: "arn:q",
      reason: "RetriesExhausted",
      record: { a: 1 },
    });
    expect(outcomes.get(id)?.attempts).toHaveLength(1);
    expect(outcomes.get(child)?.parent).toBe(id);
    expect(JSON.parse(JSON.stringify(outcomes)).events).toHaveLength(2);
  });

  it("emits inject and settle trace events", () => {
    const trace = new Trace(() => 0, { collect: true });
    const outcomes = new Outcomes(() => 0, { trace, detailed: false });
    outcomes.settle(outcomes.inject("sqs:q", "m-1"), Disposition.Expired, { reason: "retention" });
    expect(trace.lines()).toEqual([
      "1970-01-01T00:00:00.000Z outcome inject event=0 source=sqs:q key=m-1",
      "1970-01-01T00:00:00.000Z outcome settle event=0 disposition=expired reason=retention",
    ]);
  });
});
