import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { OrdersStack } from "../src/stacks/OrdersStack.js";

const fixtureBundle = join(dirname(fileURLToPath(import.meta.url)), "fixtures/bundle");

function synthOrders(): Record<string, Record<string, Record<string, unknown>>> {
  const app = Testing.app();
  const stack = new OrdersStack(app, "orders", {
    region: "eu-west-1",
    namePrefix: "test",
    bundleDirs: { "payments-worker": fixtureBundle },
  });
  return JSON.parse(Testing.synth(stack)).resource;
}

describe("OrdersStack", () => {
  it("redrives the payments queue to its DLQ after five receives", () => {
    const queues = Object.values(synthOrders().aws_sqs_queue ?? {});
    const source = queues.find((queue) => queue.name === "test-payments");
    expect(JSON.parse(String(source?.redrive_policy))).toEqual({
      deadLetterTargetArn: "${aws_sqs_queue.payments-dlq.arn}",
      maxReceiveCount: 5,
    });
  });

  it("maps the queue to the worker with partial batch responses", () => {
    const mappings = Object.values(synthOrders().aws_lambda_event_source_mapping ?? {});
    expect(mappings).toHaveLength(1);
    expect(mappings[0]).toMatchObject({
      function_response_types: ["ReportBatchItemFailures"],
      batch_size: 10,
    });
  });
});
