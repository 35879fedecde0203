import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../src/engine/errors.js";
import { Reply } from "../../src/lambda/Reply.js";
import { scripted } from "../../src/lambda/scripted.js";
import type { DynamoDBStream } from "../../src/streams/DynamoDBStream.js";
import type { KinesisStream } from "../../src/streams/KinesisStream.js";
import { checkStreamInvariants } from "../../src/streams/streamInvariants.js";
import { QUEUE_ARN, streamSetup } from "./StreamHelpers.js";

const onFailure = { destinationConfig: { onFailure: { destination: QUEUE_ARN } } };
const poison = (bad: (data: string) => boolean) =>
  scripted.custom("fails on poison records", (event) => {
    const records = (event as { Records: Array<{ kinesis: { data: string } }> }).Records;
    if (records.some((record) => bad(Buffer.from(record.kinesis.data, "base64").toString())))
      throw new Error("poison");
    return undefined;
  });

describe("stream mapping configuration", () => {
  it.each([
    [
      { maximumRecordAgeInSeconds: 30 },
      "maximumRecordAgeInSeconds",
      /-1 \(infinite, the default\) or from 60 to 604800/,
    ],
    [{ maximumRecordAgeInSeconds: 604_801 }, "maximumRecordAgeInSeconds", /60 to 604800/],
    [
      { maximumRetryAttempts: 10_001 },
      "maximumRetryAttempts",
      /-1 \(infinite, the default\) or from 0 to 10000/,
    ],
    [{ maximumRetryAttempts: -2 }, "maximumRetryAttempts", /0 to 10000/],
    [{ parallelizationFactor: 11 }, "parallelizationFactor", /from 1 to 10/],
    [{ batchSize: 10_001 }, "batchSize", /from 1 to 10000/],
    [{ maximumBatchingWindowInSeconds: 301 }, "maximumBatchingWindowInSeconds", /from 0 to 300/],
    [
      { functionResponseTypes: ["ReportItemFailures"] },
      "functionResponseTypes",
      /\["ReportBatchItemFailures"\]/,
    ],
    [{ tumblingWindowInSeconds: 60 }, "tumblingWindowInSeconds", /not modelled/],
    [
      { destinationConfig: { onFailure: { destination: `${QUEUE_ARN}.fifo` } } },
      "destinationConfig.onFailure.destination",
      /FIFO queue/,
    ],
    [
      { destinationConfig: { onSuccess: { destination: QUEUE_ARN } } },
      "destinationConfig.onSuccess",
      /only an onFailure/,
    ],
    [{ startingPosition: "NOW" }, "startingPosition", /TRIM_HORIZON, LATEST, AT_TIMESTAMP/],
    [{ maximumRetryAttemps: 2 }, "maximumRetryAttemps", /unknown option "maximumRetryAttemps"/],
  ])("rejects %j naming %s and AWS's rule", (mapping, key, message) => {
    let caught: unknown;
    try {
      streamSetup({ fn: { handler: scripted.succeed() }, mapping: mapping as never });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).key).toBe(key);
    expect((caught as Error).message).toMatch(message);
  });

  it("rejects AT_TIMESTAMP on a DynamoDB stream with AWS's message and accepts batch size 100 with no window", () => {
    expect(() =>
      streamSetup({
        kind: "dynamodb",
        fn: { handler: scripted.succeed() },
        mapping: { startingPosition: "AT_TIMESTAMP", startingPositionTimestamp: 0 },
      }),
    ).toThrow(/Unsupported starting position for arn type/);
    const { mapping } = streamSetup({ fn: { handler: scripted.succeed() }, mapping: {} });
    expect(mapping.settings).toMatchObject({
      batchSize: 100,
      maximumBatchingWindowInSeconds: 0,
      maximumRetryAttempts: -1,
      maximumRecordAgeInSeconds: -1,
      parallelizationFactor: 1,
    });
  });
});

