import type { SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import {
  FullBatchFailureError,
  InvalidEventError,
  PARKED_EVENT_KIND,
  PermanentError,
  RetryableError,
  type SqsRecordAttempt,
  sqsBatchHandler,
  ValidationError,
} from "../src/index.js";
import { answerOf, readSqsResponse } from "./helpers/awsContract.js";
import {
  apiGatewayV1Event,
  dynamodbEvent,
  dynamodbRecord,
  FIFO_QUEUE_ARN,
  fixedClock,
  lambdaContext,
  memoryParker,
  recordingLogger,
  sqsBatch,
  sqsEvent,
  sqsRecord,
} from "./helpers/events.js";

const context = lambdaContext("req-1");
const throttled = () => new RetryableError("provider throttled", { code: "PROVIDER_THROTTLED" });

/** A handler failing the records whose body `n` is listed, with the error the map gives. */
function failing(errors: Record<number, () => unknown>) {
  const seen: string[] = [];
  const handler = async (record: SQSRecord) => {
    seen.push(record.messageId);
    const make = errors[(JSON.parse(record.body) as { n: number }).n];
    if (make) throw make();
  };
  return { handler, seen };
}

describe("sqsBatchHandler", () => {
  it("answers an all-successful batch with an empty list, which AWS reads as success, and logs nothing", async () => {
    const logger = recordingLogger();
    const wrapped = sqsBatchHandler(async () => undefined, { logger });
    const event = sqsBatch(3);
    const answer = await answerOf(() => wrapped(event, context));
    expect(answer).toEqual({ returned: { batchItemFailures: [] } });
    expect(readSqsResponse(answer, ["m-0", "m-1", "m-2"])).toEqual({ kind: "success" });
    expect(logger.lines).toEqual([]);
  });

  it("reports only the records that failed with a retryable error", async () => {
    const logger = recordingLogger();
    const { handler, seen } = failing({
      1: throttled,
      3: () => Object.assign(new Error("reset"), { code: "ECONNRESET" }),
    });
    const wrapped = sqsBatchHandler(handler, { logger, parking: memoryParker() });
    const answer = await answerOf(() => wrapped(sqsBatch(5), context));
    expect(readSqsResponse(answer, ["m-0", "m-1", "m-2", "m-3", "m-4"])).toEqual({
      kind: "partial",
      retry: ["m-1", "m-3"],
    });
    expect(seen).toEqual(["m-0", "m-1", "m-2", "m-3", "m-4"]);
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[0]).toMatchObject({
      level: "warn",
      message: "sqs retryable failure: reported",
      fields: {
        trigger: "sqs",
        classification: "retryable",
        classificationSource: "rebound",
        action: "reported",
        requestId: "req-1",
        messageId: "m-1",
        receiveCount: 1,
        errorName: "RetryableError",
        errorCode: "PROVIDER_THROTTLED",
        errorMessage: "provider throttled",
      },
    });
    expect(logger.lines[1]?.fields).toMatchObject({
      classificationSource: "network",
      errorCode: "ECONNRESET",
    });
  });

  it("parks a permanent failure with the full original record and does not report it", async () => {
    const parking = memoryParker();
    const logger = recordingLogger();
    const { handler } = failing({
      2: () => new ValidationError("amountCents must be positive", { code: "BAD_AMOUNT" }),
    });
    const wrapped = sqsBatchHandler(handler, { parking, logger, clock: fixedClock });
    const event = sqsEvent([
      sqsRecord('{"n":0}', { messageId: "m-0" }),
      sqsRecord('{"n":2}', { messageId: "m-2", receiveCount: 3 }),
    ]);
    const answer = await answerOf(() => wrapped(event, context));
    expect(readSqsResponse(answer, ["m-0", "m-2"])).toEqual({ kind: "success" });
    expect(parking.parked).toEqual([
      {
        kind: PARKED_EVENT_KIND,
        version: 1,
        trigger: "sqs",
        record: event.Records[1],
        errorName: "ValidationError",
        errorMessage: "amountCents must be positive",
        errorCode: "BAD_AMOUNT",
        attempt: 3,
        receiveCount: 3,
        requestId: "req-1",
        messageId: "m-2",
        messageGroupId: undefined,
        eventSourceARN: event.Records[1]?.eventSourceARN,
        functionName: "payments-worker",
        parkedAt: "2024-05-01T12:00:00.000Z",
      },
    ]);
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: "error",
        fields: expect.objectContaining({ action: "parked", messageId: "m-2" }),
      }),
    ]);
  });

  it("parks a record whose body is not JSON (SyntaxError from JSON.parse is permanent)", async () => {
    const parking = memoryParker();
    const wrapped = sqsBatchHandler(async (record) => void JSON.parse(record.body), {
      parking,
      logger: recordingLogger(),
    });
    const response = await wrapped(
      sqsEvent([sqsRecord("{oops", { messageId: "bad" }), sqsRecord("{}", { messageId: "ok" })]),
      context,
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(parking.parked.map((entry) => [entry.messageId, entry.errorName])).toEqual([
      ["bad", "SyntaxError"],
    ]);
  });

  it("reports a permanent failure when no parking is configured, so it reaches the DLQ through maxReceiveCount", async () => {
    const { handler } = failing({ 1: () => new PermanentError("declined") });
    const wrapped = sqsBatchHandler(handler, { logger: recordingLogger() });
    expect(await wrapped(sqsBatch(2), context)).toEqual({ batchItemFailures: [{ itemIdentifier: "m-1" }] });
  });

  it("reports a permanent failure whose parking failed, so the message is never lost", async () => {
    const logger = recordingLogger();
    const { handler } = failing({ 0: () => new PermanentError("declined") });
    const wrapped = sqsBatchHandler(handler, { parking: memoryParker(new Error("SQS unreachable")), logger });
    const answer = await answerOf(() => wrapped(sqsBatch(2), context));
    expect(readSqsResponse(answer, ["m-0", "m-1"])).toEqual({ kind: "partial", retry: ["m-0"] });
    expect(logger.lines[0]).toMatchObject({
      level: "error",
      fields: { action: "parking-failed", parkingError: { errorMessage: "SQS unreachable" } },
    });
  });

  it("fails the whole invocation when every record failed retryably, so Lambda retries and backs off", async () => {
    const { handler } = failing({ 0: throttled, 1: throttled });
    const wrapped = sqsBatchHandler(handler, { logger: recordingLogger() });
    const answer = await answerOf(() => wrapped(sqsBatch(2), context));
    expect(readSqsResponse(answer, ["m-0", "m-1"]).kind).toBe("whole-batch-failure");
    expect("thrown" in answer && answer.thrown).toBeInstanceOf(FullBatchFailureError);
    expect("thrown" in answer && (answer.thrown as FullBatchFailureError).cause).toBeInstanceOf(
      RetryableError,
    );
  });

  it("reports every id instead of throwing when throwOnFullBatchFailure is false", async () => {
    const { handler } = failing({ 0: throttled, 1: throttled });
    const wrapped = sqsBatchHandler(handler, { logger: recordingLogger(), throwOnFullBatchFailure: false });
    expect(await wrapped(sqsBatch(2), context)).toEqual({
      batchItemFailures: [{ itemIdentifier: "m-0" }, { itemIdentifier: "m-1" }],
    });
  });

  it("does not throw when every record failed but one was parked (a redelivery would park it twice)", async () => {
    const { handler } = failing({ 0: throttled, 1: () => new PermanentError("declined") });
    const wrapped = sqsBatchHandler(handler, { logger: recordingLogger(), parking: memoryParker() });
    expect(await wrapped(sqsBatch(2), context)).toEqual({ batchItemFailures: [{ itemIdentifier: "m-0" }] });
  });

  it("gives the record handler the receive count, whether it is a retry, and the message id", async () => {
    const attempts: SqsRecordAttempt[] = [];
    const wrapped = sqsBatchHandler(async (_record, attempt) => void attempts.push(attempt));
    await wrapped(
      sqsEvent([
        sqsRecord("{}", { messageId: "a", receiveCount: 1 }),
        sqsRecord("{}", { messageId: "b", receiveCount: 4 }),
      ]),
      context,
    );
    expect(attempts).toEqual([
      { receiveCount: 1, isRetry: false, messageId: "a", messageGroupId: undefined },
      { receiveCount: 4, isRetry: true, messageId: "b", messageGroupId: undefined },
    ]);
  });

  it("passes the Lambda context through to the record handler", async () => {
    let seen: unknown;
    await sqsBatchHandler(async (_record, _attempt, ctx) => {
      seen = ctx;
    })(sqsBatch(1), context);
    expect(seen).toBe(context);
  });

  it("answers an empty batch with success", async () => {
    expect(await sqsBatchHandler(async () => undefined)(sqsEvent([]), context)).toEqual({
      batchItemFailures: [],
    });
  });

  describe("FIFO queues", () => {
    function fifoBatch(groups: string[]): ReturnType<typeof sqsEvent> {
      return sqsEvent(
        groups.map((groupId, i) => sqsRecord(JSON.stringify({ n: i }), { messageId: `m-${i}`, groupId })),
      );
    }

    it("reports the first failure of a group and every later message of that group unprocessed, while other groups go on", async () => {
      const { handler, seen } = failing({ 1: throttled });
      const wrapped = sqsBatchHandler(handler, { logger: recordingLogger() });
      const event = fifoBatch(["A", "A", "B", "A", "B", "C"]);
      const answer = await answerOf(() => wrapped(event, context));
      expect(
        readSqsResponse(
          answer,
          event.Records.map((r) => r.messageId),
        ),
      ).toEqual({
        kind: "partial",
        retry: ["m-1", "m-3"],
      });
      expect(seen).toEqual(["m-0", "m-1", "m-2", "m-4", "m-5"]);
    });

    it("detects FIFO from the queue ARN even without a MessageGroupId", async () => {
      const { handler, seen } = failing({ 0: throttled });
      const records = [0, 1, 2].map((n) => ({
        ...sqsRecord(JSON.stringify({ n }), { messageId: `m-${n}` }),
        eventSourceARN: FIFO_QUEUE_ARN,
      }));
      const wrapped = sqsBatchHandler(handler, { logger: recordingLogger(), throwOnFullBatchFailure: false });
      expect(await wrapped(sqsEvent(records), context)).toEqual({
        batchItemFailures: [{ itemIdentifier: "m-0" }, { itemIdentifier: "m-1" }, { itemIdentifier: "m-2" }],
      });
      expect(seen).toEqual(["m-0"]);
    });

    it("keeps a group going after a permanent failure was parked (it left the group, as a DLQ move does)", async () => {
      const parking = memoryParker();
      const { handler, seen } = failing({ 0: () => new PermanentError("declined") });
      const wrapped = sqsBatchHandler(handler, { logger: recordingLogger(), parking });
      expect(await wrapped(fifoBatch(["A", "A"]), context)).toEqual({ batchItemFailures: [] });
      expect(seen).toEqual(["m-0", "m-1"]);
      expect(parking.parked[0]?.messageGroupId).toBe("A");
    });

    it("runs groups concurrently but each group in order when concurrency is set", async () => {
      const order: string[] = [];
      let inFlight = 0;
      let maxInFlight = 0;
      const wrapped = sqsBatchHandler(
        async (record) => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((resolve) => setImmediate(resolve));
          order.push(record.messageId);
          inFlight--;
          if (record.messageId === "m-2") throw throttled();
        },
        { concurrency: 2, logger: recordingLogger() },
      );
      const event = fifoBatch(["A", "B", "A", "B", "A"]);
      const response = await wrapped(event, context);
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "m-2" }, { itemIdentifier: "m-4" }] });
      expect(maxInFlight).toBe(2);
      const groupA = order.filter((id) => ["m-0", "m-2", "m-4"].includes(id));
      expect(groupA).toEqual(["m-0", "m-2"]);
    });
  });

  it("processes at most `concurrency` records at once and still reports in batch order", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const wrapped = sqsBatchHandler(
      async (record) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        if (record.messageId === "m-7" || record.messageId === "m-2") throw throttled();
      },
      { concurrency: 3, logger: recordingLogger() },
    );
    const response = await wrapped(sqsBatch(10), context);
    expect(maxInFlight).toBe(3);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "m-2" }, { itemIdentifier: "m-7" }] });
  });

  it("processes records one at a time by default", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const wrapped = sqsBatchHandler(async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
    });
    await wrapped(sqsBatch(5), context);
    expect(maxInFlight).toBe(1);
  });

  it("fails the whole batch when something outside the record handler fails (here the logger)", async () => {
    const brokenLogger = {
      info: () => undefined,
      warn: () => {
        throw new Error("log sink down");
      },
      error: () => undefined,
    };
    const { handler } = failing({ 1: throttled });
    const wrapped = sqsBatchHandler(handler, { logger: brokenLogger });
    const answer = await answerOf(() => wrapped(sqsBatch(3), context));
    expect(readSqsResponse(answer, ["m-0", "m-1", "m-2"]).kind).toBe("whole-batch-failure");
  });

  it.each([
    ["an API Gateway event", apiGatewayV1Event(), /"httpMethod":"POST"/],
    ["a DynamoDB stream event", dynamodbEvent([dynamodbRecord("1")]), /eventSource "aws:dynamodb"/],
    ["null", null, /received null/],
    [
      "a record without a messageId",
      sqsEvent([{ ...sqsRecord("{}"), messageId: undefined as never }]),
      /eventSource "aws:sqs"/,
    ],
  ])("rejects %s with an error naming the expected SQS shape", async (_label, event, received) => {
    const wrapped = sqsBatchHandler(async () => undefined);
    const answer = await answerOf(() => wrapped(event as never, context));
    expect("thrown" in answer && answer.thrown).toBeInstanceOf(InvalidEventError);
    const message = (answer as { thrown: Error }).thrown.message;
    expect(message).toMatch(
      /sqsBatchHandler expected an SQS event: \{ Records: \[\{ eventSource: "aws:sqs", messageId, body/,
    );
    expect(message).toMatch(received);
  });

  it("rejects a call without the Lambda context", async () => {
    await expect(sqsBatchHandler(async () => undefined)(sqsBatch(1), undefined as never)).rejects.toThrow(
      /second argument must be the Lambda context/,
    );
  });
});
