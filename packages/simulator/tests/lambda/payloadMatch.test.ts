import { describe, expect, it } from "vitest";
import {
  eventMatches,
  parseJsonPath,
  readJsonPath,
  recordContent,
  recordMatches,
} from "../../src/lambda/payloadMatch.js";

const sqs = (body: string) => ({ messageId: "m-1", body, attributes: { ApproximateReceiveCount: "1" } });
const kinesis = (data: unknown) => ({
  kinesis: { sequenceNumber: "1", data: Buffer.from(JSON.stringify(data)).toString("base64") },
});

describe("JSON paths", () => {
  it("parses $, names, indexes and quoted names, and refuses the rest", () => {
    expect(parseJsonPath("$")).toEqual([]);
    expect(parseJsonPath('$.items[0].sku["x-key"]')).toEqual(["items", 0, "sku", "x-key"]);
    for (const bad of ["orderId", "$.", "$..a", "$.items[*]", "$[?(@.a)]", "$.a b"])
      expect(parseJsonPath(bad), bad).toBeUndefined();
  });

  it("reads through strings that hold JSON, and says when a step is missing", () => {
    const value = { body: '{"order":{"items":[{"sku":"A"}]}}', n: 0, none: null };
    expect(readJsonPath(value, ["body", "order", "items", 0, "sku"])).toEqual({ found: true, value: "A" });
    expect(readJsonPath(value, ["n"])).toEqual({ found: true, value: 0 });
    expect(readJsonPath(value, ["none"])).toEqual({ found: true, value: null });
    expect(readJsonPath(value, ["body", "order", "items", 1])).toEqual({ found: false });
    expect(readJsonPath(value, ["missing"])).toEqual({ found: false });
    expect(readJsonPath({ text: "not json {" }, ["text", "a"])).toEqual({ found: false });
    // An inherited key is not a key of the record.
    expect(readJsonPath({}, ["constructor"])).toEqual({ found: false });
  });
});

describe("record content", () => {
  it("is the SQS body, the SNS message, the decoded Kinesis data, the DynamoDB part, or the record", () => {
    expect(recordContent(sqs('{"job":1}'))).toBe('{"job":1}');
    expect(recordContent({ Sns: { Message: "hello", MessageId: "s-1" } })).toBe("hello");
    expect(recordContent(kinesis({ n: 2 }))).toBe('{"n":2}');
    const dynamodb = { NewImage: { status: { S: "paid" } } };
    expect(recordContent({ dynamodb, eventName: "INSERT" })).toBe(dynamodb);
    expect(recordContent({ detail: { a: 1 } })).toEqual({ detail: { a: 1 } });
  });
});

describe("matching", () => {
  it("matches a path that equals a value, in each kind of record", () => {
    expect(recordMatches({ path: "$.job", equals: 2 }, sqs('{"job":2}'))).toBe(true);
    expect(recordMatches({ path: "$.job", equals: 2 }, sqs('{"job":3}'))).toBe(false);
    expect(recordMatches({ path: "$.job", equals: "2" }, sqs('{"job":2}'))).toBe(false);
    expect(recordMatches({ path: "$.n", equals: 2 }, kinesis({ n: 2 }))).toBe(true);
    expect(
      recordMatches(
        { path: "$.NewImage.status.S", equals: "paid" },
        { dynamodb: { NewImage: { status: { S: "paid" } } } },
      ),
    ).toBe(true);
    expect(recordMatches({ path: "$.items", equals: [{ sku: "A" }] }, { items: [{ sku: "A" }] })).toBe(true);
    // A JSON string compared with a structured value is compared parsed.
    expect(recordMatches({ path: "$", equals: { job: 2 } }, sqs('{"job":2}'))).toBe(true);
  });

  it("matches presence and absence", () => {
    expect(recordMatches({ path: "$.retry", exists: true }, sqs('{"retry":false}'))).toBe(true);
    expect(recordMatches({ path: "$.retry", exists: false }, sqs('{"retry":false}'))).toBe(false);
    expect(recordMatches({ path: "$.retry", exists: false }, sqs('{"job":1}'))).toBe(true);
  });

  it("matches text anywhere in the record as delivered", () => {
    expect(recordMatches({ contains: "m-1" }, sqs("{}"))).toBe(true);
    expect(recordMatches({ contains: "poison" }, sqs("{}"))).toBe(false);
  });

  it("matches an event when any of its records does, or the event itself when it is not a batch", () => {
    const batch = { Records: [sqs('{"job":1}'), sqs('{"job":2}')] };
    expect(eventMatches({ path: "$.job", equals: 2 }, batch)).toBe(true);
    expect(eventMatches({ path: "$.job", equals: 3 }, batch)).toBe(false);
    expect(eventMatches({ path: "$.orderId", equals: "o-1" }, { orderId: "o-1" })).toBe(true);
    expect(eventMatches({ path: "$.body.orderId", equals: "o-1" }, { body: '{"orderId":"o-1"}' })).toBe(true);
    expect(eventMatches({ path: "$.a", exists: true }, null)).toBe(false);
  });
});