describe("stream retries and on-failure records", () => {
  it("invokes N+1 times with MaximumRetryAttempts N, then sends the DynamoDB on-failure record and moves on", () => {
    const { env, deliveries, batches, stream, outcomes } = streamSetup({
      kind: "dynamodb",
      fn: {
        handler: scripted.custom("fails on item 1", (event) => {
          const pk = (event as { Records: Array<{ dynamodb: { Keys: { pk: { S: string } } } }> }).Records[0]!
            .dynamodb.Keys.pk.S;
          if (pk === "1") throw new Error("boom");
          return undefined;
        }),
      },
      mapping: { batchSize: 1, maximumRetryAttempts: 1, ...onFailure },
    });
    const ddb = stream as DynamoDBStream;
    env.simulation.runUntil(1_234);
    ddb.recordWrite({ newImage: { pk: { S: "1" } } });
    ddb.recordWrite({ newImage: { pk: { S: "2" } } });
    env.simulation.runUntilIdle();
    expect(batches).toEqual([["1"], ["1"], ["2"]]);
    expect(deliveries).toHaveLength(1);
    const record = deliveries[0]!.record;
    expect(Object.keys(record)).toEqual([
      "requestContext",
      "responseContext",
      "version",
      "timestamp",
      "DDBStreamBatchInfo",
    ]);
    const seq = stream.shards[0]!.retained()[0]!.sequenceNumber;
    expect(record).toEqual({
      requestContext: {
        requestId: expect.any(String),
        functionArn: "arn:aws:lambda:us-east-1:123456789012:function:consumer",
        condition: "RetryAttemptsExhausted",
        approximateInvokeCount: 2,
      },
      responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
      version: "1.0",
      timestamp: "1970-01-01T00:00:02.250Z",
      DDBStreamBatchInfo: {
        shardId: stream.shards[0]!.shardId,
        startSequenceNumber: seq,
        endSequenceNumber: seq,
        approximateArrivalOfFirstRecord: "1970-01-01T00:00:01Z",
        approximateArrivalOfLastRecord: "1970-01-01T00:00:01Z",
        batchSize: 1,
        streamArn: stream.streamArn,
      },
    });
    expect(deliveries[0]!.kind).toBe("sqs");
    expect(outcomes.byKey(seq)).toMatchObject({
      disposition: "sent-to-destination",
      target: QUEUE_ARN,
      reason: "RetryAttemptsExhausted",
    });
  });

  it("writes Kinesis arrival times with milliseconds and blocks the shard while the batch retries", () => {
    const { env, deliveries, batches, put } = streamSetup({
      fn: { handler: poison((data) => data === "a") },
      mapping: { batchSize: 1, maximumRetryAttempts: 2, ...onFailure },
    });
    env.simulation.runUntil(1_250);
    put("a");
    put("b");
    env.simulation.runUntilIdle();
    expect(batches).toEqual([["a"], ["a"], ["a"], ["b"]]);
    const info = deliveries[0]!.record.KinesisBatchInfo as Record<string, unknown>;
    expect(info.approximateArrivalOfFirstRecord).toBe("1970-01-01T00:00:01.250Z");
    expect((deliveries[0]!.record.requestContext as Record<string, unknown>).approximateInvokeCount).toBe(3);
  });

  it("keeps other shards moving while one shard is blocked", () => {
    const { env, batches, put, stream } = streamSetup({
      kinesis: { shardCount: 2 },
      fn: { handler: poison((data) => data.startsWith("bad")) },
      mapping: { batchSize: 1, maximumRetryAttempts: 3 },
    });
    const keys = ["k0", "k1", "k2", "k3", "k4", "k5"];
    const shardOf = (key: string) => {
      put(`probe-${key}`, key);
      return stream.shards.findIndex((shard) => shard.retained().some((entry) => entry.orderKey === key));
    };
    const byShard = keys.map(shardOf);
    const blocked = keys[byShard.indexOf(0)]!;
    const free = keys[byShard.indexOf(1)]!;
    env.simulation.runUntilIdle();
    batches.length = 0;
    put("bad-1", blocked);
    put("after-bad", blocked);
    put("other", free);
    env.simulation.runUntil(env.simulation.now() + 1_000);
    expect(batches).toContainEqual(["other"]);
    expect(batches).not.toContainEqual(["after-bad"]);
    env.simulation.runUntilIdle();
    expect(batches.filter((batch) => batch[0] === "bad-1")).toHaveLength(4);
    expect(batches.at(-1)).toEqual(["after-bad"]);
  });

  it("retries a throttled batch without counting it toward MaximumRetryAttempts", () => {
    const { env, deliveries, outcomes, put } = streamSetup({
      fn: {
        handler: scripted.sequence(
          [scripted.throttle(), scripted.throttle(), scripted.fail(), scripted.fail()],
          { per: "function" },
        ),
      },
      mapping: { batchSize: 1, maximumRetryAttempts: 1, ...onFailure },
    });
    put("a");
    env.simulation.runUntilIdle();
    const attempts = outcomes.all()[0]!.attempts.map((attempt) => attempt.result);
    expect(attempts).toEqual(["throttled", "throttled", "function-error", "function-error"]);
    expect((deliveries[0]!.record.requestContext as Record<string, unknown>).approximateInvokeCount).toBe(2);
  });

  it("waits 1 s doubling to a 12 s cap between retries, so a 60 s record age allows 8 invocations (as observed on AWS)", () => {
    const { env, deliveries, outcomes, put } = streamSetup({
      fn: { handler: scripted.fail() },
      mapping: { maximumRecordAgeInSeconds: 60, ...onFailure },
    });
    put("a");
    env.simulation.runUntilIdle();
    const starts = outcomes.all()[0]!.attempts.map((attempt) => attempt.startMs);
    expect(starts).toEqual([0, 1_000, 3_000, 7_000, 15_000, 27_000, 39_000, 51_000]);
    expect(deliveries[0]!.record).toEqual({
      requestContext: {
        requestId: expect.any(String),
        functionArn: "arn:aws:lambda:us-east-1:123456789012:function:consumer",
        condition: "RecordAgeExceeded",
        approximateInvokeCount: 8,
      },
      version: "1.0",
      timestamp: "1970-01-01T00:01:03.000Z",
      KinesisBatchInfo: expect.objectContaining({ batchSize: 1 }),
    });
  });

  it("discards records already too old when read (invoke count 1) and delivers the rest of the batch", () => {
    const { env, deliveries, batches, put } = streamSetup({
      fn: { handler: poison((data) => data === "stuck") },
      mapping: {
        batchSize: 10,
        maximumRecordAgeInSeconds: 60,
        maximumRetryAttempts: 10,
        retryBaseDelayMs: 10_000,
        retryMaxDelayMs: 10_000,
        ...onFailure,
      },
    });
    put("stuck");
    put("old", "k", 1);
    put("young", "k", 70_000);
    env.simulation.runUntilIdle();
    // "stuck" blocks the shard; by the time it is discarded, "old" is past 60 s and "young" is not.
    expect(batches.at(-1)).toEqual(["young"]);
    const conditions = deliveries.map(
      (delivery) => delivery.record.requestContext as Record<string, unknown>,
    );
    expect(conditions.map((context) => [context.condition, context.approximateInvokeCount])).toEqual([
      ["RecordAgeExceeded", 7],
      ["RecordAgeExceeded", 1],
    ]);
  });

  it("expires records past the DynamoDB stream's 24 h retention when retries never end", () => {
    const { env, stream, outcomes, deliveries } = streamSetup({
      kind: "dynamodb",
      fn: { handler: scripted.fail() },
      mapping: { retryBaseDelayMs: 3_600_000, retryMaxDelayMs: 3_600_000, ...onFailure },
    });
    (stream as DynamoDBStream).recordWrite({ newImage: { pk: { S: "x" } } });
    env.simulation.runUntilIdle();
    expect(outcomes.all()[0]).toMatchObject({ disposition: "expired", reason: "RetentionPeriodExceeded" });
    expect(outcomes.all()[0]!.attempts).toHaveLength(24);
    expect(deliveries).toEqual([]);
  });
});

