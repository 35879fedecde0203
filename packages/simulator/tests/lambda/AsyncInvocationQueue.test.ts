import { describe, expect, it } from "vitest";
import {
  ConfigurationError,
  InvariantChecker,
  type LambdaHandler,
  Reply,
  type Script,
  scripted,
  Topology,
} from "../../src/index.js";

const START = Date.UTC(2026, 0, 1);

function setup(
  handler: Script | LambdaHandler,
  fn: { reservedConcurrency?: number; deadLetterTargetArn?: string } = {},
) {
  const topology = new Topology({ seed: 5, startMs: START, trace: { collect: true } });
  const checker = new InvariantChecker(topology);
  const failures = topology.addQueue({ queueName: "failures" });
  const successes = topology.addQueue({ queueName: "successes" });
  const dlq = topology.addQueue({ queueName: "receipts-dlq" });
  // Attempts as the trace shows them: every invoke that started, or was throttled, at its virtual second.
  const attempts: { atS: number; requestId: string }[] = [];
  topology.trace.listen((timeMs, source, kind, fields) => {
    if (source === "lambda:receipts" && (kind === "start" || kind === "throttle")) {
      attempts.push({ atS: (timeMs - START) / 1000, requestId: fields["requestId"] as string });
    }
  });
  const created = topology.addFunction({
    functionName: "receipts",
    handler,
    ...(fn.reservedConcurrency !== undefined ? { reservedConcurrency: fn.reservedConcurrency } : {}),
    ...(fn.deadLetterTargetArn !== undefined ? { deadLetterTargetArn: fn.deadLetterTargetArn } : {}),
  });
  return { topology, checker, failures, successes, dlq, attempts, fn: created };
}

