import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashPayload } from "../src/index.js";

describe("hashPayload", () => {
  it("hashes objects with the same entries in any key order alike", () => {
    expect(hashPayload({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(hashPayload({ b: [1, { d: 3, c: 2 }], a: 1 }));
  });

  it("returns sha256 as 64 hex characters", () => {
    expect(hashPayload({ amount: 10 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    { a: { amount: 10 }, b: { amount: 11 } },
    { a: { at: new Date(0) }, b: { at: new Date(1) } },
    { a: [1, 2], b: [2, 1] },
    { a: "1", b: 1 },
    { a: null, b: undefined },
    { a: { x: [undefined] }, b: { x: [] } },
  ])("tells $a and $b apart", ({ a, b }) => {
    expect(hashPayload(a)).not.toBe(hashPayload(b));
  });

  it.each([
    { a: { x: 1, skipped: undefined, fn: () => 1 }, b: { x: 1 } },
    { a: { at: new Date(0) }, b: { at: "1970-01-01T00:00:00.000Z" } },
    { a: [undefined], b: [null] },
  ])("follows JSON semantics: $a hashes like $b", ({ a, b }) => {
    expect(hashPayload(a)).toBe(hashPayload(b));
  });

  it("throws on a cycle and on a BigInt rather than hashing them as something else", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => hashPayload(cyclic)).toThrow(/circular/);
    expect(() => hashPayload({ n: 1n })).toThrow(TypeError);
  });

  it("hashes a payload seen before (answered from its memo of recent texts) as it did the first time", () => {
    const order = (items: number) => ({
      orderId: "o-memo",
      items: Array.from({ length: items }, (_, i) => i),
    });
    // Small and large (beyond the 16 K characters the memo keeps), each first in one key order, then again in both.
    for (const payload of [order(3), order(5_000)]) {
      const first = hashPayload(payload);
      const { items, orderId } = payload;
      expect(hashPayload(structuredClone(payload))).toBe(first);
      expect(hashPayload({ items, orderId })).toBe(first);
      expect(hashPayload({ ...payload, items: [...items, 0] })).not.toBe(first);
    }
  });

  it("hashes alike after its memo filled up and was emptied", () => {
    const order = (i: number) => ({ orderId: `o-${i}`, note: "x".repeat(200) });
    const first = hashPayload(order(0));
    // ~2,000 distinct texts of ~230 characters: past the memo's 256 K characters at least once.
    for (let i = 1; i <= 2_000; i++) hashPayload(order(i));
    expect(hashPayload(order(0))).toBe(first);
    expect(hashPayload({ note: "x".repeat(200), orderId: "o-0" })).toBe(first);
  });

  it("gives two payloads the same hash exactly when their sorted-key JSON is the same, memo or not", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const hashA = hashPayload(a);
        expect(hashPayload(a)).toBe(hashA); // the second time from the memo
        expect(hashPayload(b) === hashA).toBe(canonical(a) === canonical(b));
      }),
    );
  });

  it("keeps a __proto__ key from JSON input in the hash", () => {
    expect(hashPayload(JSON.parse('{"__proto__":{"x":1},"a":1}'))).not.toBe(hashPayload({ a: 1 }));
  });

  it("accepts the same object twice when it is not a cycle", () => {
    const shared = { x: 1 };
    expect(() => hashPayload({ a: shared, b: shared })).not.toThrow();
  });
});

// The reference the hash must agree with, made another way: JSON with keys sorted by a replacer.
function canonical(value: unknown): string | undefined {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)))
      : v,
  );
}
