import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../src/engine/errors.js";
import { DynamoDBStream, type DynamoDBStreamOptions } from "../../src/streams/DynamoDBStream.js";
import { KinesisStream } from "../../src/streams/KinesisStream.js";
import { kinesisShardIndex, laneOf } from "../../src/streams/streamHash.js";
import { runtimeEnv } from "../helpers.js";

function ddb(options: Partial<DynamoDBStreamOptions> = {}) {
  const env = runtimeEnv();
  env.simulation.runUntil(1_657_720_081_400);
  const stream = new DynamoDBStream(env, {
    tableName: "my-table",
    keySchema: { partitionKey: "my_partition_key" },
    streamViewType: "NEW_IMAGE",
    ...options,
  });
  return { env, stream };
}

describe("DynamoDB stream records", () => {
  it("shapes an INSERT as Lambda delivers it, with SizeBytes by DynamoDB's item size rules", () => {
    const { stream } = ddb();
    const item = { my_partition_key: { S: "hello world" } };
    const entry = stream.recordWrite({ newImage: item })!;
    // The AWS-recorded example: key "my_partition_key" (16 bytes) + "hello world" (11), in Keys and NewImage.
    expect(entry.record).toEqual({
      eventID: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventName: "INSERT",
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: "us-east-1",
      dynamodb: {
        ApproximateCreationDateTime: 1_657_720_081,
        Keys: item,
        NewImage: item,
        SequenceNumber: entry.sequenceNumber,
        SizeBytes: 54,
        StreamViewType: "NEW_IMAGE",
      },
      eventSourceARN: "arn:aws:dynamodb:us-east-1:123456789012:table/my-table/stream/2022-07-13T13:48:01.400",
    });
    expect(entry.shardId).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/);
  });

  it.each([
    ["KEYS_ONLY", [], [], []],
    ["NEW_IMAGE", ["NewImage"], ["NewImage"], []],
    ["OLD_IMAGE", [], ["OldImage"], ["OldImage"]],
    ["NEW_AND_OLD_IMAGES", ["NewImage"], ["NewImage", "OldImage"], ["OldImage"]],
  ] as const)(
    "with %s carries the images INSERT %j, MODIFY %j, REMOVE %j",
    (view, insert, modify, remove) => {
      const { stream } = ddb({ streamViewType: view });
      const key = { my_partition_key: { S: "k" } };
      const v1 = { ...key, n: { N: "1" } };
      const v2 = { ...key, n: { N: "2" } };
      const images = (write: Parameters<DynamoDBStream["recordWrite"]>[0]) => {
        const dynamodb = stream.recordWrite(write)!.record.dynamodb as Record<string, unknown>;
        return ["NewImage", "OldImage"].filter((name) => name in dynamodb);
      };
      expect(images({ newImage: v1 })).toEqual(insert);
      expect(images({ oldImage: v1, newImage: v2 })).toEqual(modify);
      expect(images({ oldImage: v2 })).toEqual(remove);
      expect(stream.retained().map((entry) => entry.record.eventName)).toEqual([
        "INSERT",
        "MODIFY",
        "REMOVE",
      ]);
    },
  );

  it("writes no record for a write that changes nothing, and marks TTL deletions as the service's", () => {
    const { stream } = ddb({ streamViewType: "NEW_AND_OLD_IMAGES" });
    const item = { my_partition_key: { S: "k" }, a: { S: "x" }, b: { N: "1" } };
    const reordered = { b: { N: "1" }, a: { S: "x" }, my_partition_key: { S: "k" } };
    expect(stream.recordWrite({ oldImage: item, newImage: reordered })).toBeUndefined();
    const removed = stream.recordWrite({ oldImage: item, removedByTtl: true })!;
    expect(removed.record.userIdentity).toEqual({ type: "Service", principalId: "dynamodb.amazonaws.com" });
  });

  it("keeps sequence numbers growing within a shard and routes a partition key to one shard", () => {
    const { stream } = ddb({ shardCount: 4, keySchema: { partitionKey: "my_partition_key", sortKey: "sk" } });
    const entries = Array.from(
      { length: 40 },
      (_, i) =>
        stream.recordWrite({ newImage: { my_partition_key: { S: `p${i % 5}` }, sk: { N: String(i) } } })!,
    );
    for (const shard of stream.shards) {
      const seqs = shard.retained().map((entry) => entry.sequenceNumber);
      expect([...seqs].sort()).toEqual(seqs);
    }
    const shardOf = new Map<string, string>();
    for (const entry of entries) {
      const pk = (entry.record.dynamodb as { Keys: { my_partition_key: { S: string } } }).Keys
        .my_partition_key.S;
      expect(shardOf.get(pk) ?? entry.shardId).toBe(entry.shardId);
      shardOf.set(pk, entry.shardId);
    }
  });

  it.each([
    [{ newImage: { other: { S: "x" } } }, /no key attribute "my_partition_key"/],
    [{ newImage: { my_partition_key: { S: "x", N: "1" } } }, /exactly one of S, N/],
    [{ newImage: { my_partition_key: "plain" } }, /DynamoDB AttributeValue/],
    [
      { oldImage: { my_partition_key: { S: "a" } }, newImage: { my_partition_key: { S: "b" } } },
      /different keys/,
    ],
    [{}, /pass newImage \(INSERT\), oldImage \(REMOVE\) or both \(MODIFY\)/],
    [{ newImage: { my_partition_key: { S: "a" } }, colour: "red" }, /unknown option "colour"/],
  ])("rejects the write %j with a clear error", (write, message) => {
    const { stream } = ddb();
    expect(() => stream.recordWrite(write as never)).toThrow(ConfigurationError);
    expect(() => stream.recordWrite(write as never)).toThrow(message);
  });
});

