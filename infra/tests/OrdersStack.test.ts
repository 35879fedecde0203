import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage/index.js";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config/index.js";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription/index.js";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import { beforeAll, describe, expect, it } from "vitest";
import { LAMBDA_SERVICE_ERRORS } from "../src/constants.js";
import { ordersStack, refTo, resourcesOf, resourceWhere, synth, testConfig } from "./helpers/stacks.js";

let json: string;
beforeAll(() => {
  json = synth(ordersStack());
});

const queueRef = (name: string, attribute: string) =>
  refTo(json, "aws_sqs_queue", "name", `test-${name}`, attribute);
const fnRef = (name: string, attribute: string) =>
  refTo(json, "aws_lambda_function", "function_name", `test-${name}`, attribute);
const fnNamed = (name: string) => resourceWhere(json, "aws_lambda_function", "function_name", `test-${name}`);
const mappingFrom = (source: string) =>
  resourcesOf(json, "aws_lambda_event_source_mapping").filter(
    (mapping) => mapping.event_source_arn === source,
  );

describe("OrdersStack queues", () => {
  it.each([
    ["payments", "payments-dlq", 61],
    ["fulfillment", "fulfillment-dlq", 60],
  ])(
    "redrives %s to %s after 5 receives, with visibility timeout %i s (6 x timeout + window)",
    (source, dlq, visibility) => {
      expect(json).toHaveResourceWithProperties(SqsQueue, {
        name: `test-${source}`,
        visibility_timeout_seconds: visibility,
        message_retention_seconds: 4 * 86_400,
        sqs_managed_sse_enabled: true,
      });
      const queue = resourceWhere(json, "aws_sqs_queue", "name", `test-${source}`);
      expect(JSON.parse(String(queue.redrive_policy))).toEqual({
        deadLetterTargetArn: queueRef(dlq, "arn"),
        maxReceiveCount: 5,
      });
    },
  );

  it.each(["payments-dlq", "fulfillment-dlq", "parked-events", "order-events-failures", "receipts-failures"])(
    "keeps %s 7 days, redrives failed alerts to alerts-dlq and alarms when a message arrives and when it is not drained",
    (name) => {
      const queue = resourceWhere(json, "aws_sqs_queue", "name", `test-${name}`);
      expect(queue).toMatchObject({ message_retention_seconds: 7 * 86_400, sqs_managed_sse_enabled: true });
      // dlq-alerts reads it with a 15 s timeout: 6 x 15 = 90.
      expect(queue.visibility_timeout_seconds).toBe(90);
      expect(JSON.parse(String(queue.redrive_policy))).toEqual({
        deadLetterTargetArn: queueRef("alerts-dlq", "arn"),
        maxReceiveCount: 5,
      });
      const arrived = resourceWhere(
        json,
        "aws_cloudwatch_metric_alarm",
        "alarm_name",
        `test-${name}-arrived`,
      );
      expect(arrived).toMatchObject({ comparison_operator: "GreaterThanThreshold", threshold: 0 });
      expect(
        (arrived.metric_query as { metric?: { metric_name: string; dimensions: unknown } }[])
          .filter((query) => query.metric !== undefined)
          .map((query) => [query.metric!.metric_name, query.metric!.dimensions]),
      ).toEqual([
        ["NumberOfMessagesSent", { QueueName: queueRef(name, "name") }],
        ["NumberOfMessagesReceived", { QueueName: queueRef(name, "name") }],
      ]);
      expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        alarm_name: `test-${name}-not-drained`,
        metric_name: "ApproximateNumberOfMessagesVisible",
        namespace: "AWS/SQS",
        dimensions: { QueueName: queueRef(name, "name") },
      });
      expect(mappingFrom(queueRef(name, "arn"))).toEqual([
        expect.objectContaining({
          function_name: fnRef("dlq-alerts", "arn"),
          function_response_types: ["ReportBatchItemFailures"],
        }),
      ]);
    },
  );

  it("keeps alerts-dlq 14 days with an alarm and no consumer, so a failing alert never loops", () => {
    expect(json).toHaveResourceWithProperties(SqsQueue, {
      name: "test-alerts-dlq",
      message_retention_seconds: 14 * 86_400,
    });
    expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "test-alerts-dlq-not-empty",
    });
    expect(mappingFrom(queueRef("alerts-dlq", "arn"))).toEqual([]);
  });

  it("refuses requests without TLS on every queue", () => {
    const queueUrls = resourcesOf(json, "aws_sqs_queue").map((queue) =>
      queueRef(String(queue.name).slice(5), "url"),
    );
    const denied = resourcesOf(json, "aws_sqs_queue_policy")
      .filter((policy) => String(policy.policy).includes('"Bool":{"aws:SecureTransport":"false"}'))
      .map((policy) => policy.queue_url);
    expect(queueUrls).toHaveLength(8);
    expect(denied.sort()).toEqual(queueUrls.sort());
  });
});