describe("BisectBatchOnFunctionError", () => {
  it("splits first-half-first without using the retry quota, and isolates the poison record", () => {
    const { env, deliveries, batches, put, received, outcomes, mapping } = streamSetup({
      fn: { handler: poison((data) => data === "3") },
      mapping: { batchSize: 4, maximumRetryAttempts: 0, bisectBatchOnFunctionError: true, ...onFailure },
    });
    for (const data of ["1", "2", "3", "4"]) put(data);
    env.simulation.runUntilIdle();
    expect(batches).toEqual([["1", "2", "3", "4"], ["1", "2"], ["3", "4"], ["3"], ["4"]]);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.record).toMatchObject({
      requestContext: { approximateInvokeCount: 1 },
      KinesisBatchInfo: { batchSize: 1, startSequenceNumber: received[2]!.sequenceNumber },
    });
    expect(checkStreamInvariants(outcomes, mapping.source, received)).toEqual([]);
  });

  it("splits odd batches into ceil(n/2) + the rest and falls back to retries at batch size 1", () => {
    const { env, batches, put } = streamSetup({
      fn: { handler: poison((data) => data === "1") },
      mapping: { batchSize: 3, maximumRetryAttempts: 2, bisectBatchOnFunctionError: true },
    });
    for (const data of ["1", "2", "3"]) put(data);
    env.simulation.runUntilIdle();
    expect(batches).toEqual([["1", "2", "3"], ["1", "2"], ["1"], ["1"], ["1"], ["2"], ["3"]]);
  });
});