describe("Kinesis stream records", () => {
  it("shapes a record as Lambda delivers it: base64 data, ms arrival, eventID shardId:sequence", () => {
    const env = runtimeEnv();
    env.simulation.runUntil(1_657_720_081_123);
    const stream = new KinesisStream(env, { streamName: "clicks", shardCount: 1, retentionPeriodHours: 48 });
    const { shardId, sequenceNumber } = stream.putRecord({ partitionKey: "user-1", data: '{"click":1}' });
    expect(sequenceNumber).toMatch(/^\d{56}$/);
    expect(stream.retained()[0]!.record).toEqual({
      kinesis: {
        kinesisSchemaVersion: "1.0",
        partitionKey: "user-1",
        sequenceNumber,
        data: Buffer.from('{"click":1}').toString("base64"),
        approximateArrivalTimestamp: 1_657_720_081.123,
      },
      eventSource: "aws:kinesis",
      eventVersion: "1.0",
      eventID: `${shardId}:${sequenceNumber}`,
      eventName: "aws:kinesis:record",
      invokeIdentityArn: "",
      awsRegion: "us-east-1",
      eventSourceARN: "arn:aws:kinesis:us-east-1:123456789012:stream/clicks",
    });
    expect(stream.retentionMs).toBe(48 * 3_600_000);
  });

  it("spreads partition keys over shards by MD5 range and honours an explicit hash key", () => {
    expect(kinesisShardIndex("any", 4, "0")).toBe(0);
    expect(kinesisShardIndex("any", 4, ((1n << 128n) - 1n).toString())).toBe(3);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[kinesisShardIndex(`key-${i}`, 4)]!++;
    for (const count of counts) expect(count).toBeGreaterThan(850);
    const lanes = new Set(Array.from({ length: 200 }, (_, i) => laneOf(`key-${i}`, 10)));
    expect(lanes.size).toBe(10);
    expect(laneOf("same", 10)).toBe(laneOf("same", 10));
  });

  it.each([
    [{ streamName: "bad name" }, "streamName"],
    [{ streamName: "s", shardCount: 0 }, "shardCount"],
    [{ streamName: "s", retentionPeriodHours: 23 }, "retentionPeriodHours"],
    [{ streamName: "s", retentionPeriodHours: 8761 }, "retentionPeriodHours"],
  ])("rejects stream options %j naming %s", (options, key) => {
    expect(() => new KinesisStream(runtimeEnv(), options)).toThrow(expect.objectContaining({ key }));
  });

  it("rejects records AWS would reject", () => {
    const stream = new KinesisStream(runtimeEnv(), { streamName: "s" });
    expect(() => stream.putRecord({ partitionKey: "", data: "x" })).toThrow(/1-256 characters/);
    expect(() => stream.putRecord({ partitionKey: "k", data: "x".repeat(1_048_577) })).toThrow(
      /at most 1 MiB/,
    );
    expect(() => stream.putRecord({ partitionKey: "k", data: "x", explicitHashKey: "-1" })).toThrow(/2\^128/);
  });
});
