import { describe, expect, it } from "vitest";
import { classify, PermanentError, RetryableError } from "../src/index.js";

describe("classify", () => {
  it.each([
    ["a permanent error", new PermanentError("bad input"), "permanent"],
    ["a retryable error", new RetryableError("throttled"), "retryable"],
    ["an unknown error", new Error("boom"), "retryable"],
  ])("treats %s as %s", (_label, error, expected) => {
    expect(classify(error)).toBe(expected);
  });
});
