import { describe, expect, it } from "vitest";
import { hashPayload } from "../src/index.js";

describe("hashPayload", () => {
  it("hashes objects with the same entries in any key order alike", () => {
    expect(hashPayload({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(hashPayload({ b: [1, { d: 3, c: 2 }], a: 1 }));
  });

  it("tells different payloads apart", () => {
    expect(hashPayload({ amount: 10 })).not.toBe(hashPayload({ amount: 11 }));
  });
});
