import { describe, expect, it } from "vitest";
import { fifoSequenceNumber } from "../../src/engine/fifoSequenceNumber.js";

describe("fifoSequenceNumber", () => {
  it("gives every send its own 20-digit number, increasing as strings and as numbers", () => {
    const numbers = Array.from({ length: 5_000 }, (_, index) => fifoSequenceNumber(index + 1));
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const number of numbers) expect(number).toMatch(/^\d{20}$/);
    for (let index = 1; index < numbers.length; index++) {
      const [before, after] = [numbers[index - 1] as string, numbers[index] as string];
      expect(after > before).toBe(true);
      expect(BigInt(after) - BigInt(before)).toBe(1n);
    }
  });

  it("does not repeat where padding with a digit would (1 and 11 once gave the same number)", () => {
    expect(fifoSequenceNumber(1)).not.toBe(fifoSequenceNumber(11));
    expect(fifoSequenceNumber(1)).toBe("18000000000000000001");
  });
});
