import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ConfigurationError,
  InvariantChecker,
  type LambdaContext,
  Reply,
  type Script,
  scripted,
  Topology,
} from "../../src/index.js";

const START = Date.UTC(2026, 0, 1);

function setup(options: {
  handler: Script | ((event: unknown, context: LambdaContext) => unknown);
  fifo?: boolean;
  maxReceiveCount?: number;
  visibilityTimeoutSeconds?: number;
  mapping?: Record<string, unknown>;
  reservedConcurrency?: number;
  timeoutSeconds?: number;
  retention?: number;
}) {
  const topology = new Topology({ seed: 11, startMs: START, trace: { collect: true } });
  const checker = new InvariantChecker(topology);
  const suffix = options.fifo ? ".fifo" : "";
  const dlq = topology.addQueue({ queueName: `dlq${suffix}`, ...(options.fifo ? { fifoQueue: true } : {}) });
  const queue = topology.addQueue({
    queueName: `q${suffix}`,
    ...(options.fifo ? { fifoQueue: true, contentBasedDeduplication: true } : {}),
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
    ...(options.retention !== undefined ? { messageRetentionPeriodSeconds: options.retention } : {}),
    ...(options.maxReceiveCount !== undefined
      ? { redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: options.maxReceiveCount } }
      : {}),
  });
  const fn = topology.addFunction({
    functionName: "worker",
    handler: options.handler,
    ...(options.reservedConcurrency !== undefined
      ? { reservedConcurrency: options.reservedConcurrency }
      : {}),
    ...(options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {}),
  });
  topology.createEventSourceMapping({
    eventSourceArn: queue.arn,
    functionName: "worker",
    ...options.mapping,
  });
  return { topology, queue, dlq, fn, checker };
}

/** Records every batch the function receives: virtual second, message bodies, receive counts. */
function recorder(
  respond: (event: { Records: Record<string, unknown>[] }, call: number) => unknown = () => undefined,
) {
  const calls: { bodies: string[]; receiveCounts: string[]; records: Record<string, unknown>[] }[] = [];
  const handler = (event: unknown): unknown => {
    const records = (event as { Records: Record<string, unknown>[] }).Records;
    calls.push({
      bodies: records.map((record) => record["body"] as string),
      receiveCounts: records.map(
        (record) => (record["attributes"] as Record<string, string>)["ApproximateReceiveCount"]!,
      ),
      records,
    });
    return respond(event as { Records: Record<string, unknown>[] }, calls.length);
  };
  return { calls, handler };
}