describe("OrdersStack alarms", () => {
  const alarms = () => resourcesOf(json, "aws_cloudwatch_metric_alarm");
  const topicArn = () => refTo(json, "aws_sns_topic", "name", "test-alarms", "arn");

  it("sends every alarm to the alarm topic, which e-mails the configured address", () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const alarm of alarms()) expect(alarm.alarm_actions).toEqual([topicArn()]);
    expect(json).toHaveResourceWithProperties(SnsTopicSubscription, {
      topic_arn: topicArn(),
      protocol: "email",
      endpoint: "alarms@test.example",
    });
  });

  it("alarms on Errors and Throttles of every function", () => {
    const functions = resourcesOf(json, "aws_lambda_function").map((fn) => String(fn.function_name));
    expect(functions).toHaveLength(8);
    for (const name of functions) {
      for (const metric of ["Errors", "Throttles"]) {
        expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
          namespace: "AWS/Lambda",
          metric_name: metric,
          dimensions: { FunctionName: name },
        });
      }
    }
  });

  it("alarms on failed and timed-out fulfillment executions", () => {
    const machine = refTo(json, "aws_sfn_state_machine", "name", "test-fulfillment", "arn");
    for (const metric of ["ExecutionsFailed", "ExecutionsTimedOut"]) {
      expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        namespace: "AWS/States",
        metric_name: metric,
        dimensions: { StateMachineArn: machine },
      });
    }
  });

  it("fails synthesis when the alarm topic it creates has no subscriber", () => {
    const config = testConfig();
    const { alarmEmail: _, ...withoutEmail } = config;
    expect(() => synth(ordersStack(withoutEmail))).toThrow(
      /rebound\/alarm-topic-subscription: aws_sns_topic\./,
    );
  });
});

describe("OrdersStack event source mappings", () => {
  it("reads payments in batches of 10 with a 1 s window, partial batch responses and at most 5 concurrent batches", () => {
    expect(mappingFrom(queueRef("payments", "arn"))).toEqual([
      expect.objectContaining({
        function_name: fnRef("payments-worker", "arn"),
        batch_size: 10,
        maximum_batching_window_in_seconds: 1,
        function_response_types: ["ReportBatchItemFailures"],
        scaling_config: { maximum_concurrency: 5 },
      }),
    ]);
  });

  it("starts fulfillment executions from the fulfillment queue with partial batch responses", () => {
    expect(mappingFrom(queueRef("fulfillment", "arn"))).toEqual([
      expect.objectContaining({
        function_name: fnRef("fulfillment-starter", "arn"),
        function_response_types: ["ReportBatchItemFailures"],
      }),
    ]);
  });

  it("consumes the orders stream with bisect, 5 retries, 1 h record age and an on-failure queue", () => {
    expect(json).toHaveResourceWithProperties(LambdaEventSourceMapping, {
      event_source_arn: refTo(json, "aws_dynamodb_table", "name", "test-orders", "stream_arn"),
      function_name: fnRef("order-events", "arn"),
      starting_position: "TRIM_HORIZON",
      batch_size: 25,
      bisect_batch_on_function_error: true,
      maximum_retry_attempts: 5,
      maximum_record_age_in_seconds: 3600,
      parallelization_factor: 1,
      function_response_types: ["ReportBatchItemFailures"],
      destination_config: { on_failure: { destination_arn: queueRef("order-events-failures", "arn") } },
    });
  });
});