describe("async invocation", () => {
  it("retries a failing event twice, 60 s then 120 s after each failure, with the same request id", () => {
    const { topology, attempts, checker } = setup(scripted.fail());
    const requestId = topology.invokeAsync("receipts", { orderId: 1 });
    topology.run();
    expect(attempts).toEqual([
      { atS: 0, requestId },
      { atS: 60, requestId },
      { atS: 180, requestId },
    ]);
    expect(topology.outcomes.byKey(requestId)).toMatchObject({
      disposition: "dropped",
      reason: "RetriesExhausted",
    });
    expect(checker.violations()).toEqual([]);
  });

  it("hands each retry the event as sent, whatever the handler did to its own copy", () => {
    const bodies: unknown[] = [];
    const { topology } = setup((event) => {
      const payload = event as { body: unknown };
      bodies.push(payload.body);
      // As a JSON body parser does: the event's text body becomes an object.
      payload.body = JSON.parse(payload.body as string);
      throw new Error("mail provider down");
    });
    const event = { body: '{"orderId":"o-1"}' };
    topology.invokeAsync("receipts", event);
    topology.run();
    expect(bodies).toEqual(['{"orderId":"o-1"}', '{"orderId":"o-1"}', '{"orderId":"o-1"}']);
    expect(event.body).toBe('{"orderId":"o-1"}');
  });

  it("refuses an event JSON cannot carry, naming the function, and takes no concurrency for it", () => {
    const { topology, fn } = setup(() => undefined);
    expect(() => fn.invoke({ amount: 10n }, "r-1", () => undefined)).toThrow(
      /receipts: the event cannot be sent as a Lambda payload \(.*BigInt.*\); a payload is JSON/,
    );
    expect(topology.simulation.now()).toBe(START);
    expect(fn.running).toBe(0);
    expect(fn.invocations).toBe(0);
  });

  it.each([
    [0, 1],
    [1, 2],
    [2, 3],
  ])("with maximumRetryAttempts %i runs an always-failing event %i time(s)", (maximumRetryAttempts, runs) => {
    const { topology, attempts } = setup(scripted.fail());
    topology.putFunctionEventInvokeConfig({ functionName: "receipts", maximumRetryAttempts });
    topology.invokeAsync("receipts", {});
    topology.run();
    expect(attempts).toHaveLength(runs);
  });

  it.each([
    [60, 1, 0],
    [90, 2, 60],
    [21_600, 3, 180],
  ])(
    "with maximumEventAgeInSeconds %i checks the age before scheduling a retry: %i attempt(s), failure at %i s",
    (maximumEventAgeInSeconds, runs, failedAtS) => {
      const { topology, attempts, failures } = setup(scripted.fail());
      topology.putFunctionEventInvokeConfig({
        functionName: "receipts",
        maximumEventAgeInSeconds,
        destinationConfig: { onFailure: { destination: failures.arn } },
      });
      topology.invokeAsync("receipts", {});
      topology.run(START + 600_000);
      expect(attempts).toHaveLength(runs);
      const [message] = failures.messages();
      const record = JSON.parse(message!.body);
      expect(record.requestContext.condition).toBe(runs === 3 ? "RetriesExhausted" : "EventAgeExceeded");
      expect(record.requestContext.approximateInvokeCount).toBe(runs);
      expect((message!.sentMs - START) / 1000).toBe(failedAtS);
    },
  );

  it("sends the exact on-failure record to an SQS destination", () => {
    const { topology, failures, fn } = setup(
      scripted.fail({ errorType: "MailDown", errorMessage: "smtp 421" }),
    );
    topology.putFunctionEventInvokeConfig({
      functionName: "receipts",
      maximumRetryAttempts: 1,
      destinationConfig: { onFailure: { destination: failures.arn } },
    });
    const requestId = topology.invokeAsync("receipts", { orderId: 7 });
    topology.run();
    const body = failures.messages()[0]!.body;
    expect(JSON.parse(body)).toEqual({
      version: "1.0",
      timestamp: "2026-01-01T00:01:00.000Z",
      requestContext: {
        requestId,
        functionArn: `${fn.arn}:$LATEST`,
        condition: "RetriesExhausted",
        approximateInvokeCount: 2,
      },
      requestPayload: { orderId: 7 },
      responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
      responsePayload: {
        errorType: "MailDown",
        errorMessage: "smtp 421",
        trace: ["MailDown: smtp 421", "    at scripted (rebound:scripted)"],
      },
    });
    // Keys in AWS's order.
    expect(Object.keys(JSON.parse(body))).toEqual([
      "version",
      "timestamp",
      "requestContext",
      "requestPayload",
      "responseContext",
      "responsePayload",
    ]);
    expect(topology.outcomes.byKey(requestId)).toMatchObject({
      disposition: "sent-to-destination",
      target: failures.arn,
    });
  });

  it("sends the on-success record without functionError", () => {
    const { topology, successes } = setup(scripted.succeed({ payload: { sent: true } }));
    topology.putFunctionEventInvokeConfig({
      functionName: "receipts",
      destinationConfig: { onSuccess: { destination: successes.arn } },
    });
    topology.invokeAsync("receipts", { orderId: 1 });
    topology.run();
    const record = JSON.parse(successes.messages()[0]!.body);
    expect(record.requestContext).toMatchObject({ condition: "Success", approximateInvokeCount: 1 });
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: "$LATEST" });
    expect(record.responsePayload).toEqual({ sent: true });
  });

  it("reports a timeout as Sandbox.Timedout in the record", () => {
    const { topology, failures } = setup(scripted.succeed({ durationMs: 10_000 }));
    topology.putFunctionEventInvokeConfig({
      functionName: "receipts",
      maximumRetryAttempts: 0,
      destinationConfig: { onFailure: { destination: failures.arn } },
    });
    const requestId = topology.invokeAsync("receipts", {});
    topology.run();
    expect(JSON.parse(failures.messages()[0]!.body).responsePayload).toEqual({
      errorType: "Sandbox.Timedout",
      errorMessage: `RequestId: ${requestId} Error: Task timed out after 3.00 seconds`,
    });
  });

  it("with reserved concurrency 0 sends the event straight to failure, never invoking", () => {
    const { topology, failures, attempts } = setup(scripted.succeed(), { reservedConcurrency: 0 });
    topology.putFunctionEventInvokeConfig({
      functionName: "receipts",
      destinationConfig: { onFailure: { destination: failures.arn } },
    });
    topology.invokeAsync("receipts", {});
    topology.run();
    expect(attempts).toHaveLength(0);
    const record = JSON.parse(failures.messages()[0]!.body);
    expect(record.requestContext).toMatchObject({
      condition: "ZeroReservedConcurrency",
      approximateInvokeCount: 0,
    });
    expect(Object.keys(record)).toEqual(["version", "timestamp", "requestContext", "requestPayload"]);
  });

  it("retries throttles with backoff from 1 s that does not use up retries", () => {
    const { topology, attempts } = setup(
      scripted.sequence([
        scripted.throttle(),
        scripted.throttle(),
        scripted.throttle(),
        scripted.fail(),
        scripted.succeed(),
      ]),
    );
    topology.putFunctionEventInvokeConfig({ functionName: "receipts", maximumRetryAttempts: 1 });
    const requestId = topology.invokeAsync("receipts", {});
    topology.run();
    // Throttled at 0, 1, 3 s; runs and fails at 7 s; retried 60 s later and succeeds.
    expect(attempts.map((attempt) => attempt.atS)).toEqual([0, 1, 3, 7, 67]);
    expect(topology.outcomes.byKey(requestId)).toMatchObject({ disposition: "processed" });
    const throttles = topology.outcomes
      .byKey(requestId)!
      .attempts.filter((attempt) => attempt.result === "throttled");
    expect(throttles).toHaveLength(3);
  });

  it("gives up on an always-throttled event when the next backoff would pass its maximum age", () => {
    const { topology, failures } = setup(scripted.throttle());
    topology.putFunctionEventInvokeConfig({
      functionName: "receipts",
      maximumEventAgeInSeconds: 60,
      destinationConfig: { onFailure: { destination: failures.arn } },
    });
    topology.invokeAsync("receipts", {});
    topology.run();
    const message = failures.messages()[0]!;
    // Attempts at 0, 1, 3, 7, 15, 31 s; the next (63 s) would pass 60 s.
    expect((message.sentMs - START) / 1000).toBe(31);
    const record = JSON.parse(message.body);
    expect(record.requestContext).toMatchObject({ condition: "EventAgeExceeded", approximateInvokeCount: 0 });
    expect(record.responseContext).toBeUndefined();
  });

  it("writes the original event and AWS's attributes to the function DLQ", () => {
    const { topology, dlq } = setup(scripted.fail({ errorMessage: "x".repeat(2000) }), {
      deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:receipts-dlq",
    });
    const requestId = topology.invokeAsync("receipts", { orderId: 3 });
    topology.run();
    const [message] = dlq.messages();
    expect(message!.body).toBe('{"orderId":3}');
    expect(message!.messageAttributes).toEqual({
      ErrorCode: { DataType: "Number", StringValue: "200" },
      ErrorMessage: { DataType: "String", StringValue: "x".repeat(1024) },
      RequestID: { DataType: "String", StringValue: requestId },
    });
    expect(topology.outcomes.byKey(requestId)).toMatchObject({
      disposition: "dead-lettered",
      reason: "RetriesExhausted",
    });
  });

  it("with both a DLQ and an on-failure destination sends to both (Rebound's documented choice)", () => {
    const { topology, dlq, failures } = setup(scripted.fail(), {
      deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:receipts-dlq",
    });
    topology.putFunctionEventInvokeConfig({
      functionName: "receipts",
      maximumRetryAttempts: 0,
      destinationConfig: { onFailure: { destination: failures.arn } },
    });
    const requestId = topology.invokeAsync("receipts", {});
    topology.run();
    expect(dlq.messages()).toHaveLength(1);
    expect(failures.messages()).toHaveLength(1);
    const outcome = topology.outcomes.byKey(requestId)!;
    expect(outcome.disposition).toBe("sent-to-destination");
    expect(outcome.alsoSentTo?.[0]?.target).toBe(dlq.arn);
  });

  it("delivers records to EventBridge as a Lambda destination event", () => {
    const { topology, fn } = setup(scripted.fail());
    const bus = topology.addEventBus({ name: "orders" });
    topology.putFunctionEventInvokeConfig({
      functionName: "receipts",
      maximumRetryAttempts: 0,
      destinationConfig: { onFailure: { destination: bus.arn } },
    });
    topology.invokeAsync("receipts", { mode: "failure" });
    topology.run();
    expect(bus.events[0]).toMatchObject({
      version: "0",
      "detail-type": "Lambda Function Invocation Result - Failure",
      source: "lambda",
      account: "123456789012",
      time: "2026-01-01T00:00:00Z",
      region: "us-east-1",
      resources: [bus.arn, `${fn.arn}:$LATEST`],
      detail: { requestContext: { condition: "RetriesExhausted" }, requestPayload: { mode: "failure" } },
    });
  });

  it("invokes a Lambda destination asynchronously with the record as its event", () => {
    const { topology } = setup(scripted.fail());
    const seen: unknown[] = [];
    const alerts = topology.addFunction({
      functionName: "alerts",
      handler: (event) => void seen.push(event),
    });
    topology.putFunctionEventInvokeConfig({
      functionName: "receipts",
      maximumRetryAttempts: 0,
      destinationConfig: { onFailure: { destination: alerts.arn } },
    });
    topology.invokeAsync("receipts", {});
    topology.run();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ requestContext: { condition: "RetriesExhausted" } });
  });

  it("update merges while put replaces the configuration", () => {
    const { topology } = setup(scripted.succeed());
    topology.putFunctionEventInvokeConfig({
      functionName: "receipts",
      maximumRetryAttempts: 1,
      maximumEventAgeInSeconds: 120,
    });
    topology.updateFunctionEventInvokeConfig({ functionName: "receipts", maximumRetryAttempts: 0 });
    expect(topology.asyncQueue("receipts").maximumEventAgeInSeconds).toBe(120);
    topology.putFunctionEventInvokeConfig({ functionName: "receipts", maximumRetryAttempts: 0 });
    expect(topology.asyncQueue("receipts").maximumEventAgeInSeconds).toBe(21_600);
  });

  it.each([
    [
      { maximumRetryAttempts: 3 },
      /maximumRetryAttempts must be an integer from 0 to 2, got 3 .*less than or equal to 2/,
    ],
    [{ maximumRetryAttempts: -1 }, /from 0 to 2/],
    [{ maximumEventAgeInSeconds: 59 }, /from 60 to 21600/],
    [{ maximumEventAgeInSeconds: 21_601 }, /from 60 to 21600/],
    [{}, /You must specify at least one of error handling or destination setting/],
    [{ destinationConfig: { onSuccess: { destination: "arn:aws:s3:::bucket" } } }, /S3 is on-failure only/],
    [
      {
        destinationConfig: {
          onFailure: { destination: "arn:aws:lambda:us-east-1:123456789012:function:receipts" },
        },
      },
      /can't specify the function as a destination for itself/,
    ],
    [{ maximumRetryAttempt: 1 }, /unknown option "maximumRetryAttempt"/],
  ])("rejects the event invoke config %j", (config, message) => {
    const { topology } = setup(scripted.succeed());
    const put = () => topology.putFunctionEventInvokeConfig({ functionName: "receipts", ...config } as never);
    expect(put).toThrow(ConfigurationError);
    expect(put).toThrow(message);
  });

  it("keeps Reply available to real handlers that report a duration", () => {
    const topology = new Topology({ startMs: START });
    topology.addFunction({
      functionName: "f",
      timeoutSeconds: 1,
      handler: () => Reply.success("late", { durationMs: 1_500 }),
    });
    const id = topology.invokeAsync("f", {});
    topology.run();
    expect(topology.outcomes.byKey(id)?.attempts.map((attempt) => attempt.result)).toEqual([
      "timeout",
      "timeout",
      "timeout",
    ]);
  });
});
