import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  asyncHandler,
  NotFoundError,
  PARKED_EVENT_KIND,
  type ParkedEvent,
  ParkingError,
  SqsParker,
  sqsBatchHandler,
  ValidationError,
} from "../src/index.js";
import {
  fixedClock,
  lambdaContext,
  recordingLogger,
  snsEvent,
  sqsEvent,
  sqsRecord,
} from "./helpers/events.js";
import { type LocalSqs, startLocalSqs, TEST_CREDENTIALS, TEST_REGION } from "./helpers/localSqs.js";

let sqs: LocalSqs;
beforeAll(async () => {
  sqs = await startLocalSqs();
});
afterAll(async () => {
  await sqs.stop();
});

function parkedEntry(overrides: Partial<ParkedEvent> = {}): ParkedEvent {
  return {
    kind: PARKED_EVENT_KIND,
    version: 1,
    trigger: "sqs",
    record: sqsRecord('{"orderId":"o-1"}', { messageId: "m-1" }),
    errorName: "ValidationError",
    errorMessage: "amountCents must be positive",
    errorCode: "VALIDATION_FAILED",
    attempt: 1,
    receiveCount: 1,
    requestId: "req-1",
    messageId: "m-1",
    parkedAt: "2024-05-01T12:00:00.000Z",
    ...overrides,
  };
}

describe("SqsParker against a real SQS-compatible server", () => {
  it("sends the parked event as the JSON body, with Lambda-DLQ-style message attributes", async () => {
    const queueUrl = await sqs.createQueue("parked-standard");
    const entry = parkedEntry();
    await new SqsParker({ queueUrl, client: sqs.client }).park(entry);
    const [message, ...rest] = await sqs.receiveAll(queueUrl);
    expect(rest).toEqual([]);
    expect(JSON.parse(message!.Body!)).toEqual(entry);
    expect(message!.MessageAttributes).toEqual({
      ReboundErrorCode: { DataType: "String", StringValue: "VALIDATION_FAILED" },
      RequestID: { DataType: "String", StringValue: "req-1" },
      ErrorMessage: { DataType: "String", StringValue: "amountCents must be positive" },
    });
  });

  it("creates its own client on first use, honouring AWS_ENDPOINT_URL_SQS as the SDK does", async () => {
    const queueUrl = await sqs.createQueue("parked-env");
    vi.stubEnv("AWS_ENDPOINT_URL_SQS", sqs.endpoint);
    vi.stubEnv("AWS_REGION", TEST_REGION);
    vi.stubEnv("AWS_ACCESS_KEY_ID", TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", TEST_CREDENTIALS.secretAccessKey);
    try {
      await new SqsParker({ queueUrl }).park(parkedEntry({ messageId: "m-env" }));
    } finally {
      vi.unstubAllEnvs();
    }
    const messages = await sqs.receiveAll(queueUrl);
    expect(messages.map((m) => (JSON.parse(m.Body!) as ParkedEvent).messageId)).toEqual(["m-env"]);
  });

  it("truncates the ErrorMessage attribute to 1 KB, like Lambda's own DLQ, but keeps the full message in the body", async () => {
    const queueUrl = await sqs.createQueue("parked-long");
    const errorMessage = "é".repeat(1000);
    await new SqsParker({ queueUrl, client: sqs.client }).park(parkedEntry({ errorMessage }));
    const [message] = await sqs.receiveAll(queueUrl);
    const attribute = message!.MessageAttributes!.ErrorMessage!.StringValue!;
    expect(Buffer.byteLength(attribute)).toBeLessThanOrEqual(1024);
    expect(attribute).toBe("é".repeat(512));
    expect((JSON.parse(message!.Body!) as ParkedEvent).errorMessage).toBe(errorMessage);
  });

  it("gives a FIFO parking queue the message group and a deduplication id, so a repeated park is stored once", async () => {
    const queueUrl = await sqs.createQueue("parked.fifo", true);
    const parker = new SqsParker({ queueUrl, client: sqs.client });
    const entry = parkedEntry({ messageGroupId: "customer-7" });
    await parker.park(entry);
    await parker.park(entry);
    const messages = await sqs.receiveAll(queueUrl);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.Attributes).toMatchObject({
      MessageGroupId: "customer-7",
      MessageDeduplicationId: "m-1",
    });
  });

  it("rejects when SQS refuses the message, so the wrapper can let AWS retry", async () => {
    const parker = new SqsParker({
      queueUrl: `${sqs.endpoint}/123456789012/does-not-exist`,
      client: sqs.client,
    });
    await expect(parker.park(parkedEntry())).rejects.toThrow();
  });

  it.each([
    [
      "a queue name instead of a URL",
      { queueUrl: "parked" },
      /queueUrl must be an SQS queue URL \(received parked\)/,
    ],
    [
      "a client without send",
      { queueUrl: "https://sqs.eu-west-1.amazonaws.com/1/q", client: {} },
      /client must be an SQSClient/,
    ],
  ])("rejects %s when constructed", (_label, options, message) => {
    expect(() => new SqsParker(options as never)).toThrow(message);
  });
});

