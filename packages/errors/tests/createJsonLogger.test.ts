import { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import { describe, expect, it, vi } from "vitest";
import { createJsonLogger, type Logger, RetryableError, sqsBatchHandler } from "../src/index.js";
import { fixedClock, lambdaContext, sqsBatch } from "./helpers/events.js";

describe("createJsonLogger", () => {
  it("writes one JSON object per line with level, message, timestamp from the clock, then the fields", () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ clock: fixedClock, write: (line) => lines.push(line) });
    logger.warn("record failed", { messageId: "m-1", receiveCount: 2 });
    logger.error("parked", { a: 1 });
    logger.info("fyi", {});
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        level: "WARN",
        message: "record failed",
        timestamp: "2024-05-01T12:00:00.000Z",
        messageId: "m-1",
        receiveCount: 2,
      },
      { level: "ERROR", message: "parked", timestamp: "2024-05-01T12:00:00.000Z", a: 1 },
      { level: "INFO", message: "fyi", timestamp: "2024-05-01T12:00:00.000Z" },
    ]);
    expect(lines.every((line) => !line.includes("\n"))).toBe(true);
  });

  it("never throws on fields JSON cannot encode (BigInt, cycles)", () => {
    const lines: string[] = [];
    const cyclic: Record<string, unknown> = { name: "x" };
    cyclic.self = cyclic;
    createJsonLogger({ write: (line) => lines.push(line) }).error("odd", { big: 10n, cyclic, ok: "yes" });
    expect(JSON.parse(lines[0]!)).toMatchObject({ big: "10", cyclic: "[object Object]", ok: "yes" });
  });

  it("writes to stdout by default", () => {
    const spy = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      createJsonLogger({ clock: fixedClock }).warn("hello", { n: 1 });
      expect(spy).toHaveBeenCalledWith(
        '{"level":"WARN","message":"hello","timestamp":"2024-05-01T12:00:00.000Z","n":1}\n',
      );
    } finally {
      spy.mockRestore();
    }
  });
});

describe("a Powertools Logger as the wrapper logger", () => {
  it("fits the Logger interface and receives the failure fields as JSON attributes", async () => {
    // POWERTOOLS_DEV makes Powertools print through the global console, which the test can observe.
    vi.stubEnv("POWERTOOLS_DEV", "true");
    const written: string[] = [];
    const spy = vi
      .spyOn(console, "warn")
      .mockImplementation((line: unknown) => void written.push(String(line)));
    try {
      const logger: Logger = new PowertoolsLogger({ serviceName: "payments" });
      const wrapped = sqsBatchHandler(
        async (record) => {
          if (record.messageId === "m-1") throw new RetryableError("throttled");
        },
        { logger },
      );
      await wrapped(sqsBatch(2), lambdaContext());
    } finally {
      spy.mockRestore();
      vi.unstubAllEnvs();
    }
    const line = written.map((chunk) => chunk.trim()).find((chunk) => chunk.includes("retryable failure"));
    expect(JSON.parse(line!)).toMatchObject({
      level: "WARN",
      service: "payments",
      message: "sqs retryable failure: reported",
      messageId: "m-1",
      classification: "retryable",
      trigger: "sqs",
    });
  });
});
