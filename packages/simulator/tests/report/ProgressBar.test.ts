import { describe, expect, it } from "vitest";
import { ProgressBar, type ProgressStream } from "../../src/report/ProgressBar.js";

function fakeStream(isTTY: boolean): ProgressStream & { writes: string[] } {
  const writes: string[] = [];
  return { isTTY, columns: 100, writes, write: (text: string) => writes.push(text) };
}

const STATE = { virtualMs: 1_800_000, capMs: 3_600_000, eventsProcessed: 1234 };

describe("ProgressBar", () => {
  it("draws virtual time covered out of the cap and events processed on a TTY", () => {
    const stream = fakeStream(true);
    const bar = new ProgressBar({ stream, clock: () => 0, label: "payment-outage" });
    bar.update(STATE);
    expect(stream.writes).toHaveLength(1);
    expect(stream.writes[0]?.startsWith("\r\x1b[2K")).toBe(true);
    const line = stream.writes[0]!.slice("\r\x1b[2K".length);
    expect(line).toContain("payment-outage ▕");
    expect(line).toContain(" 50% virtual 30m 00s / 1h 00m · 1,234 events");
    expect(line.length).toBeLessThan(100);
    const filled = (line.match(/█/g) ?? []).length;
    const empty = (line.match(/░/g) ?? []).length;
    expect(Math.abs(filled - empty)).toBeLessThanOrEqual(1);
  });

  it.each([
    ["stdout is not a TTY and the run is short", fakeStream(false), true],
    ["--json turned it off", fakeStream(true), false],
    ["--json turned it off on a pipe", fakeStream(false), false],
  ])("draws nothing when %s", (_, stream, enabled) => {
    const bar = new ProgressBar({ stream, enabled, clock: () => 0 });
    bar.update(STATE);
    bar.finish();
    expect(bar.active).toBe(false);
    expect(stream.writes).toEqual([]);
  });

  it("writes a plain line every 5 s of wall time when stdout is not a terminal, with attempts per second", () => {
    const stream = fakeStream(false);
    let now = 0;
    const bar = new ProgressBar({ stream, clock: () => now, label: "scale" });
    const state = { virtualMs: 60_000, capMs: 120_000, eventsProcessed: 1234, attempts: 5000 };
    bar.update(state);
    now = 4_999;
    bar.update(state);
    expect(stream.writes).toEqual([]);
    now = 5_000;
    bar.update(state);
    now = 9_000;
    bar.update(state);
    now = 10_000;
    bar.update({ ...state, attempts: 10_000 });
    bar.finish();
    expect(stream.writes).toEqual([
      "scale 50% virtual 1m 00s / 2m 00s · 1,234 events · 1,000 attempts/s\n",
      "scale 50% virtual 1m 00s / 2m 00s · 1,234 events · 1,000 attempts/s\n",
    ]);
  });

  it("redraws at most once per 100 ms of wall time, however often it is updated", () => {
    const stream = fakeStream(true);
    let now = 0;
    const bar = new ProgressBar({ stream, clock: () => now });
    for (let step = 0; step < 1000; step += 1) {
      now = step; // 1,000 updates over 1 s of wall time
      bar.update({ ...STATE, eventsProcessed: step });
    }
    expect(stream.writes).toHaveLength(10);
    expect(bar.last?.eventsProcessed).toBe(999);
  });

  it("erases its line when finished, and only if it drew", () => {
    const stream = fakeStream(true);
    const bar = new ProgressBar({ stream, clock: () => 0 });
    bar.finish();
    expect(stream.writes).toEqual([]);
    bar.update(STATE);
    bar.finish();
    expect(stream.writes.at(-1)).toBe("\r\x1b[2K");
  });

  it("clamps past the cap to 100%", () => {
    const bar = new ProgressBar({ stream: fakeStream(true), clock: () => 0 });
    expect(bar.render({ virtualMs: 5000, capMs: 1000, eventsProcessed: 0 })).toContain(
      "100% virtual 5s / 1s",
    );
  });

  it.each([
    [{ colour: true }, 'unknown ProgressBar option "colour"'],
    [{ minIntervalMs: -1 }, "minIntervalMs must be a finite number ≥ 0"],
  ])("rejects bad options %j", (options, message) => {
    expect(() => new ProgressBar(options as never)).toThrow(message);
  });
});
