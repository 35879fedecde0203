import type { DynamoDBRecord, KinesisStreamRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import {
  InvalidEventError,
  InvalidOptionsError,
  PermanentError,
  RetryableError,
  type StreamRecord,
  type StreamRecordAttempt,
  streamBatchHandler,
} from "../src/index.js";
import { answerOf, readStreamResponse } from "./helpers/awsContract.js";
import {
  dynamodbEvent,
  dynamodbRecord,
  fixedClock,
  kinesisEvent,
  kinesisRecord,
  lambdaContext,
  memoryParker,
  recordingLogger,
  sequenceNumber,
  sqsBatch,
} from "./helpers/events.js";

const context = lambdaContext("req-s");
const seqOf = (record: StreamRecord) =>
  "kinesis" in record ? record.kinesis.sequenceNumber : (record.dynamodb?.SequenceNumber as string);

/** Fails the records at the given batch positions with the given errors. */
function failingAt(errors: Record<number, () => unknown>, sequenceNumbers: string[]) {
  const seen: string[] = [];
  const handler = async (record: StreamRecord) => {
    const seq = seqOf(record);
    seen.push(seq);
    const make = errors[sequenceNumbers.indexOf(seq)];
    if (make) throw make();
  };
  return { handler, seen };
}

const seqs = [0, 1, 2, 3, 4].map(sequenceNumber);
const throttled = () => new RetryableError("downstream throttled");

describe("streamBatchHandler", () => {
  it.each([
    ["Kinesis", kinesisEvent(seqs.map((s) => kinesisRecord(s)))],
    ["DynamoDB Streams", dynamodbEvent(seqs.map((s) => dynamodbRecord(s)))],
  ])("answers a successful %s batch with an empty list (complete success)", async (_label, event) => {
    const logger = recordingLogger();
    const wrapped = streamBatchHandler(async () => undefined, { parking: memoryParker(), logger });
    const answer = await answerOf(() => wrapped(event, context));
    expect(answer).toEqual({ returned: { batchItemFailures: [] } });
    expect(readStreamResponse(answer, seqs)).toEqual({ kind: "success" });
    expect(logger.lines).toEqual([]);
  });

  it.each([
    ["Kinesis", kinesisEvent(seqs.map((s) => kinesisRecord(s)))],
    ["DynamoDB Streams", dynamodbEvent(seqs.map((s) => dynamodbRecord(s)))],
  ])(
    "stops at the first retryable failure of a %s batch and reports its sequence number",
    async (_label, event) => {
      const { handler, seen } = failingAt({ 2: throttled, 3: throttled }, seqs);
      const logger = recordingLogger();
      const wrapped = streamBatchHandler(handler, { parking: memoryParker(), logger });
      const answer = await answerOf(() => wrapped(event, context));
      expect(answer).toEqual({ returned: { batchItemFailures: [{ itemIdentifier: seqs[2] }] } });
      expect(readStreamResponse(answer, seqs)).toEqual({ kind: "partial", retry: seqs.slice(2) });
      expect(seen).toEqual(seqs.slice(0, 3));
      expect(logger.lines).toEqual([
        expect.objectContaining({
          level: "warn",
          fields: expect.objectContaining({
            action: "reported",
            sequenceNumber: seqs[2],
            classification: "retryable",
          }),
        }),
      ]);
    },
  );

  it("parks a permanent failure with the full record and goes on with the next records", async () => {
    const parking = memoryParker();
    const event = kinesisEvent(seqs.map((s) => kinesisRecord(s)));
    const { handler, seen } = failingAt(
      { 1: () => new PermanentError("unknown order type", { code: "BAD_TYPE" }) },
      seqs,
    );
    const wrapped = streamBatchHandler(handler, { parking, logger: recordingLogger(), clock: fixedClock });
    expect(await wrapped(event, context)).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual(seqs);
    expect(parking.parked).toEqual([
      expect.objectContaining({
        trigger: "kinesis",
        record: event.Records[1],
        errorCode: "BAD_TYPE",
        sequenceNumber: seqs[1],
        eventSourceARN: event.Records[1]?.eventSourceARN,
        requestId: "req-s",
        parkedAt: "2024-05-01T12:00:00.000Z",
        attempt: 1,
      }),
    ]);
  });

  it("treats a permanent failure whose parking failed as retryable: reported, and the shard stops there", async () => {
    const { handler, seen } = failingAt({ 1: () => new PermanentError("bad") }, seqs);
    const logger = recordingLogger();
    const wrapped = streamBatchHandler(handler, { parking: memoryParker(new Error("queue gone")), logger });
    const answer = await answerOf(() => wrapped(dynamodbEvent(seqs.map((s) => dynamodbRecord(s))), context));
    expect(readStreamResponse(answer, seqs)).toEqual({ kind: "partial", retry: seqs.slice(1) });
    expect(seen).toEqual(seqs.slice(0, 2));
    expect(logger.lines[0]?.fields).toMatchObject({ action: "parking-failed", trigger: "dynamodb-stream" });
  });

  it("reports the first record when it fails, rather than throwing (a throw would bisect the batch)", async () => {
    const { handler } = failingAt({ 0: throttled }, seqs);
    const wrapped = streamBatchHandler(handler, { parking: memoryParker(), logger: recordingLogger() });
    const answer = await answerOf(() => wrapped(kinesisEvent(seqs.map((s) => kinesisRecord(s))), context));
    expect(readStreamResponse(answer, seqs)).toEqual({ kind: "partial", retry: seqs });
  });

  it("recognises a retry of the same sequence number on a warm container", async () => {
    const attempts: StreamRecordAttempt[] = [];
    let fail = true;
    const wrapped = streamBatchHandler(
      async (record, attempt) => {
        attempts.push(attempt);
        if (seqOf(record) === seqs[1] && fail) throw throttled();
      },
      { parking: memoryParker(), logger: recordingLogger() },
    );
    const event = kinesisEvent(seqs.slice(0, 2).map((s) => kinesisRecord(s)));
    await wrapped(event, context);
    fail = false;
    await wrapped(kinesisEvent([kinesisRecord(seqs[1]!)]), context);
    expect(attempts.map((a) => [a.sequenceNumber, a.isRetry, a.attempt])).toEqual([
      [seqs[0], "unknown", 1],
      [seqs[1], "unknown", 1],
      [seqs[1], true, 2],
    ]);
    expect(attempts[0]).toMatchObject({ trigger: "kinesis", eventId: `shardId-000000000000:${seqs[0]}` });
  });

  describe("per-partition-key mode", () => {
    it("keeps going for other keys and reports the failed key's later records unprocessed", async () => {
      const keys = ["a", "b", "a", "c", "b", "a"];
      const ordered = keys.map((_, i) => sequenceNumber(i));
      const event = kinesisEvent(keys.map((key, i) => kinesisRecord(ordered[i]!, key)));
      const { handler, seen } = failingAt({ 1: throttled }, ordered);
      const wrapped = streamBatchHandler(handler, {
        parking: memoryParker(),
        mode: "per-partition-key",
        logger: recordingLogger(),
      });
      const answer = await answerOf(() => wrapped(event, context));
      expect(answer).toEqual({
        returned: { batchItemFailures: [{ itemIdentifier: ordered[1] }, { itemIdentifier: ordered[4] }] },
      });
      expect(readStreamResponse(answer, ordered)).toEqual({ kind: "partial", retry: ordered.slice(1) });
      expect(seen).toEqual([ordered[0], ordered[1], ordered[2], ordered[3], ordered[5]]);
    });

    it("uses the DynamoDB item key (attribute order does not matter) as the default partition key", async () => {
      const first = dynamodbRecord(sequenceNumber(0), "o-1");
      const second = dynamodbRecord(sequenceNumber(1), "o-2");
      const third: DynamoDBRecord = {
        ...dynamodbRecord(sequenceNumber(2), "o-1"),
        dynamodb: {
          ...dynamodbRecord(sequenceNumber(2), "o-1").dynamodb,
          Keys: { sk: { S: "META" }, pk: { S: "ORDER#o-1" } },
        },
      };
      const seen: string[] = [];
      const wrapped = streamBatchHandler<DynamoDBRecord>(
        async (record) => {
          seen.push(record.dynamodb!.SequenceNumber!);
          if (record.dynamodb?.SequenceNumber === sequenceNumber(0)) throw throttled();
        },
        { parking: memoryParker(), mode: "per-partition-key", logger: recordingLogger() },
      );
      const response = await wrapped(dynamodbEvent([first, second, third]), context);
      expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
        sequenceNumber(0),
        sequenceNumber(2),
      ]);
      expect(seen).toEqual([sequenceNumber(0), sequenceNumber(1)]);
    });

    it("accepts a custom partition key function", async () => {
      const event = kinesisEvent([
        kinesisRecord(sequenceNumber(0), "x", "MQ=="),
        kinesisRecord(sequenceNumber(1), "y", "MQ=="),
        kinesisRecord(sequenceNumber(2), "z", "Mg=="),
      ]);
      const wrapped = streamBatchHandler<KinesisStreamRecord>(
        async (record) => {
          if (record.kinesis.sequenceNumber === sequenceNumber(0)) throw throttled();
        },
        {
          parking: memoryParker(),
          mode: "per-partition-key",
          partitionKey: (record) => record.kinesis.data,
          logger: recordingLogger(),
        },
      );
      const response = await wrapped(event, context);
      expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
        sequenceNumber(0),
        sequenceNumber(1),
      ]);
    });
  });

  it.each([
    ["an SQS event", sqsBatch(1), /eventSource "aws:sqs"/],
    [
      "a record without a sequence number",
      { Records: [{ eventSource: "aws:kinesis", kinesis: {} }] },
      /Records\[0\]/,
    ],
    ["a string", "hello", /received "hello"/],
  ])("rejects %s with an error naming the expected stream shape", async (_label, event, received) => {
    const wrapped = streamBatchHandler(async () => undefined, { parking: memoryParker() });
    const error = await wrapped(event as never, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toMatch(/expected a DynamoDB Streams or Kinesis event/);
    expect((error as Error).message).toMatch(received);
  });

  it("requires a parking target, naming the option", () => {
    expect(() => streamBatchHandler(async () => undefined, {} as never)).toThrow(InvalidOptionsError);
    expect(() => streamBatchHandler(async () => undefined, {} as never)).toThrow(/"parking" is required/);
  });
});