describe("ReportBatchItemFailures", () => {
  it("restarts the retry budget when the checkpoint advances (AWS: 6 records, batch 3, retries 3 → record #6 delivered 5 times)", () => {
    const { env, deliveries, batches, put, received } = streamSetup({
      fn: {
        handler: scripted.batchItemFailures(
          (record) => Buffer.from((record.kinesis as { data: string }).data, "base64").toString() === "6",
        ),
      },
      mapping: {
        batchSize: 3,
        maximumRetryAttempts: 3,
        functionResponseTypes: ["ReportBatchItemFailures"],
        ...onFailure,
      },
    });
    for (const data of ["1", "2", "3", "4", "5", "6"]) put(data);
    env.simulation.runUntilIdle();
    expect(batches.flat().filter((data) => data === "6")).toHaveLength(5);
    expect(batches.slice(0, 2)).toEqual([
      ["1", "2", "3"],
      ["4", "5", "6"],
    ]);
    expect(deliveries[0]!.record).toMatchObject({
      requestContext: { condition: "RetryAttemptsExhausted", approximateInvokeCount: 4 },
      responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: null },
      KinesisBatchInfo: {
        batchSize: 1,
        startSequenceNumber: received[5]!.sequenceNumber,
        endSequenceNumber: received[5]!.sequenceNumber,
      },
    });
  });

  const SUCCESS_SHAPES = [
    ["an empty list", { batchItemFailures: [] }],
    ["a null list", { batchItemFailures: null }],
    ["an empty object", {}],
    ["an empty list as the whole response", []],
    ["null", null],
    ["undefined", undefined],
  ] as const;

  it.each(SUCCESS_SHAPES)("on a DynamoDB stream too, treats %s as complete success", (_name, response) => {
    const { env, batches, put, outcomes } = streamSetup({
      kind: "dynamodb",
      fn: { handler: scripted.respond(response) },
      mapping: { functionResponseTypes: ["ReportBatchItemFailures"], maximumRetryAttempts: 0 },
    });
    put("a");
    put("b");
    env.simulation.runUntilIdle();
    expect(batches.flat()).toEqual(["a", "b"]);
    expect(outcomes.counts().byDisposition.processed).toBe(2);
  });

  it.each([
    ["an empty itemIdentifier", { batchItemFailures: [{ itemIdentifier: "" }] }],
    ["a null itemIdentifier", { batchItemFailures: [{ itemIdentifier: null }] }],
    ["an identifier not in the batch", { batchItemFailures: [{ itemIdentifier: "123" }] }],
  ])("on a DynamoDB stream too, treats %s as complete failure", (_name, response) => {
    const { env, batches, put } = streamSetup({
      kind: "dynamodb",
      fn: { handler: scripted.respond(response) },
      mapping: { functionResponseTypes: ["ReportBatchItemFailures"], maximumRetryAttempts: 1, ...onFailure },
    });
    put("a");
    put("b");
    env.simulation.runUntilIdle();
    expect(batches).toEqual([
      ["a", "b"],
      ["a", "b"],
    ]);
  });

  it.each(SUCCESS_SHAPES)("treats %s as complete success", (_name, response) => {
    const { env, batches, put, outcomes } = streamSetup({
      fn: { handler: scripted.respond(response) },
      mapping: { functionResponseTypes: ["ReportBatchItemFailures"], maximumRetryAttempts: 0 },
    });
    put("a");
    put("b");
    env.simulation.runUntilIdle();
    expect(batches).toEqual([["a", "b"]]);
    expect(outcomes.counts().byDisposition.processed).toBe(2);
  });

  it.each([
    ["an empty itemIdentifier", () => ({ batchItemFailures: [{ itemIdentifier: "" }] })],
    ["a null itemIdentifier", () => ({ batchItemFailures: [{ itemIdentifier: null }] })],
    ["a wrong key name", () => ({ batchItemFailures: [{ foo: "bar" }] })],
    ["an identifier not in the batch", () => ({ batchItemFailures: [{ itemIdentifier: "123" }] })],
    ["a non-array list", () => ({ batchItemFailures: "all" })],
    ["a string response", () => "ok"],
  ])("treats %s as complete failure, reported with functionError null", (_name, response) => {
    const { env, batches, put, deliveries } = streamSetup({
      fn: { handler: scripted.respond(response) },
      mapping: { functionResponseTypes: ["ReportBatchItemFailures"], maximumRetryAttempts: 1, ...onFailure },
    });
    put("a");
    put("b");
    env.simulation.runUntilIdle();
    expect(batches).toEqual([
      ["a", "b"],
      ["a", "b"],
    ]);
    expect(deliveries[0]!.record).toMatchObject({
      responseContext: { functionError: null },
      KinesisBatchInfo: { batchSize: 2 },
    });
  });

  it("ignores batchItemFailures when the mapping does not turn the feature on", () => {
    const { env, batches, put } = streamSetup({
      fn: { handler: scripted.batchItemFailures(() => true) },
      mapping: { maximumRetryAttempts: 0 },
    });
    put("a");
    env.simulation.runUntilIdle();
    expect(batches).toEqual([["a"]]);
  });

  it("takes the lowest reported sequence number as the checkpoint", () => {
    const { env, batches, put } = streamSetup({
      fn: {
        handler: scripted.sequence(
          [
            scripted.custom("reports 3 and 2", (event) => ({
              batchItemFailures: [2, 1].map((index) => ({
                itemIdentifier: (event as { Records: Array<{ kinesis: { sequenceNumber: string } }> })
                  .Records[index]!.kinesis.sequenceNumber,
              })),
            })),
            scripted.succeed(),
          ],
          { per: "function" },
        ),
      },
      mapping: { functionResponseTypes: ["ReportBatchItemFailures"] },
    });
    for (const data of ["1", "2", "3"]) put(data);
    env.simulation.runUntilIdle();
    expect(batches).toEqual([
      ["1", "2", "3"],
      ["2", "3"],
    ]);
  });
});