describe("wrappers parking through SQS end to end", () => {
  it("sqsBatchHandler parks a permanent failure in the queue given as { queueUrl } and reports nothing", async () => {
    const queueUrl = await sqs.createQueue("payments-dlq");
    vi.stubEnv("AWS_ENDPOINT_URL_SQS", sqs.endpoint);
    vi.stubEnv("AWS_REGION", TEST_REGION);
    vi.stubEnv("AWS_ACCESS_KEY_ID", TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", TEST_CREDENTIALS.secretAccessKey);
    const event = sqsEvent([
      sqsRecord('{"amountCents":-5}', { messageId: "bad", receiveCount: 1 }),
      sqsRecord('{"amountCents":5}', { messageId: "good" }),
    ]);
    let response: unknown;
    try {
      const wrapped = sqsBatchHandler(
        async (record) => {
          if ((JSON.parse(record.body) as { amountCents: number }).amountCents < 0) {
            throw new ValidationError("amountCents must be positive", { issues: ["amountCents"] });
          }
        },
        { parking: { queueUrl }, logger: recordingLogger(), clock: fixedClock },
      );
      response = await wrapped(event, lambdaContext("req-e2e"));
    } finally {
      vi.unstubAllEnvs();
    }
    expect(response).toEqual({ batchItemFailures: [] });
    const messages = await sqs.receiveAll(queueUrl);
    expect(messages.map((m) => JSON.parse(m.Body!))).toEqual([
      expect.objectContaining({
        trigger: "sqs",
        messageId: "bad",
        record: event.Records[0],
        requestId: "req-e2e",
      }),
    ]);
  });

  it("asyncHandler throws a ParkingError when the parking queue does not exist, so the event is retried", async () => {
    const parking = new SqsParker({ queueUrl: `${sqs.endpoint}/123456789012/missing`, client: sqs.client });
    const wrapped = asyncHandler(
      async () => {
        throw new NotFoundError("order gone");
      },
      { parking, logger: recordingLogger() },
    );
    const error = await wrapped(snsEvent("{}"), lambdaContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParkingError);
    expect((error as ParkingError).originalError).toBeInstanceOf(NotFoundError);
  });
});

describe("the AWS SDK stays an optional, lazily loaded peer", () => {
  it("imports the package and builds a parking wrapper where @aws-sdk/client-sqs cannot be resolved", async () => {
    const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
    const isolated = mkdtempSync(join(tmpdir(), "rebound-errors-"));
    try {
      cpSync(dist, join(isolated, "dist"), { recursive: true });
      const script = `
        const m = await import(${JSON.stringify(join(isolated, "dist", "index.js"))});
        m.sqsBatchHandler(async () => {}, { parking: { queueUrl: "https://sqs.eu-west-1.amazonaws.com/1/q" } });
        let loaded = "no";
        try { await import("@aws-sdk/client-sqs"); loaded = "resolvable"; } catch { loaded = "unresolvable"; }
        console.log(loaded);`;
      const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
        cwd: isolated,
      });
      expect(stdout.trim()).toBe("unresolvable");
    } finally {
      rmSync(isolated, { recursive: true, force: true });
    }
  });
});
