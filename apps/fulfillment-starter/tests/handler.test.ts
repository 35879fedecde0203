import { SFNClient } from "@aws-sdk/client-sfn";
import {
  type AwsAnswer,
  type AwsCall,
  drainQueue,
  type FakeAwsService,
  type LocalSqs,
  lambdaContext,
  sqsEvent,
  sqsRecord,
  startJsonService,
  startSqs,
  TEST_AWS,
} from "@rebound/testing";
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFulfillmentStarter } from "../src/createFulfillmentStarter.js";
import { executionName } from "../src/fulfillmentMessage.js";
import { WorkflowStarter } from "../src/WorkflowStarter.js";

const STATE_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:fulfillment";
let sqs: LocalSqs;
let sfn: FakeAwsService;
/** Step Functions as it behaves: one execution per name; the same name again → ExecutionAlreadyExists. */
const executions = new Map<string, string>();
function stepFunctions(call: AwsCall): AwsAnswer {
  if (call.input["stateMachineArn"] !== STATE_MACHINE_ARN) {
    return {
      error: { type: "StateMachineDoesNotExist", message: "State Machine Does Not Exist", status: 400 },
    };
  }
  const name = String(call.input["name"]);
  if (executions.has(name)) {
    return {
      error: { type: "ExecutionAlreadyExists", message: `Execution Already Exists: '${name}'`, status: 400 },
    };
  }
  executions.set(name, String(call.input["input"]));
  return {
    output: {
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:fulfillment:${name}`,
      startDate: 1_704_110_400,
    },
  };
}

beforeAll(async () => {
  sqs = await startSqs({ "fulfillment-dlq": {} });
  sfn = await startJsonService(stepFunctions);
  process.env["AWS_ENDPOINT_URL_SQS"] = sqs.endpoint;
  process.env["AWS_REGION"] = TEST_AWS.region;
  process.env["AWS_ACCESS_KEY_ID"] = "test";
  process.env["AWS_SECRET_ACCESS_KEY"] = "test";
});
afterAll(async () => {
  await Promise.all([sqs.stop(), sfn.stop()]);
});
beforeEach(async () => {
  executions.clear();
  sfn.calls.length = 0;
  sfn.answer(stepFunctions);
  await drainQueue(sqs.endpoint, sqs.queueUrls["fulfillment-dlq"]!);
});

function setup(stateMachineArn = STATE_MACHINE_ARN) {
  const handler = createFulfillmentStarter({
    starter: new WorkflowStarter({
      client: new SFNClient({ ...TEST_AWS, endpoint: sfn.endpoint, maxAttempts: 1 }),
      stateMachineArn,
    }),
    parking: { queueUrl: sqs.queueUrls["fulfillment-dlq"]! },
  });
  return (...records: SQSRecord[]) =>
    handler(sqsEvent(...records), lambdaContext("fulfillment-starter")) as Promise<SQSBatchResponse>;
}
const message = (orderId: string) => sqsRecord(JSON.stringify({ orderId }), { queue: "fulfillment" });
const dlq = async () =>
  (await drainQueue(sqs.endpoint, sqs.queueUrls["fulfillment-dlq"]!)).map((m) => JSON.parse(m.body));

describe("fulfillment starter", () => {
  it("starts one execution named after the message id, with the order as input", async () => {
    const run = setup();
    const record = message("ord_1");

    expect(await run(record)).toEqual({ batchItemFailures: [] });
    expect(sfn.calls).toHaveLength(1);
    expect(sfn.calls[0]).toMatchObject({
      operation: "StartExecution",
      input: { stateMachineArn: STATE_MACHINE_ARN, name: record.messageId, input: '{"orderId":"ord_1"}' },
    });
  });

  it("treats ExecutionAlreadyExists on a redelivered message as success and starts nothing new", async () => {
    const run = setup();
    const record = message("ord_1");
    await run(record);
    const redelivered = { ...record, attributes: { ...record.attributes, ApproximateReceiveCount: "2" } };

    expect(await run(redelivered)).toEqual({ batchItemFailures: [] });
    expect(executions.size).toBe(1);
    expect(await dlq()).toEqual([]);
  });

  it.each([
    ["throttled", { type: "ThrottlingException", message: "Rate exceeded", status: 400 }],
    ["failing", { type: "InternalServerError", message: "oops", status: 500 }],
  ])("reports the message as failed when Step Functions is %s, so SQS redelivers it", async (_n, error) => {
    const run = setup();
    const [bad, good] = [message("ord_1"), message("ord_2")];
    sfn.answer((call) => (call.input["input"].includes("ord_1") ? { error } : stepFunctions(call)));

    expect(await run(bad, good)).toEqual({ batchItemFailures: [{ itemIdentifier: bad.messageId }] });
    expect([...executions.keys()]).toEqual([good.messageId]);
    expect(await dlq()).toEqual([]);
  });

  it.each([
    ["a body that is not JSON", "ord_1"],
    ["a body without orderId", '{"order":"ord_1"}'],
  ])("parks %s in the DLQ and starts nothing", async (_n, body) => {
    const run = setup();
    const record = sqsRecord(body, { queue: "fulfillment" });

    expect(await run(record)).toEqual({ batchItemFailures: [] });
    expect(sfn.calls).toEqual([]);
    expect(await dlq()).toEqual([
      expect.objectContaining({
        trigger: "sqs",
        messageId: record.messageId,
        record: expect.objectContaining({ body }),
      }),
    ]);
  });

  it("parks the message when the state machine does not exist (configuration, not a transient fault)", async () => {
    const run = setup("arn:aws:states:us-east-1:123456789012:stateMachine:typo");
    const record = message("ord_1");

    expect(await run(record)).toEqual({ batchItemFailures: [] });
    expect(await dlq()).toEqual([expect.objectContaining({ errorName: "StateMachineDoesNotExist" })]);
  });

  it("keeps the original message id when a parked message is redriven, so it cannot start twice", async () => {
    const run = setup();
    const original = message("ord_1");
    await run(original);
    const envelope = JSON.stringify({
      kind: "rebound.parked-event",
      version: 1,
      trigger: "sqs",
      record: original,
    });

    expect(await run(sqsRecord(envelope, { queue: "fulfillment" }))).toEqual({ batchItemFailures: [] });
    expect(executions.size).toBe(1);
  });
});

describe("executionName", () => {
  it.each([
    ["059f36b4-87a3-44ab-83d2-661975830a7d", "059f36b4-87a3-44ab-83d2-661975830a7d"],
    ["a.b:c", "a_b_c"],
    ["x".repeat(100), "x".repeat(80)],
  ])("turns %s into %s", (id, name) => {
    expect(executionName(id)).toBe(name);
  });
});