describe("SQS queue and event source mapping", () => {
  it("redelivers a failed message after the visibility timeout with the same id and a higher receive count", () => {
    const seen: { atS: number; messageId: string; count: string; receiptHandle: string }[] = [];
    const { topology } = setup({
      visibilityTimeoutSeconds: 45,
      handler: scripted.custom("fails once", (event, _context, env) => {
        const record = (event as { Records: Record<string, unknown>[] }).Records[0]!;
        const count = (record["attributes"] as Record<string, string>)["ApproximateReceiveCount"]!;
        seen.push({
          atS: (env.now() - START) / 1000,
          messageId: record["messageId"] as string,
          count,
          receiptHandle: record["receiptHandle"] as string,
        });
        return count === "1" ? Reply.error(new Error("transient")) : Reply.success();
      }),
    });
    const id = topology.sendMessage("q", "hello");
    topology.run();
    expect(seen.map(({ atS, messageId, count }) => ({ atS, messageId, count }))).toEqual([
      { atS: 0, messageId: id, count: "1" },
      { atS: 45, messageId: id, count: "2" },
    ]);
    expect(seen[0]!.receiptHandle).not.toBe(seen[1]!.receiptHandle);
    expect(topology.outcomes.byKey(id!)?.disposition).toBe("processed");
  });

  it("moves a message to the DLQ on the receive after maxReceiveCount, keeping its id, without invoking again", () => {
    const { calls, handler } = recorder(() => Reply.error(new Error("poison")));
    const { topology, dlq, checker } = setup({ maxReceiveCount: 2, handler });
    const id = topology.sendMessage("q", '{"poison":true}')!;
    topology.run(START + 600_000);
    expect(calls.map((call) => call.receiveCounts)).toEqual([["1"], ["2"]]);
    expect(dlq.messages().map((message) => [message.messageId, message.body])).toEqual([
      [id, '{"poison":true}'],
    ]);
    const outcome = topology.outcomes.byKey(id)!;
    expect(outcome.disposition).toBe("dead-lettered");
    expect(outcome.target).toBe(dlq.arn);
    expect(outcome.attempts.map((attempt) => [attempt.receiveCount, attempt.result])).toEqual([
      [1, "function-error"],
      [2, "function-error"],
    ]);
    expect(
      topology.trace
        .lines()
        .some((line) => line.includes(`sqs:q redrive messageId=${id} receiveCount=2 to=dlq`)),
    ).toBe(true);
    expect(checker.violations()).toEqual([]);
  });

  it("hands the function records shaped like Lambda's SQS event", () => {
    const { calls, handler } = recorder();
    const { topology, queue } = setup({ handler });
    const id = topology.sendMessage("q", "body-1", {
      messageAttributes: { kind: { DataType: "String", StringValue: "order" } },
    });
    topology.run();
    const record = calls[0]!.records[0]!;
    expect(Object.keys(record)).toEqual([
      "messageId",
      "receiptHandle",
      "body",
      "attributes",
      "messageAttributes",
      "md5OfBody",
      "md5OfMessageAttributes",
      "eventSource",
      "eventSourceARN",
      "awsRegion",
    ]);
    expect(record).toMatchObject({
      messageId: id,
      body: "body-1",
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: String(START),
        ApproximateFirstReceiveTimestamp: String(START),
      },
      messageAttributes: {
        kind: { stringValue: "order", stringListValues: [], binaryListValues: [], dataType: "String" },
      },
      md5OfBody: createHash("md5").update("body-1").digest("hex"),
      eventSource: "aws:sqs",
      eventSourceARN: queue.arn,
      awsRegion: "us-east-1",
    });
  });

  it("batches up to batchSize and starts at most maximumConcurrency batches at once", () => {
    let running = 0;
    let peak = 0;
    const sizes: number[] = [];
    const { topology } = setup({
      mapping: { batchSize: 5, scalingConfig: { maximumConcurrency: 2 } },
      handler: scripted.custom("counts concurrency", (event) => {
        sizes.push((event as { Records: unknown[] }).Records.length);
        running++;
        peak = Math.max(peak, running);
        return Reply.success(undefined, { durationMs: 1_000 });
      }),
    });
    // The handler runs at the start of each invocation; decrement at its end through the trace.
    topology.trace.listen((_t, source, kind) => {
      if (source === "lambda:worker" && kind === "end") running--;
    });
    for (let i = 0; i < 23; i++) topology.sendMessage("q", `m${i}`);
    topology.run();
    expect(sizes).toEqual([5, 5, 5, 5, 3]);
    expect(peak).toBe(2);
  });

  it("waits for the batching window to fill a batch, from the first message received", () => {
    const starts: number[] = [];
    const { topology } = setup({
      mapping: { batchSize: 100, maximumBatchingWindowInSeconds: 20 },
      handler: scripted.custom("records starts", (event, _context, env) => {
        starts.push(((env.now() - START) / 1000) * 1000 + (event as { Records: unknown[] }).Records.length);
        return undefined;
      }),
    });
    topology.sendMessage("q", "a");
    topology.sendMessage("q", "b", { atMs: START + 5_000 });
    topology.sendMessage("q", "c", { atMs: START + 30_000 });
    topology.run();
    // 2 messages at t=20 s (window from t=0), then 1 at t=50 s.
    expect(starts).toEqual([20_000 + 2, 50_000 + 1]);
  });

  it.each([
    ["deletes every message when the response is empty", () => ({}), []],
    ["deletes every message when the response is an empty list", () => [], []],
    ["deletes every message when the response is null", () => null, []],
    ["deletes every message when batchItemFailures is an empty list", () => ({ batchItemFailures: [] }), []],
    ["deletes every message when batchItemFailures is null", () => ({ batchItemFailures: null }), []],
    [
      "retries the whole batch when an itemIdentifier is null",
      () => ({ batchItemFailures: [{ itemIdentifier: null }] }),
      [["m1", "m2", "m3"]],
    ],
    [
      "retries the whole batch when an entry has no itemIdentifier",
      () => ({ batchItemFailures: [{ foo: "notvalid" }] }),
      [["m1", "m2", "m3"]],
    ],
    [
      "retries the whole batch when the response is JSON text, not an object",
      () => '{"batchItemFailures":[]}',
      [["m1", "m2", "m3"]],
    ],
    ["retries only the reported items", () => ({ batchItemFailures: [{ itemIdentifier: "ID2" }] }), [["m2"]]],
    [
      "retries the whole batch when an itemIdentifier is empty",
      () => ({ batchItemFailures: [{ itemIdentifier: "" }] }),
      [["m1", "m2", "m3"]],
    ],
    [
      "retries the whole batch when an itemIdentifier is not in the batch",
      () => ({ batchItemFailures: [{ itemIdentifier: "other" }] }),
      [["m1", "m2", "m3"]],
    ],
    [
      "retries the whole batch when the function throws",
      () => Reply.error(new Error("x")),
      [["m1", "m2", "m3"]],
    ],
  ])("with ReportBatchItemFailures %s", (_name, respond, expectedRetries) => {
    let first = true;
    const retried: string[][] = [];
    const { topology } = setup({
      mapping: { functionResponseTypes: ["ReportBatchItemFailures"] },
      handler: scripted.custom("responds once", (event) => {
        const records = (event as { Records: Record<string, string>[] }).Records;
        if (!first) {
          retried.push(records.map((record) => record["body"]!));
          return undefined;
        }
        first = false;
        const response = respond();
        if (response instanceof Reply) return response;
        // ID2 stands for the second record's message id.
        return JSON.parse(JSON.stringify(response).replace("ID2", records[1]!["messageId"]!));
      }),
    });
    for (const body of ["m1", "m2", "m3"]) topology.sendMessage("q", body);
    topology.run(START + 600_000);
    expect(retried).toEqual(expectedRetries);
  });

  it("ignores batchItemFailures when ReportBatchItemFailures is off: the batch succeeded", () => {
    const { calls, handler } = recorder((event) => ({
      batchItemFailures: [{ itemIdentifier: event.Records[0]!["messageId"] }],
    }));
    const { topology } = setup({ handler });
    topology.sendMessage("q", "m1");
    topology.run();
    expect(calls).toHaveLength(1);
    expect(topology.outcomes.counts().byDisposition.processed).toBe(1);
  });

  it("treats a timeout as a failure of the whole batch", () => {
    const { topology } = setup({
      timeoutSeconds: 2,
      handler: scripted.succeed({ durationMs: 5_000 }),
      maxReceiveCount: 1,
    });
    topology.sendMessage("q", "slow");
    topology.run(START + 600_000);
    const outcome = topology.outcomes.all().find((event) => event.source === "sqs:q")!;
    expect(outcome.attempts[0]?.result).toBe("timeout");
    expect(outcome.disposition).toBe("dead-lettered");
  });

  it("counts throttled receives toward maxReceiveCount, so throttles alone can dead-letter a message", () => {
    const { topology, fn, dlq } = setup({
      handler: scripted.throttle(),
      maxReceiveCount: 2,
      visibilityTimeoutSeconds: 30,
    });
    const id = topology.sendMessage("q", "never runs")!;
    topology.run(START + 3_600_000);
    expect(fn.invocations).toBe(0);
    expect(dlq.messages().map((message) => message.messageId)).toEqual([id]);
  });

  it("FIFO: delivers a group in order and one batch of a group at a time, other groups in parallel", () => {
    const batches: string[][] = [];
    const { topology, checker } = setup({
      fifo: true,
      mapping: { batchSize: 2 },
      handler: scripted.custom("records", (event) => {
        batches.push(
          (event as { Records: Record<string, string>[] }).Records.map((record) => record["body"]!),
        );
        return Reply.success(undefined, { durationMs: 1_000 });
      }),
    });
    for (const [group, body] of [
      ["a", "a1"],
      ["a", "a2"],
      ["b", "b1"],
      ["a", "a3"],
      ["b", "b2"],
      ["a", "a4"],
    ] as const) {
      topology.sendMessage("q.fifo", body, { messageGroupId: group });
    }
    topology.run();
    expect(batches).toEqual([
      ["a1", "a2"],
      ["b1", "b2"],
      ["a3", "a4"],
    ]);
    expect(checker.violations()).toEqual([]);
  });

  it("FIFO: a failed batch blocks its group until its retries end", () => {
    const batches: string[] = [];
    const { topology } = setup({
      fifo: true,
      mapping: { batchSize: 1 },
      visibilityTimeoutSeconds: 10,
      maxReceiveCount: 2,
      handler: scripted.custom("a1 fails", (event, _context, env) => {
        const body = (event as { Records: Record<string, string>[] }).Records[0]!["body"]!;
        batches.push(`${(env.now() - START) / 1000}:${body}`);
        return body === "a1" ? Reply.error(new Error("no")) : undefined;
      }),
    });
    topology.sendMessage("q.fifo", "a1", { messageGroupId: "a" });
    topology.sendMessage("q.fifo", "a2", { messageGroupId: "a" });
    topology.run(START + 600_000);
    expect(batches).toEqual(["0:a1", "10:a1", "20:a2"]);
  });

  it("FIFO: drops a duplicate sent within the deduplication interval", () => {
    const { topology, queue } = setup({ fifo: true, handler: scripted.succeed() });
    expect(topology.sendMessage("q.fifo", "same", { messageGroupId: "g" })).toBeDefined();
    expect(topology.sendMessage("q.fifo", "same", { messageGroupId: "g" })).toBeUndefined();
    expect(queue.size).toBe(1);
  });

  it("expires messages past the retention period with no consumer able to take them", () => {
    const { topology } = setup({ handler: scripted.succeed(), retention: 60, mapping: { enabled: false } });
    const id = topology.sendMessage("q", "old")!;
    // Retention is housekeeping: run() stops before it, run(untilMs) past it expires the message.
    topology.run();
    expect(topology.outcomes.byKey(id)?.disposition).toBeUndefined();
    topology.run(START + 61_000);
    expect(topology.outcomes.byKey(id)?.disposition).toBe("expired");
  });

  it("delays a message by delaySeconds before anyone can receive it", () => {
    const at: number[] = [];
    const { topology } = setup({
      handler: scripted.custom("time", (_e, _c, env) => void at.push(env.now() - START)),
    });
    topology.sendMessage("q", "later", { delaySeconds: 90 });
    topology.run();
    expect(at).toEqual([90_000]);
  });

  it.each([
    [
      { batchSize: 11 },
      /needs a batching window.*"Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"/s,
    ],
    [
      { batchSize: 10_001, maximumBatchingWindowInSeconds: 1 },
      /batchSize must be an integer from 1 to 10000/,
    ],
    [{ maximumBatchingWindowInSeconds: 301 }, /0 to 300/],
    [{ scalingConfig: { maximumConcurrency: 1 } }, /maximumConcurrency must be an integer from 2 to 1000/],
    [{ functionResponseTypes: ["ReportBatchItemFailure"] }, /functionResponseTypes must be/],
    [{ maximumRetryAttempts: 2 }, /stream .* setting; SQS mappings do not take it/],
    [{ destinationConfig: { onFailure: {} } }, /Unsupported DestinationConfig parameter/],
    [{ batchSzie: 5 }, /unknown option "batchSzie"/],
  ])("rejects the mapping %j with AWS's rule", (mapping, message) => {
    expect(() => setup({ handler: scripted.succeed(), mapping })).toThrow(ConfigurationError);
    expect(() => setup({ handler: scripted.succeed(), mapping })).toThrow(message);
  });

  it("rejects batch size 11 on a FIFO queue even with a window", () => {
    expect(() =>
      setup({
        fifo: true,
        handler: scripted.succeed(),
        mapping: { batchSize: 11, maximumBatchingWindowInSeconds: 5 },
      }),
    ).toThrow(/batchSize must be an integer from 1 to 10, got 11 \(AWS: for FIFO queues/);
  });

  it("rejects a second mapping of the same queue and function", () => {
    const { topology, queue } = setup({ handler: scripted.succeed() });
    expect(() =>
      topology.createEventSourceMapping({ eventSourceArn: queue.arn, functionName: "worker" }),
    ).toThrow(/ResourceConflictException/);
  });

  it.each([
    [{ queueName: "q.fifo" }, /only a FIFO queue/],
    [{ queueName: "q", fifoQueue: true }, /must end with .fifo/],
    [{ queueName: "q", visibilityTimeoutSeconds: 43_201 }, /0 to 43200/],
    [{ queueName: "q", messageRetentionPeriodSeconds: 30 }, /60 to 1209600/],
    [
      {
        queueName: "q",
        redrivePolicy: { deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:d", maxReceiveCount: 0 },
      },
      /maxReceiveCount must be an integer from 1 to 1000/,
    ],
  ])("rejects the queue %j", (config, message) => {
    expect(() => new Topology().addQueue(config as never)).toThrow(message);
  });

  it("rejects a FIFO queue whose DLQ is standard, naming the rule, before the run", () => {
    const topology = new Topology();
    const dlq = topology.addQueue({ queueName: "dlq" });
    topology.addQueue({
      queueName: "q.fifo",
      fifoQueue: true,
      redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 },
    });
    expect(() => topology.validate()).toThrow(/dead-letter queue of a FIFO queue must also be a FIFO queue/);
  });
});

