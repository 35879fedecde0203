import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  Disposition,
  InvariantChecker,
  InvariantViolationError,
  scripted,
  Topology,
} from "../../src/index.js";

const configuration = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  fifo: fc.boolean(),
  batchSize: fc.integer({ min: 1, max: 10 }),
  windowSeconds: fc.constantFrom(0, 0, 1, 5),
  maxReceiveCount: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  visibilityTimeoutSeconds: fc.integer({ min: 1, max: 60 }),
  reportBatchItemFailures: fc.boolean(),
  failFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  perItem: fc.boolean(),
  durationMs: fc.integer({ min: 0, max: 5_000 }),
  timeoutSeconds: fc.integer({ min: 1, max: 4 }),
  reservedConcurrency: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  maximumConcurrency: fc.option(fc.integer({ min: 2, max: 5 }), { nil: undefined }),
  messages: fc.array(
    fc.record({ atMs: fc.integer({ min: 0, max: 60_000 }), group: fc.constantFrom("a", "b", "c") }),
    {
      minLength: 1,
      maxLength: 40,
    },
  ),
  asyncEvents: fc.array(fc.integer({ min: 0, max: 600_000 }), { maxLength: 15 }),
  maximumRetryAttempts: fc.integer({ min: 0, max: 2 }),
  maximumEventAgeInSeconds: fc.integer({ min: 60, max: 21_600 }),
  withDestination: fc.boolean(),
  withDlq: fc.boolean(),
});

type Configuration = typeof configuration extends fc.Arbitrary<infer T> ? T : never;

function simulate(config: Configuration): { topology: Topology; checker: InvariantChecker } {
  const topology = new Topology({ seed: config.seed });
  const checker = new InvariantChecker(topology);
  const suffix = config.fifo ? ".fifo" : "";
  const fifo = config.fifo ? { fifoQueue: true, contentBasedDeduplication: true } : {};
  const dlq = topology.addQueue({ queueName: `dlq${suffix}`, ...fifo });
  const queue = topology.addQueue({
    queueName: `work${suffix}`,
    ...fifo,
    visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
    ...(config.maxReceiveCount !== undefined
      ? { redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: config.maxReceiveCount } }
      : {}),
  });
  const failures = topology.addQueue({ queueName: "failures" });
  const asyncDlq = topology.addQueue({ queueName: "async-dlq" });
  topology.addFunction({
    functionName: "worker",
    timeoutSeconds: config.timeoutSeconds,
    ...(config.reservedConcurrency !== undefined ? { reservedConcurrency: config.reservedConcurrency } : {}),
    handler: scripted.failFraction(config.failFraction, {
      perItem: config.perItem,
      durationMs: config.durationMs,
    }),
  });
  topology.addFunction({
    functionName: "mailer",
    timeoutSeconds: config.timeoutSeconds,
    ...(config.withDlq ? { deadLetterTargetArn: asyncDlq.arn } : {}),
    ...(config.reservedConcurrency !== undefined ? { reservedConcurrency: config.reservedConcurrency } : {}),
    handler: scripted.failFraction(config.failFraction, { durationMs: config.durationMs }),
  });
  topology.createEventSourceMapping({
    eventSourceArn: queue.arn,
    functionName: "worker",
    batchSize: config.batchSize,
    maximumBatchingWindowInSeconds: config.windowSeconds,
    functionResponseTypes: config.reportBatchItemFailures ? ["ReportBatchItemFailures"] : [],
    ...(config.maximumConcurrency !== undefined
      ? { scalingConfig: { maximumConcurrency: config.maximumConcurrency } }
      : {}),
  });
  topology.putFunctionEventInvokeConfig({
    functionName: "mailer",
    maximumRetryAttempts: config.maximumRetryAttempts,
    maximumEventAgeInSeconds: config.maximumEventAgeInSeconds,
    ...(config.withDestination ? { destinationConfig: { onFailure: { destination: failures.arn } } } : {}),
  });
  const start = topology.simulation.now();
  config.messages.forEach((message, index) => {
    topology.sendMessage(queue.queueName, `{"n":${index}}`, {
      atMs: start + message.atMs,
      ...(config.fifo ? { messageGroupId: message.group } : {}),
    });
  });
  for (const atMs of config.asyncEvents) topology.invokeAsync("mailer", { at: atMs }, { atMs: start + atMs });
  // Long enough for every retry policy to play out: 6 h of async age plus SQS redelivery.
  topology.run(start + 8 * 3_600_000);
  return { topology, checker };
}

describe("invariants over random configurations and failure patterns (fast-check prints the seed to reproduce)", () => {
  it("every event reaches exactly one final disposition or is still held, FIFO order holds, no delivery after deletion", () => {
    fc.assert(
      fc.property(configuration, (config) => {
        const { topology, checker } = simulate(config);
        expect(checker.violations()).toEqual([]);
        const counts = topology.outcomes.counts();
        expect(counts.settledTwice).toBe(0);
        // Nothing but messages parked in queues without a consumer may still be pending.
        const held = topology.heldEventIds();
        for (const id of topology.outcomes.pendingIds()) expect(held.has(id)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it("without a DLQ and with no failures, every message is processed exactly once", () => {
    fc.assert(
      fc.property(configuration, (config) => {
        const { topology } = simulate({
          ...config,
          failFraction: 0,
          reservedConcurrency: undefined,
          durationMs: 0,
        });
        const sqsEvents = topology.outcomes.all().filter((event) => event.source.startsWith("sqs:work"));
        expect(
          sqsEvents.every(
            (event) => event.disposition === Disposition.Processed && event.attempts.length === 1,
          ),
        ).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});

describe("InvariantChecker", () => {
  it("reports an event settled twice", () => {
    const topology = new Topology();
    const checker = new InvariantChecker(topology);
    const id = topology.outcomes.inject("test", "e-1");
    topology.outcomes.settle(id, Disposition.Processed);
    topology.outcomes.settle(id, Disposition.Dropped);
    expect(checker.violations().join("\n")).toMatch(/event 0 was settled twice/);
    expect(() => checker.assert()).toThrow(InvariantViolationError);
  });

  it("reports an event that no model holds and nothing settled: lost", () => {
    const topology = new Topology();
    const checker = new InvariantChecker(topology);
    topology.outcomes.inject("test", "e-1");
    expect(checker.violations().join("\n")).toMatch(/no final disposition and no model holds it: lost/);
  });

  it("reports a delivery after deletion and a FIFO delivery out of order", () => {
    const topology = new Topology();
    const checker = new InvariantChecker(topology);
    const trace = topology.trace;
    trace.emit("sqs:q.fifo", "send", { messageId: "m1", group: "g" });
    trace.emit("sqs:q.fifo", "send", { messageId: "m2", group: "g" });
    trace.emit("sqs:q.fifo", "deliver", { messageId: "m2", batch: "b1" });
    trace.emit("sqs:q", "send", { messageId: "x" });
    trace.emit("sqs:q", "deliver", { messageId: "x", batch: "b2" });
    trace.emit("sqs:q", "delete", { messageId: "x" });
    trace.emit("sqs:q", "deliver", { messageId: "x", batch: "b3" });
    const found = checker.violations().join("\n");
    expect(found).toMatch(/group g: m2 delivered while the earlier m1 is still queued/);
    expect(found).toMatch(/x delivered after it was deleted/);
  });
});
