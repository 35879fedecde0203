import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { AlarmTopic } from "../../src/constructs/AlarmTopic.js";
import { AsyncFunction, asyncFunctionDefaults } from "../../src/constructs/AsyncFunction.js";
import { DeadLetterAlerts } from "../../src/constructs/DeadLetterAlerts.js";
import { HttpApi } from "../../src/constructs/HttpApi.js";
import { LambdaBundle } from "../../src/constructs/LambdaBundle.js";
import { LAMBDA_SERVICE_RETRIER, lambdaTask } from "../../src/constructs/lambdaTask.js";
import { MessageQueue } from "../../src/constructs/MessageQueue.js";
import { OperationalAlarms } from "../../src/constructs/OperationalAlarms.js";
import { QueueWorker, queueWorkerDefaults } from "../../src/constructs/QueueWorker.js";
import { StreamWorker, streamWorkerDefaults } from "../../src/constructs/StreamWorker.js";
import { Workflow } from "../../src/constructs/Workflow.js";
import { InvalidPropsError, InvalidStateMachineError, MissingBundleError } from "../../src/errors.js";
import { policyStack, refTo, resourcesOf, resourceWhere } from "../helpers/stacks.js";

const table = (stack: ConstructorParameters<typeof DynamodbTable>[0], streamEnabled = true) =>
  new DynamodbTable(stack, "table", {
    name: "table",
    hashKey: "id",
    attribute: [{ name: "id", type: "S" }],
    streamEnabled,
    ...(streamEnabled ? { streamViewType: "NEW_AND_OLD_IMAGES" } : {}),
  });

describe("QueueWorker", () => {
  it.each([
    [10, 0, 60],
    [10, 5, 65],
    [30, 20, 200],
  ])(
    "defaults visibility timeout for a %i s function and %i s window to %i s",
    (timeout, window, visibility) => {
      expect(
        queueWorkerDefaults(timeout, { maximumBatchingWindowInSeconds: window }).visibilityTimeoutSeconds,
      ).toBe(visibility);
    },
  );

  it("defaults to 5 receives, batches of 10, 4-day source and 14-day DLQ retention", () => {
    expect(queueWorkerDefaults(10, {})).toMatchObject({
      maxReceiveCount: 5,
      batchSize: 10,
      messageRetentionSeconds: 345_600,
      deadLetterMessageRetentionSeconds: 1_209_600,
    });
  });

  it.each([
    [
      { visibilityTimeoutSeconds: 59 },
      "visibilityTimeoutSeconds (59) must be at least 6 x function timeout (10) + maximumBatchingWindowInSeconds (0) = 60",
    ],
    [{ maxReceiveCount: 0 }, "maxReceiveCount must be an integer from 1 to 1000, got 0"],
    [{ batchSize: 100 }, "batchSize 100 needs maximumBatchingWindowInSeconds >= 1"],
    [
      { messageRetentionSeconds: 1_209_600 },
      "deadLetterMessageRetentionSeconds (1209600) must be longer than messageRetentionSeconds (1209600)",
    ],
    [
      { fifoQueue: true, queueName: "jobs.fifo", maximumBatchingWindowInSeconds: 1 },
      "maximumBatchingWindowInSeconds is not supported for FIFO queues",
    ],
    [{ fifoQueue: true }, 'a name ending in ".fifo"'],
    [{ contentBasedDeduplication: true }, "contentBasedDeduplication is a FIFO setting"],
    [{ maxRecieveCount: 3 }, 'unknown prop "maxRecieveCount"'],
  ])("rejects %j naming the prop and the fix", (props, message) => {
    policyStack((stack, { fn }) => {
      const f = fn({ timeout: 10 });
      expect(() => new QueueWorker(stack, "w", { fn: f, queueName: "jobs", ...props } as never)).toThrow(
        InvalidPropsError,
      );
      expect(() => new QueueWorker(stack, "w2", { fn: f, queueName: "jobs", ...props } as never)).toThrow(
        message,
      );
    });
  });

  it("lists every problem at once", () => {
    policyStack((stack, { fn }) => {
      try {
        new QueueWorker(stack, "w", { fn: fn(), queueName: "jobs", maxReceiveCount: 0, batchSize: 0 });
        expect.unreachable();
      } catch (error) {
        expect((error as InvalidPropsError).problems).toHaveLength(2);
      }
    });
  });

  it("creates a FIFO DLQ for a FIFO source and lets only the source redrive into it", () => {
    const { stack } = policyStack(
      (s, { fn }) => new QueueWorker(s, "w", { fn: fn(), queueName: "jobs.fifo", fifoQueue: true }),
    );
    const json = Testing.synth(stack, true);
    expect(resourcesOf(json, "aws_sqs_queue").map((q) => [q.name, q.fifo_queue])).toEqual([
      ["jobs-dlq.fifo", true],
      ["jobs.fifo", true],
    ]);
    const allow = JSON.parse(
      String(resourcesOf(json, "aws_sqs_queue_redrive_allow_policy")[0]!.redrive_allow_policy),
    );
    expect(allow).toEqual({
      redrivePermission: "byQueue",
      sourceQueueArns: [refTo(json, "aws_sqs_queue", "name", "jobs.fifo", "arn")],
    });
    expect(resourcesOf(json, "aws_lambda_event_source_mapping")[0]).not.toHaveProperty(
      "maximum_batching_window_in_seconds",
    );
  });
});