describe("batching and parallelization", () => {
  it("gathers records for the batching window, closes early at batchSize, and polls Kinesis once a second", () => {
    const { env, batches, put, outcomes } = streamSetup({
      fn: { handler: scripted.succeed() },
      mapping: { batchSize: 3, maximumBatchingWindowInSeconds: 5 },
    });
    put("a", "k", 100);
    put("b", "k", 2_000);
    put("c", "k", 9_000);
    put("d", "k", 9_100);
    put("e", "k", 9_200);
    put("f", "k", 9_300);
    env.simulation.runUntilIdle();
    expect(batches).toEqual([["a", "b"], ["c", "d", "e"], ["f"]]);
    const starts = outcomes.all().map((event) => event.attempts[0]!.startMs);
    // f's window ends at 14.3 s, between two polls: it is read at the next poll, 15 s.
    expect(starts).toEqual([6_000, 6_000, 10_000, 10_000, 10_000, 15_000]);
  });

  it("names the function's execution role as each Kinesis record's invokeIdentityArn", () => {
    const roleArn = "arn:aws:iam::123456789012:role/consumer-execution";
    const events: { Records: { invokeIdentityArn: string }[] }[] = [];
    const { env, put } = streamSetup({
      fn: { handler: (event) => void events.push(event as never), roleArn },
      mapping: {},
    });
    put("a");
    env.simulation.runUntilIdle();
    expect(events[0]?.Records[0]?.invokeIdentityArn).toBe(roleArn);
  });

  it("hands every invocation, retries included, records of its own, as Lambda's payload is decoded afresh each time", () => {
    const seen: string[] = [];
    const { env, put } = streamSetup({
      fn: {
        handler: (event) => {
          const record = (event as { Records: { kinesis: { data: string } }[] }).Records[0]!;
          seen.push(Buffer.from(record.kinesis.data, "base64").toString());
          // A handler that changes its event before failing must not change what the retry gets.
          record.kinesis.data = Buffer.from("changed").toString("base64");
          throw new Error("boom");
        },
      },
      mapping: { batchSize: 1, maximumRetryAttempts: 2 },
    });
    put("a");
    env.simulation.runUntilIdle();
    expect(seen).toEqual(["a", "a", "a"]);
  });

  it("answers PutRecord with the shard and its 56-digit sequence number, as properties and as JSON", () => {
    const { stream } = streamSetup({ fn: { handler: () => undefined }, mapping: {} });
    const kinesis = stream as KinesisStream;
    const first = kinesis.putRecord({ partitionKey: "k", data: "a" });
    const second = kinesis.putRecord({ partitionKey: "k", data: "b" });
    expect(first.shardId).toBe("shardId-000000000000");
    expect(first.sequenceNumber).toMatch(/^49000000\d{48}$/);
    expect(second.sequenceNumber > first.sequenceNumber).toBe(true);
    expect(JSON.parse(JSON.stringify(second))).toEqual({
      shardId: "shardId-000000000000",
      sequenceNumber: second.sequenceNumber,
    });
  });

  it("refuses a roleArn that is not an IAM role ARN", () => {
    expect(() =>
      streamSetup({ fn: { handler: scripted.succeed(), roleArn: "consumer-role" }, mapping: {} }),
    ).toThrow("roleArn must be an IAM role ARN");
  });

  it("reads a backlog at the next poll after a batch ends, never at the same instant", () => {
    const { env, put, outcomes } = streamSetup({
      fn: { handler: scripted.succeed({ durationMs: 2_300 }) },
      mapping: { batchSize: 1 },
    });
    for (const data of ["a", "b", "c"]) put(data, "k", 100);
    env.simulation.runUntilIdle();
    // Kinesis polls once a second: a at 1 s ends at 3.3 s, b is read at the 4 s poll, c at the 7 s poll.
    expect(outcomes.all().map((event) => event.attempts[0]!.startMs)).toEqual([1_000, 4_000, 7_000]);
  });

  it("keeps per-key order with ParallelizationFactor > 1 while a failing key blocks only its lane", () => {
    const { env, batches, put, outcomes, mapping, received } = streamSetup({
      fn: { handler: poison((data) => data === "bad") },
      mapping: { batchSize: 2, parallelizationFactor: 10, maximumRetryAttempts: 3 },
    });
    const keys = Array.from({ length: 12 }, (_, i) => `user-${i}`);
    put("bad", "user-0");
    for (let round = 0; round < 3; round++) for (const key of keys) put(`${key}-${round}`, key);
    env.simulation.runUntil(2_000);
    // The failing batch is "bad" plus the next user-0 record; nothing else of user-0 may pass it.
    const early = batches.filter((batch) => !batch.includes("bad")).flat();
    expect(early.filter((data) => data.startsWith("user-0-"))).toEqual([]);
    expect(early.length).toBeGreaterThan(20);
    env.simulation.runUntilIdle();
    expect(checkStreamInvariants(outcomes, mapping.source, received)).toEqual([]);
    const order = batches.flat().filter((data) => data.startsWith("user-5-"));
    expect(order).toEqual(["user-5-0", "user-5-1", "user-5-2"]);
  });

  it("reads only new records with LATEST and everything retained with TRIM_HORIZON", () => {
    const { env, batches, put } = streamSetup({
      fn: { handler: scripted.succeed() },
      mapping: { startingPosition: "LATEST" },
    });
    put("later");
    env.simulation.runUntilIdle();
    expect(batches).toEqual([["later"]]);
  });

  it("caps a batch at the 6 MB invocation payload", () => {
    const { env, batches, put } = streamSetup({
      fn: { handler: () => Reply.success(undefined) },
      mapping: { batchSize: 10, maximumBatchingWindowInSeconds: 1 },
    });
    const big = "x".repeat(1_000_000);
    for (let i = 0; i < 7; i++) put(`${i}${big}`);
    env.simulation.runUntilIdle();
    expect(batches.map((batch) => batch.length)).toEqual([4, 3]);
  });
});