describe("OrdersStack async receipts", () => {
  it("retries a failed receipt twice within an hour, then sends it to receipts-failures", () => {
    expect(json).toHaveResourceWithProperties(LambdaFunctionEventInvokeConfig, {
      function_name: fnRef("receipts", "function_name"),
      maximum_retry_attempts: 2,
      maximum_event_age_in_seconds: 3600,
      destination_config: { on_failure: { destination: queueRef("receipts-failures", "arn") } },
    });
  });

  it("subscribes receipts to the order-events topic", () => {
    expect(json).toHaveResourceWithProperties(SnsTopicSubscription, {
      protocol: "lambda",
      endpoint: fnRef("receipts", "arn"),
      topic_arn: refTo(json, "aws_sns_topic", "name", "test-order-events", "arn"),
    });
  });
});

describe("OrdersStack fulfillment workflow", () => {
  const definition = () =>
    JSON.parse(
      String(resourceWhere(json, "aws_sfn_state_machine", "name", "test-fulfillment").definition),
    ) as {
      States: Record<string, Record<string, unknown>>;
    };

  it.each([
    ["ReserveStock", "reserve-stock", 10, "StockServiceUnavailable", "OutOfStock"],
    ["ShipOrder", "ship-order", 15, "CarrierUnavailable", "AddressRejected"],
  ])(
    "%s invokes %s with TimeoutSeconds %i, retries Lambda service errors and %s, catches %s",
    (state, fn, timeout, retryable, permanent) => {
      const task = definition().States[state]!;
      expect(task).toMatchObject({
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: fnRef(fn, "arn") },
        TimeoutSeconds: timeout,
        Catch: [{ ErrorEquals: [permanent], ResultPath: "$.error", Next: permanent }],
      });
      const retry = task.Retry as { ErrorEquals: string[]; MaxAttempts: number; JitterStrategy: string }[];
      expect(retry[0]!.ErrorEquals).toEqual(expect.arrayContaining([...LAMBDA_SERVICE_ERRORS]));
      expect(retry[1]).toMatchObject({
        ErrorEquals: [retryable],
        MaxAttempts: 4,
        BackoffRate: 2,
        JitterStrategy: "FULL",
      });
      expect(fnNamed(fn).timeout).toBe(timeout);
    },
  );
});