describe("StreamWorker", () => {
  it("bounds retries and record age and bisects by default", () => {
    expect(streamWorkerDefaults({})).toEqual({
      batchSize: 100,
      maximumBatchingWindowInSeconds: 0,
      maximumRetryAttempts: 5,
      maximumRecordAgeInSeconds: 3600,
      bisectBatchOnFunctionError: true,
      parallelizationFactor: 1,
      startingPosition: "TRIM_HORIZON",
    });
  });

  it.each([
    [{ maximumRetryAttempts: -1, maximumRecordAgeInSeconds: -1 }, "both -1 (unbounded)"],
    [
      { maximumRecordAgeInSeconds: 30 },
      "maximumRecordAgeInSeconds must be an integer from 60 to 604800 (or -1), got 30",
    ],
    [{ parallelizationFactor: 11 }, "parallelizationFactor must be an integer from 1 to 10"],
    [{ startingPosition: "AT_TIMESTAMP" }, "startingPosition must be TRIM_HORIZON or LATEST"],
  ])("rejects %j", (props, message) => {
    policyStack((stack, { fn }) => {
      expect(
        () =>
          new StreamWorker(stack, "s", {
            fn: fn(),
            table: table(stack),
            onFailureQueueName: "f",
            ...props,
          } as never),
      ).toThrow(message);
    });
  });

  it("refuses a table without a stream", () => {
    policyStack((stack, { fn }) => {
      expect(
        () => new StreamWorker(stack, "s", { fn: fn(), table: table(stack, false), onFailureQueueName: "f" }),
      ).toThrow("table must have streamEnabled: true");
    });
  });
});

describe("AsyncFunction", () => {
  it("defaults to AWS's 2 retries and a 1-hour maximum event age", () => {
    expect(asyncFunctionDefaults({})).toEqual({ maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 });
  });

  it.each([
    [{ maximumRetryAttempts: 3 }, "maximumRetryAttempts must be an integer from 0 to 2, got 3"],
    [
      { maximumEventAgeInSeconds: 30 },
      "maximumEventAgeInSeconds must be an integer from 60 to 21600, got 30",
    ],
  ])("rejects %j", (props, message) => {
    policyStack((stack, { fn }) => {
      expect(() => new AsyncFunction(stack, "a", { fn: fn(), onFailureQueueName: "f", ...props })).toThrow(
        message,
      );
    });
  });

  it("adds a DLQ on the function when asked, with the right to send to it", () => {
    const { stack } = policyStack(
      (s, { fn }) =>
        new AsyncFunction(s, "a", { fn: fn(), onFailureQueueName: "f", deadLetterQueueName: "d" }),
    );
    const json = Testing.synth(stack, true);
    const dlqArn = refTo(json, "aws_sqs_queue", "name", "d", "arn");
    expect(resourcesOf(json, "aws_lambda_function")[0]!.dead_letter_config).toEqual({ target_arn: dlqArn });
    expect(JSON.parse(String(resourcesOf(json, "aws_iam_role_policy")[0]!.policy)).Statement).toContainEqual({
      Effect: "Allow",
      Action: ["sqs:SendMessage"],
      Resource: dlqArn,
    });
  });
});

