import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../src/index.js";

describe("TokenBucket (API Gateway throttle)", () => {
  it("lets exactly the burst through at one instant, then rateLimit per second", () => {
    const bucket = new TokenBucket({ rateLimit: 100, burstLimit: 50 }, 0);
    const atOnce = Array.from({ length: 2_000 }, () => bucket.take(0)).filter(Boolean).length;
    expect(atOnce).toBe(50);
    // One second later 100 tokens were added, capped at the burst of 50.
    expect(Array.from({ length: 200 }, () => bucket.take(1_000)).filter(Boolean).length).toBe(50);
    // 100 ms later: 10 tokens.
    expect(Array.from({ length: 200 }, () => bucket.take(1_100)).filter(Boolean).length).toBe(10);
  });

  it("refuses everything with a zero burst", () => {
    const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 0 }, 0);
    expect(bucket.take(0)).toBe(false);
    expect(bucket.take(60_000)).toBe(false);
  });

  it.each([
    [{ rateLimit: -1, burstLimit: 5 }, "rateLimit must be a number of requests per second ≥ 0"],
    [{ rateLimit: 1, burstLimit: 1.5 }, "burstLimit must be an integer"],
    [{ rateLimit: 1, burstLimit: 1, burst: 2 }, 'unknown option "burst"'],
  ])("rejects %j", (limits, message) => {
    expect(() => new TokenBucket(limits as never, 0)).toThrow(message);
  });
});