describe("OrdersStack functions", () => {
  it.each([
    ["orders-api", ["IDEMPOTENCY_TABLE_NAME", "ORDERS_TABLE_NAME", "PAYMENTS_QUEUE_URL"]],
    [
      "payments-worker",
      ["IDEMPOTENCY_TABLE_NAME", "ORDERS_TABLE_NAME", "PARKING_QUEUE_URL", "PAYMENT_PROVIDER_URL"],
    ],
    [
      "order-events",
      ["FULFILLMENT_QUEUE_URL", "IDEMPOTENCY_TABLE_NAME", "ORDER_EVENTS_TOPIC_ARN", "PARKING_QUEUE_URL"],
    ],
    ["receipts", ["IDEMPOTENCY_TABLE_NAME", "MAIL_PROVIDER_URL", "PARKING_QUEUE_URL"]],
    ["fulfillment-starter", ["PARKING_QUEUE_URL", "STATE_MACHINE_ARN"]],
    ["reserve-stock", ["CARRIER_URL", "IDEMPOTENCY_TABLE_NAME", "STOCK_SERVICE_URL"]],
    ["ship-order", ["CARRIER_URL", "IDEMPOTENCY_TABLE_NAME", "STOCK_SERVICE_URL"]],
    ["dlq-alerts", ["SLACK_WEBHOOK_PARAMETER_NAME"]],
  ])("gives %s exactly the environment of the orders contract", (name, keys) => {
    const variables = (fnNamed(name).environment as { variables: Record<string, string> }).variables;
    expect(Object.keys(variables).sort()).toEqual(keys);
  });

  it("points environment variables at the resources as Terraform references", () => {
    const env = (name: string) =>
      (fnNamed(name).environment as { variables: Record<string, string> }).variables;
    expect(env("orders-api").PAYMENTS_QUEUE_URL).toBe(queueRef("payments", "url"));
    expect(env("payments-worker").PARKING_QUEUE_URL).toBe(queueRef("payments-dlq", "url"));
    expect(env("payments-worker").PAYMENT_PROVIDER_URL).toBe("https://payments.test.example");
    expect(env("order-events").PARKING_QUEUE_URL).toBe(queueRef("parked-events", "url"));
    expect(env("order-events").FULFILLMENT_QUEUE_URL).toBe(queueRef("fulfillment", "url"));
    expect(env("order-events").ORDER_EVENTS_TOPIC_ARN).toBe(
      refTo(json, "aws_sns_topic", "name", "test-order-events", "arn"),
    );
    expect(env("receipts").PARKING_QUEUE_URL).toBe(queueRef("parked-events", "url"));
    expect(env("fulfillment-starter").PARKING_QUEUE_URL).toBe(queueRef("fulfillment-dlq", "url"));
    expect(env("fulfillment-starter").STATE_MACHINE_ARN).toBe(
      refTo(json, "aws_sfn_state_machine", "name", "test-fulfillment", "arn"),
    );
    expect(env("orders-api").ORDERS_TABLE_NAME).toBe(
      refTo(json, "aws_dynamodb_table", "name", "test-orders", "name"),
    );
    expect(env("receipts").IDEMPOTENCY_TABLE_NAME).toBe(
      refTo(json, "aws_dynamodb_table", "name", "test-idempotency", "name"),
    );
    expect(env("dlq-alerts").SLACK_WEBHOOK_PARAMETER_NAME).toBe("/rebound/test/slack-webhook");
  });

  it.each([
    ["orders-api", "orders-api", "handler"],
    ["reserve-stock", "fulfillment-tasks", "reserveStock"],
    ["ship-order", "fulfillment-tasks", "shipOrder"],
    ["dlq-alerts", "dlq-alerts", "handler"],
  ])("tags %s with its app %s and handler export %s", (name, app, handlerExport) => {
    expect(json).toHaveResourceWithProperties(LambdaFunction, {
      function_name: `test-${name}`,
      runtime: "nodejs22.x",
      handler: `index.${handlerExport}`,
      tags: { "rebound:app": app, "rebound:handler-export": handlerExport },
    });
  });

  it("uses a real base64 sha256 as source_code_hash and gives every function a log group with retention", () => {
    const functions = resourcesOf(json, "aws_lambda_function");
    expect(functions).toHaveLength(8);
    for (const fn of functions) {
      expect(fn.source_code_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, {
        name: `/aws/lambda/${String(fn.function_name)}`,
        retention_in_days: 14,
      });
    }
  });

  const LOGS = ["logs:CreateLogStream", "logs:PutLogEvents"];
  const IDEMPOTENCY = ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"];
  const SQS_SOURCE = ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"];
  it.each([
    ["orders-api", [...LOGS, ...IDEMPOTENCY, "sqs:SendMessage"]],
    ["payments-worker", [...LOGS, ...IDEMPOTENCY, ...SQS_SOURCE, "sqs:SendMessage"]],
    [
      "order-events",
      [
        ...LOGS,
        ...IDEMPOTENCY,
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:ListStreams",
        "sns:Publish",
        "sqs:SendMessage",
      ],
    ],
    ["receipts", [...LOGS, ...IDEMPOTENCY, "sqs:SendMessage"]],
    ["fulfillment-starter", [...LOGS, ...SQS_SOURCE, "sqs:SendMessage", "states:StartExecution"]],
    ["reserve-stock", [...LOGS, ...IDEMPOTENCY]],
    ["ship-order", [...LOGS, ...IDEMPOTENCY]],
    [
      "dlq-alerts",
      [
        ...LOGS,
        ...SQS_SOURCE,
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "ssm:GetParameter",
      ],
    ],
  ])("grants %s only the actions it uses", (name, actions) => {
    const role = refTo(json, "aws_iam_role", "name", `test-${name}`, "id");
    const policy = resourcesOf(json, "aws_iam_role_policy").find((p) => p.role === role)!;
    const document = JSON.parse(String(policy.policy).replace(/\$\{[^{}]*\}/g, "EXPR")) as {
      Statement: { Action: string[] }[];
    };
    const granted = new Set(document.Statement.flatMap((statement) => statement.Action));
    expect([...granted].sort()).toEqual([...new Set(actions)].sort());
  });

  it("grants no IAM action with a wildcard", () => {
    for (const policy of resourcesOf(json, "aws_iam_role_policy")) {
      // Terraform expressions may hold quotes that are valid only once evaluated.
      const document = JSON.parse(String(policy.policy).replace(/\$\{[^{}]*\}/g, "EXPR")) as {
        Statement: { Action: string[] }[];
      };
      for (const statement of document.Statement) {
        for (const action of [statement.Action].flat()) expect(action).not.toContain("*");
      }
    }
  });
});