describe("HttpApi", () => {
  it.each([
    [{ routes: [] }, "routes must list at least one route key"],
    [{ routes: ["orders"] }, 'route "orders" must be "<METHOD> /<path>"'],
  ])("rejects %j", (props, message) => {
    policyStack((stack, { fn }) => {
      expect(() => new HttpApi(stack, "api", { apiName: "api", fn: fn(), ...props })).toThrow(message);
    });
  });

  it("refuses a function that may outlive HTTP API's 30 s integration timeout", () => {
    policyStack((stack, { fn }) => {
      expect(
        () => new HttpApi(stack, "api", { apiName: "api", fn: fn({ timeout: 31 }), routes: ["GET /x"] }),
      ).toThrow("exceeds HTTP API's 30 s integration timeout");
    });
  });

  const jwtAuthorizer = { issuer: "https://auth.example.com/", audience: ["orders"] };

  it("sets the integration timeout one second above the function's", () => {
    const { stack } = policyStack(
      (s, { fn }) =>
        new HttpApi(s, "api", { apiName: "api", fn: fn({ timeout: 12 }), routes: ["GET /x"], jwtAuthorizer }),
    );
    expect(resourcesOf(Testing.synth(stack, true), "aws_apigatewayv2_integration")[0]).toMatchObject({
      timeout_milliseconds: 13_000,
      payload_format_version: "2.0",
    });
  });

  it("puts every route behind the JWT authorizer: bearer token from the issuer, for the audience", () => {
    const { stack } = policyStack(
      (s, { fn }) =>
        new HttpApi(s, "api", {
          apiName: "api",
          fn: fn(),
          routes: ["POST /x", "GET /x/{id}"],
          jwtAuthorizer,
        }),
    );
    const json = Testing.synth(stack, true);
    expect(resourcesOf(json, "aws_apigatewayv2_authorizer")).toEqual([
      expect.objectContaining({
        authorizer_type: "JWT",
        identity_sources: ["$request.header.Authorization"],
        jwt_configuration: { issuer: "https://auth.example.com/", audience: ["orders"] },
      }),
    ]);
    const authorizerId = refTo(json, "aws_apigatewayv2_authorizer", "name", "api-jwt", "id");
    expect(resourcesOf(json, "aws_apigatewayv2_route")).toEqual([
      expect.objectContaining({
        route_key: "POST /x",
        authorization_type: "JWT",
        authorizer_id: authorizerId,
      }),
      expect.objectContaining({
        route_key: "GET /x/{id}",
        authorization_type: "JWT",
        authorizer_id: authorizerId,
      }),
    ]);
  });

  it("rejects an authorizer without an https issuer or an audience", () => {
    policyStack((stack, { fn }) => {
      expect(
        () =>
          new HttpApi(stack, "api", {
            apiName: "api",
            fn: fn(),
            routes: ["GET /x"],
            jwtAuthorizer: { issuer: "http://auth.example.com", audience: [] },
          }),
      ).toThrow(
        /jwtAuthorizer.issuer must be the https URL[\s\S]*jwtAuthorizer.audience must list at least one/,
      );
    });
  });
});

