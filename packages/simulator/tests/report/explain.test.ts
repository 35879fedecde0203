import { describe, expect, it } from "vitest";
import { explainStack } from "../../src/report/explain.js";
import { TerraformJson } from "../../src/terraform/TerraformJson.js";

const stack = new TerraformJson({
  resource: {
    aws_sqs_queue: {
      dlq: { name: "payments-dlq" },
      source: {
        name: "payments",
        visibility_timeout_seconds: 60,
        redrive_policy: JSON.stringify({
          deadLetterTargetArn: "${aws_sqs_queue.dlq.arn}",
          maxReceiveCount: 5,
        }),
      },
      failures: { name: "events-failures" },
    },
    aws_dynamodb_table: { orders: { name: "orders", stream_enabled: true } },
    aws_sns_topic: { events: { name: "order-events" } },
    aws_lambda_function: {
      worker: { function_name: "payments-worker", timeout: 10 },
      streamer: { function_name: "order-events", timeout: 5 },
      receipts: { function_name: "receipts" },
      lonely: { function_name: "lonely" },
    },
    aws_lambda_event_source_mapping: {
      worker: {
        function_name: "${aws_lambda_function.worker.arn}",
        event_source_arn: "${aws_sqs_queue.source.arn}",
        batch_size: 10,
        function_response_types: ["ReportBatchItemFailures"],
      },
      streamer: {
        function_name: "${aws_lambda_function.streamer.function_name}",
        event_source_arn: "${aws_dynamodb_table.orders.stream_arn}",
        maximum_retry_attempts: 3,
        maximum_record_age_in_seconds: 3600,
        bisect_batch_on_function_error: true,
        destination_config: [{ on_failure: [{ destination_arn: "${aws_sqs_queue.failures.arn}" }] }],
      },
    },
    aws_sns_topic_subscription: {
      receipts: {
        protocol: "lambda",
        topic_arn: "${aws_sns_topic.events.arn}",
        endpoint: "${aws_lambda_function.receipts.arn}",
      },
    },
    aws_lambda_function_event_invoke_config: {
      receipts: { function_name: "${aws_lambda_function.receipts.function_name}", maximum_retry_attempts: 1 },
    },
  },
});

describe("explainStack", () => {
  const byName = Object.fromEntries(explainStack(stack).map((policy) => [policy.functionName, policy]));

  it("explains an SQS worker with its receive limit, visibility timeout and DLQ", () => {
    expect(byName["payments-worker"]?.triggers).toEqual([
      expect.stringContaining(
        "received at most 5 times, 60 s apart (about 5 min in all), then moved to DLQ payments-dlq",
      ),
    ]);
  });

  it("explains a stream consumer's attempts, age limit, bisect and destination", () => {
    const [trigger] = byName["order-events"]?.triggers ?? [];
    expect(trigger).toContain("DynamoDB stream of table orders");
    expect(trigger).toContain("tried at most 4 times, split in half on error");
    expect(trigger).toContain("records older than 1 h are not processed but sent on as failures");
    expect(trigger).toContain("failed records go to SQS queue events-failures");
  });

  it("explains async retries and says when failed events are lost", () => {
    expect(byName.receipts?.triggers).toEqual([
      expect.stringMatching(
        /^async \(SNS topic order-events\): 2 attempts \(waits 60 s\).*nowhere: they are lost$/,
      ),
    ]);
    expect(byName.receipts?.timeoutSeconds).toBe(3);
  });

  it("says when a function has no trigger", () => {
    expect(byName.lonely?.triggers).toEqual(["no trigger in this configuration"]);
  });
});