describe("OrdersStack data and API", () => {
  it("creates the orders table with a NEW_AND_OLD_IMAGES stream and the idempotency table with TTL on expiration", () => {
    expect(json).toHaveResourceWithProperties(DynamodbTable, {
      name: "test-orders",
      hash_key: "orderId",
      stream_enabled: true,
      stream_view_type: "NEW_AND_OLD_IMAGES",
      server_side_encryption: { enabled: true },
    });
    expect(json).toHaveResourceWithProperties(DynamodbTable, {
      name: "test-idempotency",
      hash_key: "id",
      ttl: { attribute_name: "expiration", enabled: true },
    });
  });

  it("throttles the HTTP API stage from configuration", () => {
    expect(json).toHaveResourceWithProperties(Apigatewayv2Stage, {
      name: "$default",
      default_route_settings: { throttling_rate_limit: 20, throttling_burst_limit: 40 },
    });
    expect(
      resourcesOf(json, "aws_apigatewayv2_route")
        .map((route) => route.route_key)
        .sort(),
    ).toEqual(["GET /orders/{id}", "POST /orders"]);
  });

  it("lets only callers with a JWT from the configured issuer reach the orders routes", () => {
    const authorizer = refTo(json, "aws_apigatewayv2_authorizer", "name", "test-orders-jwt", "id");
    expect(resourceWhere(json, "aws_apigatewayv2_authorizer", "name", "test-orders-jwt")).toMatchObject({
      authorizer_type: "JWT",
      identity_sources: ["$request.header.Authorization"],
      jwt_configuration: { issuer: "https://auth.test.example/", audience: ["rebound-orders-api"] },
    });
    for (const route of resourcesOf(json, "aws_apigatewayv2_route")) {
      expect(route).toMatchObject({ authorization_type: "JWT", authorizer_id: authorizer });
    }
  });

  it("fails synthesis when the API has no authorizer configured", () => {
    const config = testConfig();
    const { jwt: _, ...api } = config.api;
    expect(() => synth(ordersStack({ ...config, api }))).toThrow(
      /rebound\/api-route-authorization: aws_apigatewayv2_route\.[^:]+: route "POST \/orders" answers anyone/,
    );
  });
});

describe("OrdersStack configuration", () => {
  it("uses the local backend when no state bucket is configured", () => {
    expect(JSON.parse(json).terraform.backend).toBeUndefined();
  });

  it("configures the S3 backend with native locking from REBOUND_STATE_* variables", () => {
    const remote = synth(
      ordersStack(testConfig({ REBOUND_STATE_BUCKET: "acme-tf-state", REBOUND_STATE_REGION: "us-east-1" })),
    );
    expect(JSON.parse(remote).terraform.backend).toEqual({
      s3: {
        bucket: "acme-tf-state",
        key: "rebound/test/orders.tfstate",
        region: "us-east-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it("renames every resource and moves region from configuration alone", () => {
    const other = synth(
      ordersStack(testConfig({ REBOUND_NAME_PREFIX: "acme-stg", REBOUND_REGION: "us-east-2" })),
    );
    expect(JSON.parse(other).provider.aws[0].region).toBe("us-east-2");
    expect(
      resourcesOf(other, "aws_sqs_queue").every((queue) => String(queue.name).startsWith("acme-stg-")),
    ).toBe(true);
  });

  it("matches the snapshot with machine-specific paths and hashes normalized", () => {
    const normalized = json
      .replace(/assets\/[^"\\]+\.zip/g, "assets/<bundle>.zip")
      .replace(/"source_code_hash": "[^"]+"/g, '"source_code_hash": "<sha256>"');
    expect(JSON.parse(normalized)).toMatchSnapshot();
  });
});