describe("MessageQueue and QueueWorker transport", () => {
  it("deny every request without TLS on each queue they create", () => {
    const { stack } = policyStack((s, { fn }) => {
      new MessageQueue(s, "parked", { queueName: "parked" });
      new QueueWorker(s, "worker", { fn: fn(), queueName: "work" });
    });
    const json = Testing.synth(stack, true);
    const policies = resourcesOf(json, "aws_sqs_queue_policy");
    expect(policies.map((p) => p.queue_url).sort()).toEqual(
      ["parked", "work", "work-dlq"].map((name) => refTo(json, "aws_sqs_queue", "name", name, "url")).sort(),
    );
    for (const policy of policies) {
      const [statement] = JSON.parse(String(policy.policy)).Statement;
      expect(statement).toMatchObject({
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
    }
  });
});

describe("Workflow and lambdaTask", () => {
  it("puts the Lambda service retrier first and sets TimeoutSeconds to the function timeout", () => {
    policyStack((_stack, { fn }) => {
      const task = lambdaTask(fn({ timeout: 7 }), { next: "B", retry: [{ ErrorEquals: ["Custom"] }] });
      expect(task.TimeoutSeconds).toBe(7);
      expect(task.Retry).toEqual([LAMBDA_SERVICE_RETRIER, { ErrorEquals: ["Custom"] }]);
    });
  });

  it("requires exactly one of next and end", () => {
    policyStack((_stack, { fn }) => {
      const f = fn();
      expect(() => lambdaTask(f, {})).toThrow("set exactly one of next or end: true");
      expect(() => lambdaTask(f, { next: "B", end: true })).toThrow("set exactly one of next or end: true");
    });
  });

  it("rejects a definition asl-validator rejects, naming the state machine", () => {
    policyStack((stack, { fn }) => {
      const f = fn();
      const definition = { StartAt: "Task", States: { Task: lambdaTask(f, { next: "Missing" }) } };
      expect(
        () => new Workflow(stack, "flow", { stateMachineName: "flow", invokes: [f], definition }),
      ).toThrow(InvalidStateMachineError);
      expect(
        () => new Workflow(stack, "flow2", { stateMachineName: "flow", invokes: [f], definition }),
      ).toThrow(/State machine "flow"/);
    });
  });

  it("lets the state machine invoke only the listed functions", () => {
    const { stack } = policyStack((s, { fn }) => {
      const f = fn();
      fn();
      new Workflow(s, "flow", {
        stateMachineName: "flow",
        invokes: [f],
        definition: { StartAt: "T", States: { T: lambdaTask(f, { end: true }) } },
      });
    });
    const json = Testing.synth(stack, true);
    const policy = resourcesOf(json, "aws_iam_role_policy").find((p) =>
      String(p.policy).includes("lambda:InvokeFunction"),
    );
    const statement = JSON.parse(String(policy!.policy)).Statement[0];
    const arn = refTo(json, "aws_lambda_function", "function_name", "fn-1", "arn");
    expect(statement.Resource).toEqual([arn, `${arn}:*`]);
  });
});

describe("DeadLetterAlerts", () => {
  const alertsProps = {
    namePrefix: "t",
    region: "eu-west-1",
    alertsDeadLetterQueueName: "alerts-dlq",
    slackWebhookParameterName: "/t/slack",
    alarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:ops",
  };

  it("refuses a FIFO queue and a queue that keeps messages as long as the alerts DLQ", () => {
    policyStack((stack, { fn }) => {
      const alerts = new DeadLetterAlerts(stack, "alerts", { fn: fn(), ...alertsProps });
      const fifo = new SqsQueue(stack, "fifo", {
        name: "x.fifo",
        fifoQueue: true,
        messageRetentionSeconds: 86_400,
      });
      const long = new SqsQueue(stack, "long", { name: "long", messageRetentionSeconds: 1_209_600 });
      expect(() => alerts.watch(fifo, { label: "fifo", source: "test" })).toThrow(
        "SQS cannot redrive FIFO to standard",
      );
      expect(() => alerts.watch(long, { label: "long", source: "test" })).toThrow("lower its retention");
    });
  });

  it("grants ssm:GetParameter on exactly the webhook parameter and never holds its value", () => {
    const { stack } = policyStack(
      (s, { fn }) => new DeadLetterAlerts(s, "alerts", { fn: fn(), ...alertsProps }),
    );
    const json = Testing.synth(stack, true);
    expect(resourcesOf(json, "aws_ssm_parameter")).toEqual([]);
    const policy = String(resourcesOf(json, "aws_iam_role_policy")[0]!.policy);
    expect(policy).toContain('"Action":["ssm:GetParameter"]');
    expect(policy).toMatch(
      /:ssm:eu-west-1:\$\{element\(split\(":", aws_iam_role\.[^)]+\), 4\)\}:parameter\/t\/slack"/,
    );
  });

  it("alarms when a failed event arrives (sends plus receives, since a redrive move is no send) and when a queue is not drained", () => {
    const { stack } = policyStack((s, { fn }) => {
      const alerts = new DeadLetterAlerts(s, "alerts", { fn: fn(), ...alertsProps });
      alerts.watch(new SqsQueue(s, "dlq", { name: "work-dlq", sqsManagedSseEnabled: true }), {
        label: "work-dlq",
        source: "test",
      });
    });
    const json = Testing.synth(stack, true);
    const queueName = refTo(json, "aws_sqs_queue", "name", "work-dlq", "name");
    const arrived = resourcesOf(json, "aws_cloudwatch_metric_alarm").find(
      (a) => a.alarm_name === "t-work-dlq-arrived",
    );
    expect(arrived).toMatchObject({
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
      alarm_actions: [alertsProps.alarmTopicArn],
    });
    const queries = arrived!.metric_query as {
      id: string;
      expression?: string;
      metric?: Record<string, unknown>;
    }[];
    expect(queries.filter((q) => q.metric).map((q) => [q.metric!.metric_name, q.metric!.dimensions])).toEqual(
      [
        ["NumberOfMessagesSent", { QueueName: queueName }],
        ["NumberOfMessagesReceived", { QueueName: queueName }],
      ],
    );
    expect(queries.find((q) => q.expression)?.expression).toBe("FILL(sent, 0) + FILL(received, 0)");
    expect(
      resourceWhere(json, "aws_cloudwatch_metric_alarm", "alarm_name", "t-work-dlq-not-drained"),
    ).toMatchObject({
      metric_name: "ApproximateNumberOfMessagesVisible",
      evaluation_periods: 15,
    });
    // Nothing reads the alerts DLQ, so its depth is what counts.
    expect(
      resourceWhere(json, "aws_cloudwatch_metric_alarm", "alarm_name", "t-alerts-dlq-not-empty"),
    ).toMatchObject({
      metric_name: "ApproximateNumberOfMessagesVisible",
      evaluation_periods: 1,
    });
  });

  it("requires the alarm topic", () => {
    policyStack((stack, { fn }) => {
      const { alarmTopicArn: _, ...withoutTopic } = alertsProps;
      expect(() => new DeadLetterAlerts(stack, "alerts", { fn: fn(), ...withoutTopic } as never)).toThrow(
        "alarmTopicArn is required",
      );
    });
  });
});

describe("AlarmTopic", () => {
  it("creates an encrypted topic only this account's CloudWatch alarms may publish to, and subscribes the e-mail", () => {
    const { stack } = policyStack(
      (s) => new AlarmTopic(s, "alarms", { namePrefix: "t", email: "oncall@example.com" }),
    );
    const json = Testing.synth(stack, true);
    const keyArn = refTo(json, "aws_kms_key", "description", "t alarm topic encryption", "arn");
    expect(resourcesOf(json, "aws_sns_topic")).toEqual([
      expect.objectContaining({ name: "t-alarms", kms_master_key_id: keyArn }),
    ]);
    expect(resourcesOf(json, "aws_sns_topic_subscription")).toEqual([
      expect.objectContaining({
        protocol: "email",
        endpoint: "oncall@example.com",
        topic_arn: refTo(json, "aws_sns_topic", "name", "t-alarms", "arn"),
      }),
    ]);
    // The account, region and partition come from the key's own ARN (Terraform fills them in at apply).
    const part = (n: number) => `\${element(split(":", ${keyArn.slice(2, -1)}), ${n})}`;
    const policy = String(resourcesOf(json, "aws_kms_key_policy")[0]!.policy);
    expect(policy).toContain(
      `"Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*",` +
        `"Condition":{"StringEquals":{"aws:SourceAccount":"${part(4)}"},` +
        `"ArnLike":{"aws:SourceArn":"arn:${part(1)}:cloudwatch:${part(3)}:${part(4)}:alarm:*"}}`,
    );
  });

  it("subscribes to an existing topic without creating one", () => {
    const { stack } = policyStack(
      (s) =>
        new AlarmTopic(s, "alarms", {
          namePrefix: "t",
          topicArn: "arn:aws:sns:eu-west-1:123456789012:ops",
          email: "oncall@example.com",
        }),
    );
    const json = Testing.synth(stack, true);
    expect(resourcesOf(json, "aws_sns_topic")).toEqual([]);
    expect(resourcesOf(json, "aws_sns_topic_subscription")[0]).toMatchObject({
      topic_arn: "arn:aws:sns:eu-west-1:123456789012:ops",
    });
  });

  it("rejects a bad address and a bad topic ARN in one error", () => {
    policyStack((stack) => {
      expect(
        () => new AlarmTopic(stack, "alarms", { namePrefix: "t", topicArn: "ops", email: "oncall" }),
      ).toThrow(/topicArn must be an SNS topic ARN[\s\S]*email must be an e-mail address/);
    });
  });
});

describe("OperationalAlarms", () => {
  it("alarms on each watched function's Errors and Throttles and the state machine's failed and timed-out executions", () => {
    const { stack } = policyStack((s, { fn }) => {
      const task = fn({ functionName: "task" });
      const workflow = new Workflow(s, "flow", {
        stateMachineName: "flow",
        invokes: [task],
        definition: { StartAt: "T", States: { T: lambdaTask(task, { end: true }) } },
      });
      const alarms = new OperationalAlarms(s, "ops", {
        namePrefix: "t",
        topicArn: "arn:aws:sns:eu-west-1:1:ops",
      });
      alarms.watchFunction(task);
      alarms.watchStateMachine(workflow);
    });
    const json = Testing.synth(stack, true);
    const byName = (name: string) => resourceWhere(json, "aws_cloudwatch_metric_alarm", "alarm_name", name);
    expect(byName("task-errors")).toMatchObject({
      namespace: "AWS/Lambda",
      metric_name: "Errors",
      dimensions: { FunctionName: "task" },
      threshold: 0,
      comparison_operator: "GreaterThanThreshold",
      alarm_actions: ["arn:aws:sns:eu-west-1:1:ops"],
    });
    expect(byName("task-throttles")).toMatchObject({ metric_name: "Throttles" });
    const machine = refTo(json, "aws_sfn_state_machine", "name", "flow", "arn");
    expect(byName("flow-executions-failed")).toMatchObject({
      namespace: "AWS/States",
      metric_name: "ExecutionsFailed",
      dimensions: { StateMachineArn: machine },
    });
    expect(byName("flow-executions-timed-out")).toMatchObject({ metric_name: "ExecutionsTimedOut" });
  });
});

describe("LambdaBundle", () => {
  it("names the app and the build command when the bundle is missing", () => {
    policyStack((stack) => {
      expect(() => new LambdaBundle(stack, "b", { app: "receipts", bundleDir: "/nonexistent/dist" })).toThrow(
        MissingBundleError,
      );
      expect(() => new LambdaBundle(stack, "c", { app: "receipts", bundleDir: "/nonexistent/dist" })).toThrow(
        "pnpm exec turbo run build --filter @rebound/app-receipts",
      );
    });
  });
});

describe("lambdaTask options", () => {
  it.each([
    [{ end: true, retry: [{ ErrorEquals: [] }] }, "retry[0].ErrorEquals must name at least one error"],
    [
      { end: true, retry: [{ ErrorEquals: ["X"], BackoffRate: 0.5 }] },
      "retry[0].BackoffRate must be >= 1, got 0.5",
    ],
    [{ end: true, Next: "B" }, 'unknown prop "Next"'],
  ])("rejects %j", (options, message) => {
    policyStack((_stack, { fn }) => {
      expect(() => lambdaTask(fn(), options as never)).toThrow(message);
    });
  });
});
