import { describe, expect, it } from "vitest";
import { RecentIds } from "../src/index.js";

describe("RecentIds", () => {
  it("counts sightings per id", () => {
    const ids = new RecentIds(10);
    expect([ids.add("a"), ids.add("b"), ids.add("a"), ids.add("a")]).toEqual([1, 1, 2, 3]);
    expect(ids.count("a")).toBe(3);
    expect(ids.count("z")).toBe(0);
  });

  it("forgets the least recently seen id beyond its limit", () => {
    const ids = new RecentIds(2);
    ids.add("a");
    ids.add("b");
    ids.add("a");
    ids.add("c");
    expect(ids.size).toBe(2);
    expect(ids.count("b")).toBe(0);
    expect(ids.count("a")).toBe(2);
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects a limit of %s", (limit) => {
    expect(() => new RecentIds(limit)).toThrow(/limit must be a positive integer/);
  });
});
