import { describe, expect, it } from "vitest";
import {
  asyncHandler,
  httpHandler,
  InvalidOptionsError,
  sqsBatchHandler,
  streamBatchHandler,
} from "../src/index.js";
import { withDefaults } from "../src/validateOptions.js";

const noop = async () => undefined;
const parking = { queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/parked" };

function problemsOf(build: () => unknown): { message: string; problems: readonly string[] } {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionsError);
    return { message: (error as Error).message, problems: (error as InvalidOptionsError).problems };
  }
  throw new Error("expected the wrapper to reject its options");
}

describe("wrapper options", () => {
  it.each([
    [
      "sqsBatchHandler",
      () => sqsBatchHandler(noop, { concurency: 4 } as never),
      /unknown option "concurency" \(known: parking, concurrency/,
    ],
    [
      "sqsBatchHandler",
      () => sqsBatchHandler(noop, { concurrency: 0 }),
      /"concurrency" must be: an integer from 1 to 100, e\.g\. \{ concurrency: 10 \} \(received 0\)/,
    ],
    [
      "sqsBatchHandler",
      () => sqsBatchHandler(noop, { parking: { queueUrl: undefined } } as never),
      /"parking" must be: .*\(received \{"queueUrl":"undefined"\}\)/,
    ],
    [
      "sqsBatchHandler",
      () => sqsBatchHandler(noop, { parking: { queueUrl: "payments-dlq" } }),
      /"parking" must be: a Parker/,
    ],
    [
      "sqsBatchHandler",
      () => sqsBatchHandler(noop, { logger: console.log } as never),
      /"logger" must be: an object with info, warn and error methods/,
    ],
    [
      "sqsBatchHandler",
      () => sqsBatchHandler(noop, { rules: "permanent" } as never),
      /"rules" must be: an array of functions/,
    ],
    [
      "sqsBatchHandler",
      () => sqsBatchHandler(noop, { throwOnFullBatchFailure: "no" } as never),
      /"throwOnFullBatchFailure" must be: a boolean/,
    ],
    [
      "streamBatchHandler",
      () => streamBatchHandler(noop, { parking, mode: "bisect" } as never),
      /"mode" must be: "stop-at-first-failure" or "per-partition-key"/,
    ],
    [
      "streamBatchHandler",
      () => streamBatchHandler(noop, { parking, partitionKey: "pk" } as never),
      /"partitionKey" must be: a function/,
    ],
    ["asyncHandler", () => asyncHandler(noop, {} as never), /"parking" is required: a Parker/],
    [
      "asyncHandler",
      () => asyncHandler(noop, { parking, rememberRequestIds: -1 }),
      /"rememberRequestIds" must be: an integer/,
    ],
    [
      "httpHandler",
      () => httpHandler(noop as never, { exposeErrorMessages: "yes" } as never),
      /"exposeErrorMessages" must be: a boolean/,
    ],
    [
      "httpHandler",
      () => httpHandler(noop as never, { retryAfterSeconds: 1.5 }),
      /"retryAfterSeconds" must be: an integer from 0 to 86400/,
    ],
    [
      "httpHandler",
      () => httpHandler(noop as never, { clock: 5 } as never),
      /"clock" must be: a function returning epoch milliseconds \(received 5\)/,
    ],
  ])("%s rejects bad options when built, naming the key and the fix", (where, build, pattern) => {
    const { message } = problemsOf(build);
    expect(message).toMatch(new RegExp(`^${where}: `));
    expect(message).toMatch(pattern);
  });

  it("lists every problem at once", () => {
    const { problems } = problemsOf(() =>
      sqsBatchHandler(noop, { concurrency: 0, paking: {}, logger: 1 } as never),
    );
    expect(problems).toHaveLength(3);
  });

  it.each([
    ["sqsBatchHandler", () => sqsBatchHandler(undefined as never)],
    ["streamBatchHandler", () => streamBatchHandler("handler" as never, { parking })],
    ["asyncHandler", () => asyncHandler(null as never, { parking })],
    ["httpHandler", () => httpHandler({} as never)],
  ])("%s rejects a handler that is not a function", (where, build) => {
    expect(build).toThrow(new RegExp(`^${where}: the first argument must be the`));
  });

  it("rejects options that are not an object", () => {
    expect(() => sqsBatchHandler(noop, "fast" as never)).toThrow(
      /options must be an object \(received "fast"\)/,
    );
  });

  it("accepts a custom Parker and no options at all", () => {
    expect(() => sqsBatchHandler(noop)).not.toThrow();
    expect(() => asyncHandler(noop, { parking: { park: async () => undefined } })).not.toThrow();
  });
});

describe("withDefaults", () => {
  const defaults = { concurrency: 1, throwOnFullBatchFailure: true };

  it("takes each defined option and the default for the rest", () => {
    expect(withDefaults({ concurrency: 8 }, defaults)).toEqual({
      concurrency: 8,
      throwOnFullBatchFailure: true,
    });
  });

  it("gives an option passed as undefined its default, where a spread would keep undefined", () => {
    expect(withDefaults({ concurrency: undefined, throwOnFullBatchFailure: false }, defaults)).toEqual({
      concurrency: 1,
      throwOnFullBatchFailure: false,
    });
  });
});