describe("messages SQS moved to a dead-letter queue", () => {
  it("carry the source queue's ARN as DeadLetterQueueSourceArn, and fresh messages do not", () => {
    const topology = new Topology({ seed: 3 });
    const dlq = topology.addQueue({ queueName: "jobs-dlq" });
    const source = topology.addQueue({
      queueName: "jobs",
      visibilityTimeoutSeconds: 10,
      redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 },
    });
    const seen: Record<string, string | undefined>[] = [];
    topology.addFunction({ functionName: "worker", handler: scripted.fail() });
    topology.addFunction({
      functionName: "alerts",
      handler: scripted.custom("records the attributes it gets", (event) => {
        const records = (event as { Records: { attributes: Record<string, string> }[] }).Records;
        for (const record of records) seen.push({ ...record.attributes });
        return null;
      }),
    });
    topology.createEventSourceMapping({ eventSourceArn: source.arn, functionName: "worker" });
    topology.createEventSourceMapping({ eventSourceArn: dlq.arn, functionName: "alerts" });
    topology.sendMessage("jobs", "poison");
    topology.sendMessage("jobs-dlq", "sent straight to the DLQ");
    topology.run();
    expect(seen.map((attributes) => attributes.DeadLetterQueueSourceArn).sort()).toEqual([
      source.arn,
      undefined,
    ]);
  });
});
