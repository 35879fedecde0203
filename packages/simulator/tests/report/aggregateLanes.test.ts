import { describe, expect, it } from "vitest";
import { aggregateLanes } from "../../src/report/aggregateLanes.js";
import type { AttemptSeries } from "../../src/report/RunResult.js";

const lane = (source: string, counts: readonly number[]): AttemptSeries => ({
  source,
  bucketMs: 1000,
  points: counts.map((ok, index) => ({ atMs: index * 1000, ok, failed: 1, throttled: 0 })),
});
const attempts = (series: readonly AttemptSeries[]): number =>
  series.reduce(
    (sum, one) =>
      sum + one.points.reduce((inner, point) => inner + point.ok + point.failed + point.throttled, 0),
    0,
  );

describe("aggregateLanes", () => {
  it("keeps every lane when there are few", () => {
    const series = [lane("a", [1]), lane("b", [2])];
    expect(aggregateLanes(series, 12)).toEqual(series);
  });

  it("keeps the busiest lanes in their order and sums the rest bucket by bucket", () => {
    const series = [lane("a", [1, 1]), lane("b", [9]), lane("c", [5, 5]), lane("d", [0, 3])];
    const lanes = aggregateLanes(series, 3);
    expect(lanes.map((one) => one.source)).toEqual(["b", "c", "other (2 sources)"]);
    expect(lanes[2]?.points).toEqual([
      { atMs: 0, ok: 1, failed: 2, throttled: 0 },
      { atMs: 1000, ok: 4, failed: 2, throttled: 0 },
    ]);
    expect(attempts(lanes)).toBe(attempts(series));
  });

  it("refuses fewer than two lanes", () => {
    expect(() => aggregateLanes([], 1)).toThrow("maxLanes must be a whole number ≥ 2, got 1");
  });
});
