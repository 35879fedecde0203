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
        scaling_config: [{ maximum_concurrency: 4 }],
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
    expect(trigger).toContain("given 3 retries (4 attempts), split in half on error");
    expect(trigger).toContain("records older than 1 h are not processed but sent on as failures");
    expect(trigger).toContain("failed records go to SQS queue events-failures");
  });

  it("explains async retries and says when failed events are lost", () => {
    expect(byName.receipts?.triggers).toEqual([
      expect.stringMatching(
        /^async \(SNS topic order-events\): 1 retry \(2 attempts\) \(waits 60 s\); events older than 6 h are dropped;.*nowhere: they are lost$/,
      ),
    ]);
    expect(byName.receipts?.timeoutSeconds).toBe(3);
  });

  it("shows an SQS mapping's maximum concurrency", () => {
    expect(byName["payments-worker"]?.triggers[0]).toContain("at most 4 concurrent invocations");
  });

  it("says expired async events go to the on-failure destination when there is one", () => {
    const withDestination = new TerraformJson({
      resource: {
        aws_sqs_queue: { failures: { name: "receipts-failures" } },
        aws_lambda_function: { receipts: { function_name: "receipts" } },
        aws_lambda_function_event_invoke_config: {
          receipts: {
            function_name: "${aws_lambda_function.receipts.function_name}",
            maximum_retry_attempts: 0,
            maximum_event_age_in_seconds: 120,
            destination_config: { on_failure: { destination: "${aws_sqs_queue.failures.arn}" } },
          },
        },
      },
    });
    const [trigger] = explainStack(withDestination)[0]?.triggers ?? [];
    expect(trigger).toContain("0 retries (1 attempt)");
    expect(trigger).toContain("events older than 2 min go to on-failure destination receipts-failures");
  });

  it("shows Step Functions retriers with retries and attempts, MaxDelaySeconds and JitterStrategy", () => {
    const machine = new TerraformJson({
      resource: {
        aws_lambda_function: { charge: { function_name: "charge" } },
        aws_sfn_state_machine: {
          flow: {
            name: "flow",
            definition: JSON.stringify({
              StartAt: "Charge",
              States: {
                Charge: {
                  Type: "Task",
                  Resource: "${aws_lambda_function.charge.arn}",
                  Retry: [
                    { ErrorEquals: ["Busy"], MaxAttempts: 1, MaxDelaySeconds: 9, JitterStrategy: "FULL" },
                    { ErrorEquals: ["States.ALL"], IntervalSeconds: 3, BackoffRate: 1.5 },
                  ],
                  End: true,
                },
              },
            }),
          },
        },
      },
    });
    const [trigger] = explainStack(machine)[0]?.triggers ?? [];
    expect(trigger).toContain(
      "Busy: 1 retry (2 attempts), waits from 1 s, backoff rate 2, each wait capped at 9 s, full jitter",
    );
    expect(trigger).toContain("States.ALL: 3 retries (4 attempts), waits from 3 s, backoff rate 1.5;");
    expect(trigger).not.toContain("×");
  });

  it("shows the HTTP API stage's throttling", () => {
    const api = new TerraformJson({
      resource: {
        aws_lambda_function: { api: { function_name: "api" } },
        aws_apigatewayv2_integration: { api: { integration_uri: "${aws_lambda_function.api.invoke_arn}" } },
        aws_apigatewayv2_stage: {
          main: {
            name: "$default",
            default_route_settings: [{ throttling_rate_limit: 20, throttling_burst_limit: 40 }],
          },
        },
      },
    });
    const [trigger] = explainStack(api)[0]?.triggers ?? [];
    expect(trigger).toContain(
      "stage $default throttles at 20 requests/s, burst 40 (the caller gets 429, not retried)",
    );
  });

  it("names the routes that need a JWT and the 502/504 a caller sees for a slow function", () => {
    const api = new TerraformJson({
      resource: {
        aws_lambda_function: { api: { function_name: "api", timeout: 60 } },
        aws_apigatewayv2_integration: {
          api: { integration_uri: "${aws_lambda_function.api.invoke_arn}", timeout_milliseconds: 29_000 },
        },
        aws_apigatewayv2_authorizer: {
          jwt: {
            authorizer_type: "JWT",
            identity_sources: ["$request.header.Authorization"],
            jwt_configuration: [{ issuer: "https://auth.example.com/", audience: ["orders"] }],
          },
        },
        aws_apigatewayv2_route: {
          post: {
            route_key: "POST /orders",
            target: "integrations/${aws_apigatewayv2_integration.api.id}",
            authorization_type: "JWT",
            authorizer_id: "${aws_apigatewayv2_authorizer.jwt.id}",
          },
          health: { route_key: "GET /health", target: "integrations/${aws_apigatewayv2_integration.api.id}" },
        },
      },
    });
    const [trigger] = explainStack(api)[0]?.triggers ?? [];
    expect(trigger).toContain(
      "504 after the integration timeout of 29 s while the function runs on to its own 60 s",
    );
    expect(trigger).toContain(
      "POST /orders need a JWT (issuer https://auth.example.com/, audience orders): without a valid one API Gateway answers 401",
    );
    expect(trigger).not.toContain("GET /health");
  });

  it("says when a function has no trigger", () => {
    expect(byName.lonely?.triggers).toEqual(["no trigger in this configuration"]);
  });
});
