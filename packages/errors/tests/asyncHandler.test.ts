import { describe, expect, it } from "vitest";
import {
  type AsyncAttempt,
  asyncHandler,
  InvalidEventError,
  NotFoundError,
  ParkingError,
  RetryableError,
} from "../src/index.js";
import {
  apiGatewayV2Event,
  eventBridgeEvent,
  fixedClock,
  kinesisEvent,
  kinesisRecord,
  lambdaContext,
  memoryParker,
  recordingLogger,
  snsEvent,
  sqsBatch,
} from "./helpers/events.js";

describe("asyncHandler", () => {
  it("returns the handler's result on success and logs nothing", async () => {
    const logger = recordingLogger();
    const wrapped = asyncHandler(async () => ({ sent: true }), { parking: memoryParker(), logger });
    expect(await wrapped(snsEvent('{"orderId":"o-1"}'), lambdaContext())).toEqual({ sent: true });
    expect(logger.lines).toEqual([]);
  });

  it("rethrows a retryable failure unchanged, so Lambda retries the event", async () => {
    const parking = memoryParker();
    const logger = recordingLogger();
    const failure = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    const wrapped = asyncHandler(
      async () => {
        throw failure;
      },
      { parking, logger },
    );
    await expect(wrapped(eventBridgeEvent({ orderId: "o-1" }), lambdaContext("req-a"))).rejects.toBe(failure);
    expect(parking.parked).toEqual([]);
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: "warn",
        message: "async retryable failure: rethrown",
        fields: expect.objectContaining({
          trigger: "async",
          requestId: "req-a",
          attempt: 1,
          errorCode: "ECONNRESET",
        }),
      }),
    ]);
  });

  it("parks a permanent failure with the original event and returns success, so Lambda spends no retries", async () => {
    const parking = memoryParker();
    const event = snsEvent('{"orderId":"o-404"}');
    const wrapped = asyncHandler(
      async () => {
        throw new NotFoundError("order o-404 not found", { code: "ORDER_NOT_FOUND" });
      },
      { parking, logger: recordingLogger(), clock: fixedClock },
    );
    await expect(wrapped(event, lambdaContext("req-p"))).resolves.toBeUndefined();
    expect(parking.parked).toEqual([
      {
        kind: "rebound.parked-event",
        version: 1,
        trigger: "async",
        event,
        errorName: "NotFoundError",
        errorMessage: "order o-404 not found",
        errorCode: "ORDER_NOT_FOUND",
        attempt: 1,
        requestId: "req-p",
        functionName: "payments-worker",
        parkedAt: "2024-05-01T12:00:00.000Z",
      },
    ]);
  });

  it("throws a retryable ParkingError carrying both errors when parking fails, so the event is never lost", async () => {
    const original = new NotFoundError("gone");
    const wrapped = asyncHandler(
      async () => {
        throw original;
      },
      { parking: memoryParker(new Error("AccessDenied on SendMessage")), logger: recordingLogger() },
    );
    const error = await wrapped({ direct: true }, lambdaContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParkingError);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as ParkingError).originalError).toBe(original);
    expect(((error as ParkingError).cause as Error).message).toBe("AccessDenied on SendMessage");
  });

  it("tells a retry from a first attempt when the same request id comes back to a warm container", async () => {
    const attempts: AsyncAttempt[] = [];
    let calls = 0;
    const wrapped = asyncHandler(
      async (_event, _context, attempt) => {
        attempts.push(attempt);
        if (++calls < 3) throw new RetryableError("try later");
      },
      { parking: memoryParker(), logger: recordingLogger() },
    );
    const event = eventBridgeEvent({ orderId: "o-1" });
    await expect(wrapped(event, lambdaContext("same-id"))).rejects.toThrow("try later");
    await expect(wrapped(event, lambdaContext("same-id"))).rejects.toThrow("try later");
    await wrapped(event, lambdaContext("same-id"));
    await wrapped(event, lambdaContext("other-id"));
    expect(attempts).toEqual([
      { requestId: "same-id", isRetry: "unknown", attempt: 1 },
      { requestId: "same-id", isRetry: true, attempt: 2 },
      { requestId: "same-id", isRetry: true, attempt: 3 },
      { requestId: "other-id", isRetry: "unknown", attempt: 1 },
    ]);
  });

  it("forgets the oldest request ids beyond rememberRequestIds", async () => {
    const attempts: AsyncAttempt[] = [];
    const wrapped = asyncHandler(async (_e, _c, attempt) => void attempts.push(attempt), {
      parking: memoryParker(),
      rememberRequestIds: 2,
    });
    for (const id of ["a", "b", "c", "a"]) await wrapped({}, lambdaContext(id));
    expect(attempts.at(-1)).toEqual({ requestId: "a", isRetry: "unknown", attempt: 1 });
  });

  it("accepts any direct-invoke payload, including non-objects", async () => {
    const wrapped = asyncHandler(async (event: unknown) => event, { parking: memoryParker() });
    expect(await wrapped("plain string", lambdaContext())).toBe("plain string");
    expect(await wrapped(42, lambdaContext())).toBe(42);
  });

  it.each([
    ["an SQS batch", sqsBatch(1), /use sqsBatchHandler/],
    ["a Kinesis batch", kinesisEvent([kinesisRecord("1")]), /use streamBatchHandler/],
    ["an API Gateway event", apiGatewayV2Event(), /use httpHandler/],
  ])("rejects %s, which has another contract, naming the wrapper to use", async (_label, event, hint) => {
    const wrapped = asyncHandler(async () => undefined, { parking: memoryParker() });
    const error = await wrapped(event, lambdaContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toMatch(/asyncHandler expected an asynchronously delivered event/);
    expect((error as Error).message).toMatch(hint);
  });
});
