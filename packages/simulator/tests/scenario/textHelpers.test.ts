import { describe, expect, it } from "vitest";
import { didYouMean } from "../../src/scenario/didYouMean.js";
import { parseDuration } from "../../src/scenario/parseDuration.js";

describe("parseDuration", () => {
  it.each([
    [0, 0],
    [90, 90_000],
    [0.25, 250],
    ["250ms", 250],
    ["30s", 30_000],
    ["2m", 120_000],
    ["1h30m", 5_400_000],
    ["1d", 86_400_000],
    ["1.5s", 1500],
    [" 10s ", 10_000],
  ])("reads %j as %d ms", (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each([
    [-1],
    ["-5s"],
    ["5"],
    ["5 s"],
    ["s"],
    ["10x"],
    [""],
    [null],
    [true],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
  ])("rejects %j", (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe("didYouMean", () => {
  it.each([
    ["sed", ["name", "seed", "events"], "seed"],
    ["PSOT", ["GET", "POST", "PUT"], "POST"],
    ["qeue", ["queue", "topic"], "queue"],
    ["latency", ["latencyMs", "status"], "latencyMs"],
    ["Seed", ["seed"], "seed"],
    ["x", ["name", "seed"], undefined],
    ["completely-different", ["name", "seed"], undefined],
  ])("suggests for %s among %j: %s", (input, known, expected) => {
    expect(didYouMean(input, known)).toBe(expected);
  });
});
