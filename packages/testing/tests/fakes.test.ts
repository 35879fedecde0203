import { describe, expect, it } from "vitest";
import {
  lambdaContext,
  sqsEvent,
  sqsRecord,
  startFakeApi,
  startJsonService,
  startQueryService,
} from "../src/index.js";

describe("startJsonService", () => {
  it("decodes X-Amz-Target and answers outputs and AWS JSON errors", async () => {
    const fake = await startJsonService(() => ({ output: { Parameter: { Value: "x" } } }));
    try {
      const post = () =>
        fetch(fake.endpoint, {
          method: "POST",
          headers: { "x-amz-target": "AmazonSSM.GetParameter", "content-type": "application/x-amz-json-1.1" },
          body: JSON.stringify({ Name: "/a" }),
        });
      const ok = await post();
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ Parameter: { Value: "x" } });
      fake.answer(() => ({ error: { type: "ThrottlingException", message: "slow", status: 400 } }));
      const failed = await post();
      expect(failed.status).toBe(400);
      expect(await failed.json()).toEqual({ __type: "ThrottlingException", message: "slow" });
      expect(fake.calls).toEqual([
        { operation: "GetParameter", input: { Name: "/a" } },
        { operation: "GetParameter", input: { Name: "/a" } },
      ]);
    } finally {
      await fake.stop();
    }
  });
});

describe("startQueryService", () => {
  it("decodes form Action and answers XML", async () => {
    const fake = await startQueryService(() => ({ output: { MessageId: "m<1>" } }));
    try {
      const response = await fetch(fake.endpoint, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "Action=Publish&TopicArn=arn%3At&Message=hi",
      });
      const xml = await response.text();
      expect(xml).toContain("<PublishResult><MessageId>m&lt;1&gt;</MessageId></PublishResult>");
      expect(fake.calls[0]).toEqual({
        operation: "Publish",
        input: { Action: "Publish", TopicArn: "arn:t", Message: "hi" },
      });
    } finally {
      await fake.stop();
    }
  });
});

describe("startFakeApi", () => {
  it("records requests and plays the scripted answer", async () => {
    const api = await startFakeApi((request) => ({ status: 201, body: { echo: request.body } }));
    try {
      const response = await fetch(`${api.url}/charges`, { method: "POST", body: '{"a":1}' });
      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({ echo: { a: 1 } });
      expect(api.requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
        { method: "POST", path: "/charges", body: { a: 1 } },
      ]);
    } finally {
      await api.stop();
    }
  });
});

describe("event factories", () => {
  it("builds a Lambda context and SQS events", () => {
    const context = lambdaContext("fn", { memoryLimitInMB: "512" });
    expect(context.invokedFunctionArn).toBe("arn:aws:lambda:us-east-1:123456789012:function:fn");
    expect(context.memoryLimitInMB).toBe("512");
    expect(context.getRemainingTimeInMillis()).toBe(30_000);
    const event = sqsEvent(sqsRecord("{}", { receiveCount: 2, queue: "q", messageId: "m-1" }));
    expect(event.Records[0]).toMatchObject({
      messageId: "m-1",
      body: "{}",
      attributes: { ApproximateReceiveCount: "2" },
      eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:q",
    });
  });
});