describe("S3 on-failure destination", () => {
  it("adds the invocation's records as payload and names the object like AWS", () => {
    const bucket = "arn:aws:s3:::stream-failures";
    const { env, deliveries, put, mapping } = streamSetup({
      fn: { handler: scripted.fail() },
      mapping: {
        maximumRetryAttempts: 0,
        uuid: "esm-1",
        destinationConfig: { onFailure: { destination: bucket } },
      },
    });
    env.simulation.runUntil(Date.UTC(1970, 0, 1, 3, 4, 5));
    put("payload-1", "pk-1");
    env.simulation.runUntilIdle();
    const delivery = deliveries[0]!;
    expect(delivery.kind).toBe("s3");
    expect(delivery.objectKey).toMatch(
      /^aws\/lambda\/esm-1\/shardId-000000000000\/1970\/01\/01\/1970-01-01T03\.04\.05-[0-9a-f-]{36}$/,
    );
    const payload = delivery.record.payload as { Records: Array<Record<string, unknown>> };
    expect(payload.Records[0]).toMatchObject({
      kinesis: { partitionKey: "pk-1", data: Buffer.from("payload-1").toString("base64") },
      eventName: "aws:kinesis:record",
      invokeIdentityArn: "arn:aws:iam::123456789012:role/consumer-role",
    });
    expect(mapping.uuid).toBe("esm-1");
  });
});
