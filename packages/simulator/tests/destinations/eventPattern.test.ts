import { describe, expect, it } from "vitest";
import { matchesEventPattern, parseEventPattern } from "../../src/destinations/eventPattern.js";

// The event of EventBridge's user guide ("Amazon EventBridge event patterns"), an EC2 state change.
const EC2_EVENT = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  detail: { "instance-id": "i-1234567890abcdef0", state: "terminated", count: 5, tags: ["a", "b"] },
};

const pattern = (value: unknown) => parseEventPattern(JSON.stringify(value), "rule");

describe("EventBridge event patterns", () => {
  it.each([
    [
      "exact values (any of a list)",
      { source: ["aws.ec2"], detail: { state: ["running", "terminated"] } },
      true,
    ],
    ["a value not in the list", { detail: { state: ["running"] } }, false],
    ["a value of an array field", { detail: { tags: ["b"] } }, true],
    ["prefix", { "detail-type": [{ prefix: "EC2 Instance" }] }, true],
    ["suffix", { "detail-type": [{ suffix: "Notification" }] }, true],
    ["anything-but a value", { detail: { state: [{ "anything-but": "running" }] } }, true],
    [
      "anything-but a list that holds it",
      { detail: { state: [{ "anything-but": ["terminated", "stopped"] }] } },
      false,
    ],
    ["anything-but a prefix", { source: [{ "anything-but": { prefix: "aws." } }] }, false],
    ["exists true", { detail: { "instance-id": [{ exists: true }] } }, true],
    ["exists false on a missing field", { detail: { "c-count": [{ exists: false }] } }, true],
    ["exists false on a present field", { detail: { state: [{ exists: false }] } }, false],
    ["numeric range", { detail: { count: [{ numeric: [">", 0, "<=", 5] }] } }, true],
    ["numeric range missed", { detail: { count: [{ numeric: [">", 5] }] } }, false],
    ["equals-ignore-case", { detail: { state: [{ "equals-ignore-case": "TERMINATED" }] } }, true],
    ["a missing field", { detail: { other: ["x"] } }, false],
  ])("%s", (_, rule, expected) => {
    expect(matchesEventPattern(pattern(rule), EC2_EVENT)).toBe(expected);
  });

  it("matches Lambda's failure record on a bus by source and detail-type", () => {
    const failure = pattern({
      source: ["lambda"],
      "detail-type": ["Lambda Function Invocation Result - Failure"],
    });
    expect(
      matchesEventPattern(failure, {
        source: "lambda",
        "detail-type": "Lambda Function Invocation Result - Failure",
      }),
    ).toBe(true);
    expect(
      matchesEventPattern(failure, {
        source: "lambda",
        "detail-type": "Lambda Function Invocation Result - Success",
      }),
    ).toBe(false);
  });

  it.each([
    [{ source: "lambda" }, 'event_pattern source must be a list of values (e.g. ["lambda"])'],
    [{ source: [{ wildcard: "lam*" }] }, 'the filter {"wildcard":"lam*"} is not modelled by Rebound'],
    [{ $or: [{ source: ["a"] }] }, "$or is not modelled by Rebound"],
    [{ detail: { n: [{ numeric: [">", "x"] }] } }, "numeric takes pairs"],
    [{ source: [{ "anything-but": { suffix: "x" } }] }, "anything-but of"],
  ])("refuses %j, naming what is not modelled", (rule, message) => {
    expect(() => pattern(rule)).toThrow(message);
  });

  it("refuses a pattern that is not JSON", () => {
    expect(() => parseEventPattern("{source:", "aws_cloudwatch_event_rule.x")).toThrow(
      /aws_cloudwatch_event_rule\.x: event_pattern is not JSON/,
    );
  });
});
