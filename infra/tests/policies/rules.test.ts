import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api/index.js";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route/index.js";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config/index.js";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission/index.js";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine/index.js";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription/index.js";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import type { TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { AsyncFunction } from "../../src/constructs/AsyncFunction.js";
import { lambdaTask } from "../../src/constructs/lambdaTask.js";
import type { NodeFunction, NodeFunctionProps } from "../../src/constructs/NodeFunction.js";
import { QueueWorker } from "../../src/constructs/QueueWorker.js";
import { StreamWorker } from "../../src/constructs/StreamWorker.js";
import { Workflow } from "../../src/constructs/Workflow.js";
import { acknowledge } from "../../src/policies/acknowledge.js";
import { POLICY_RULES } from "../../src/policies/ruleIds.js";
import { assumeRolePolicy, policyDocument } from "../../src/policyDocument.js";
import { policyStack } from "../helpers/stacks.js";
import { synthErrors } from "../helpers/synthErrors.js";

type Build = (
  stack: TerraformStack,
  helpers: { fn: (props?: Partial<NodeFunctionProps>) => NodeFunction },
) => void;

const DAY = 86_400;
const queue = (
  stack: TerraformStack,
  id: string,
  extra: Partial<ConstructorParameters<typeof SqsQueue>[2]> = {},
) => new SqsQueue(stack, id, { name: id, sqsManagedSseEnabled: true, ...extra });
const streamTable = (stack: TerraformStack) =>
  new DynamodbTable(stack, "table", {
    name: "table",
    hashKey: "id",
    billingMode: "PAY_PER_REQUEST",
    attribute: [{ name: "id", type: "S" }],
    streamEnabled: true,
    streamViewType: "NEW_AND_OLD_IMAGES",
    serverSideEncryption: { enabled: true },
  });
const sfnRole = (stack: TerraformStack) =>
  new IamRole(stack, "sfn-role", { name: "sfn", assumeRolePolicy: assumeRolePolicy("states.amazonaws.com") });
const stateMachine = (stack: TerraformStack, fn: NodeFunction, task: Record<string, unknown>) =>
  new SfnStateMachine(stack, "machine", {
    name: "machine",
    roleArn: sfnRole(stack).arn,
    definition: JSON.stringify({
      StartAt: "Task",
      States: {
        Task: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: fn.arn },
          End: true,
          ...task,
        },
      },
    }),
  });
const alarmOn = (stack: TerraformStack, topic: SnsTopic) =>
  new CloudwatchMetricAlarm(stack, "alarm", {
    alarmName: "errors",
    namespace: "AWS/Lambda",
    metricName: "Errors",
    statistic: "Sum",
    period: 60,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: "GreaterThanThreshold",
    alarmActions: [topic.arn],
  });
const alarmTopic = (stack: TerraformStack) =>
  new SnsTopic(stack, "alarms", { name: "alarms", kmsMasterKeyId: "alias/aws/sns" });
const route = (
  stack: TerraformStack,
  extra: Partial<ConstructorParameters<typeof Apigatewayv2Route>[2]> = {},
) =>
  new Apigatewayv2Route(stack, "route", {
    apiId: new Apigatewayv2Api(stack, "api", { name: "api", protocolType: "HTTP" }).id,
    routeKey: "GET /orders/{id}",
    ...extra,
  });
const allFour = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
];

interface Case {
  readonly rule: string;
  readonly name: string;
  readonly build: Build;
  /** A phrase the violation message must contain; undefined for a compliant case. */
  readonly violation?: string;
}

const cases: Case[] = [
  // ---- async functions
  {
    rule: POLICY_RULES.asyncOnFailure,
    name: "an AsyncFunction (on-failure destination queue)",
    build: (stack, { fn }) => new AsyncFunction(stack, "async", { fn: fn(), onFailureQueueName: "failures" }),
  },
  {
    rule: POLICY_RULES.asyncOnFailure,
    name: "an event invoke config without destination on a function with a DLQ",
    build: (stack, { fn }) => {
      const f = fn();
      const dlq = queue(stack, "dlq");
      f.function.putDeadLetterConfig({ targetArn: dlq.arn });
      new LambdaFunctionEventInvokeConfig(stack, "config", {
        functionName: f.function.functionName,
        maximumRetryAttempts: 1,
      });
    },
  },
  {
    rule: POLICY_RULES.asyncOnFailure,
    name: "an event invoke config with neither destination nor DLQ",
    build: (stack, { fn }) =>
      new LambdaFunctionEventInvokeConfig(stack, "config", {
        functionName: fn().function.functionName,
        maximumRetryAttempts: 1,
      }),
    violation: "neither an on-failure destination nor a DLQ is set",
  },
  {
    rule: POLICY_RULES.asyncOnFailure,
    name: "a function subscribed to SNS with no event invoke config",
    build: (stack, { fn }) => {
      const f = fn();
      const topic = new SnsTopic(stack, "topic", { name: "topic", kmsMasterKeyId: "alias/aws/sns" });
      new LambdaPermission(stack, "permission", {
        action: "lambda:InvokeFunction",
        functionName: f.function.functionName,
        principal: "sns.amazonaws.com",
        sourceArn: topic.arn,
      });
      new SnsTopicSubscription(stack, "subscription", {
        topicArn: topic.arn,
        protocol: "lambda",
        endpoint: f.arn,
      });
    },
    violation: "invoked asynchronously but has no event invoke config and no DLQ",
  },
  // ---- SQS mappings
  {
    rule: POLICY_RULES.sqsReportBatchItemFailures,
    name: "a QueueWorker",
    build: (stack, { fn }) => new QueueWorker(stack, "worker", { fn: fn(), queueName: "jobs" }),
  },
  {
    rule: POLICY_RULES.sqsReportBatchItemFailures,
    name: "an SQS mapping without ReportBatchItemFailures",
    build: (stack, { fn }) =>
      new LambdaEventSourceMapping(stack, "mapping", {
        functionName: fn().arn,
        eventSourceArn: queue(stack, "jobs", { visibilityTimeoutSeconds: 60 }).arn,
      }),
    violation: "lacks ReportBatchItemFailures",
  },
  {
    rule: POLICY_RULES.sqsVisibilityTimeout,
    name: "a queue at exactly 6 x timeout + window",
    build: (stack, { fn }) =>
      new LambdaEventSourceMapping(stack, "mapping", {
        functionName: fn({ timeout: 10 }).arn,
        eventSourceArn: queue(stack, "jobs", { visibilityTimeoutSeconds: 65 }).arn,
        maximumBatchingWindowInSeconds: 5,
        functionResponseTypes: ["ReportBatchItemFailures"],
      }),
  },
  {
    rule: POLICY_RULES.sqsVisibilityTimeout,
    name: "a queue one second under 6 x timeout + window",
    build: (stack, { fn }) =>
      new LambdaEventSourceMapping(stack, "mapping", {
        functionName: fn({ timeout: 10 }).arn,
        eventSourceArn: queue(stack, "jobs", { visibilityTimeoutSeconds: 64 }).arn,
        maximumBatchingWindowInSeconds: 5,
        functionResponseTypes: ["ReportBatchItemFailures"],
      }),
    violation: "visibility timeout 64 s, under 6 x 10 s (function timeout) + 5 s (window) = 65 s",
  },
  {
    rule: POLICY_RULES.sqsVisibilityTimeout,
    name: "a queue left at SQS's default 30 s for a 10 s function",
    build: (stack, { fn }) =>
      new LambdaEventSourceMapping(stack, "mapping", {
        functionName: fn({ timeout: 10 }).arn,
        eventSourceArn: queue(stack, "jobs").arn,
        functionResponseTypes: ["ReportBatchItemFailures"],
      }),
    violation: "visibility timeout 30 s, under 6 x 10 s",
  },
  // ---- DLQs
  {
    rule: POLICY_RULES.dlqRetention,
    name: "a DLQ keeping messages longer than its source",
    build: (stack) => {
      const dlq = queue(stack, "dlq", { messageRetentionSeconds: 14 * DAY });
      queue(stack, "source", {
        redrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }),
      });
    },
  },
  {
    rule: POLICY_RULES.dlqRetention,
    name: "a DLQ keeping messages exactly as long as its source",
    build: (stack) => {
      const dlq = queue(stack, "dlq", { messageRetentionSeconds: 4 * DAY });
      queue(stack, "source", {
        redrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }),
      });
    },
    violation: "keeps messages 345600 s, no longer than its source's 345600 s",
  },
  {
    rule: POLICY_RULES.fifoDlq,
    name: "a FIFO queue with a FIFO DLQ",
    build: (stack, { fn }) =>
      new QueueWorker(stack, "worker", { fn: fn(), queueName: "jobs.fifo", fifoQueue: true }),
  },
  {
    rule: POLICY_RULES.fifoDlq,
    name: "a FIFO queue with a standard DLQ",
    build: (stack) => {
      const dlq = queue(stack, "dlq", { messageRetentionSeconds: 14 * DAY });
      queue(stack, "source.fifo", {
        fifoQueue: true,
        redrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }),
      });
    },
    violation: "FIFO queue redrives to standard queue",
  },
  // ---- streams
  {
    rule: POLICY_RULES.streamBoundedRetries,
    name: "a StreamWorker",
    build: (stack, { fn }) =>
      new StreamWorker(stack, "stream", {
        fn: fn(),
        table: streamTable(stack),
        onFailureQueueName: "failures",
      }),
  },
  {
    rule: POLICY_RULES.streamBoundedRetries,
    name: "a stream mapping bounded by record age only",
    build: (stack, { fn }) =>
      new LambdaEventSourceMapping(stack, "mapping", {
        functionName: fn().arn,
        eventSourceArn: streamTable(stack).streamArn,
        startingPosition: "LATEST",
        maximumRecordAgeInSeconds: 600,
        destinationConfig: { onFailure: { destinationArn: queue(stack, "failures").arn } },
      }),
  },
  {
    rule: POLICY_RULES.streamBoundedRetries,
    name: "a stream mapping with unbounded retries and record age",
    build: (stack, { fn }) =>
      new LambdaEventSourceMapping(stack, "mapping", {
        functionName: fn().arn,
        eventSourceArn: streamTable(stack).streamArn,
        startingPosition: "LATEST",
        maximumRetryAttempts: -1,
        destinationConfig: { onFailure: { destinationArn: queue(stack, "failures").arn } },
      }),
    violation: "retries forever with no record age limit",
  },
  {
    rule: POLICY_RULES.streamOnFailure,
    name: "a stream mapping without an on-failure destination",
    build: (stack, { fn }) =>
      new LambdaEventSourceMapping(stack, "mapping", {
        functionName: fn().arn,
        eventSourceArn: streamTable(stack).streamArn,
        startingPosition: "LATEST",
        maximumRetryAttempts: 3,
      }),
    violation: "has no on-failure destination",
  },
  // ---- Step Functions
  {
    rule: POLICY_RULES.sfnLambdaServiceRetry,
    name: "a Workflow built with lambdaTask()",
    build: (stack, { fn }) => {
      const f = fn();
      new Workflow(stack, "flow", {
        stateMachineName: "flow",
        invokes: [f],
        definition: { StartAt: "Task", States: { Task: lambdaTask(f, { end: true }) } },
      });
    },
  },
  {
    rule: POLICY_RULES.sfnLambdaServiceRetry,
    name: "a Lambda task retried by States.ALL",
    build: (stack, { fn }) =>
      stateMachine(stack, fn(), {
        TimeoutSeconds: 10,
        Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 2 }],
      }),
  },
  {
    rule: POLICY_RULES.sfnLambdaServiceRetry,
    name: "a Lambda task without a retrier",
    build: (stack, { fn }) => stateMachine(stack, fn(), { TimeoutSeconds: 10 }),
    violation: `Lambda task "Task" does not retry ${allFour.join(", ")}`,
  },
  {
    rule: POLICY_RULES.sfnLambdaServiceRetry,
    name: "a Lambda task whose first matching retrier (States.TaskFailed) never retries",
    build: (stack, { fn }) =>
      stateMachine(stack, fn(), {
        TimeoutSeconds: 10,
        Retry: [
          { ErrorEquals: ["States.TaskFailed"], MaxAttempts: 0 },
          { ErrorEquals: allFour, MaxAttempts: 3 },
        ],
      }),
    violation: "does not retry Lambda.ServiceException",
  },
  {
    rule: POLICY_RULES.sfnLambdaServiceRetry,
    name: "a Lambda task retrying only throttles",
    build: (stack, { fn }) =>
      stateMachine(stack, fn(), {
        TimeoutSeconds: 10,
        Retry: [{ ErrorEquals: ["Lambda.TooManyRequestsException"] }],
      }),
    violation:
      "does not retry Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException:",
  },
  {
    rule: POLICY_RULES.sfnTaskTimeout,
    name: "a Lambda task without TimeoutSeconds",
    build: (stack, { fn }) => stateMachine(stack, fn(), { Retry: [{ ErrorEquals: allFour }] }),
    violation: 'Lambda task "Task" has no TimeoutSeconds',
  },
  {
    rule: POLICY_RULES.sfnTaskTimeout,
    name: "a Lambda task with TimeoutSecondsPath",
    build: (stack, { fn }) =>
      stateMachine(stack, fn(), { TimeoutSecondsPath: "$.timeout", Retry: [{ ErrorEquals: allFour }] }),
  },
  // ---- IAM
  {
    rule: POLICY_RULES.iamWildcardAction,
    name: "a role policy listing exact actions",
    build: (stack) => {
      const role = new IamRole(stack, "role", {
        name: "role",
        assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com"),
      });
      new IamRolePolicy(stack, "policy", {
        role: role.id,
        policy: policyDocument([{ Action: ["sqs:SendMessage"], Resource: "*" }]),
      });
    },
  },
  {
    rule: POLICY_RULES.iamWildcardAction,
    name: "a role policy allowing sqs:*",
    build: (stack) => {
      const role = new IamRole(stack, "role", {
        name: "role",
        assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com"),
      });
      new IamRolePolicy(stack, "policy", {
        role: role.id,
        policy: policyDocument([{ Action: ["sqs:*"], Resource: "*" }]),
      });
    },
    violation: 'allows wildcard action(s) "sqs:*"',
  },
  {
    rule: POLICY_RULES.iamWildcardAction,
    name: "a managed policy allowing *",
    build: (stack) =>
      new IamPolicy(stack, "policy", {
        name: "admin",
        policy: policyDocument([{ Action: "*", Resource: "*" }]),
      }),
    violation: 'allows wildcard action(s) "*"',
  },
  {
    rule: POLICY_RULES.iamWildcardAction,
    name: "a policy document allowing s3:Get*",
    build: (stack) =>
      new DataAwsIamPolicyDocument(stack, "document", {
        statement: [{ actions: ["s3:Get*"], resources: ["*"] }],
      }),
    violation: 'allows wildcard action(s) "s3:Get*"',
  },
  {
    rule: POLICY_RULES.iamWildcardAction,
    name: "a role inline policy allowing NotAction",
    build: (stack) =>
      new IamRole(stack, "role", {
        name: "role",
        assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com"),
        inlinePolicy: [
          {
            name: "broad",
            policy: JSON.stringify({
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }],
            }),
          },
        ],
      }),
    violation: "allows everything except NotAction",
  },
  {
    rule: POLICY_RULES.streamOnFailure,
    name: "a stream mapping with an SQS on-failure destination",
    build: (stack, { fn }) =>
      new LambdaEventSourceMapping(stack, "mapping", {
        functionName: fn().arn,
        eventSourceArn: streamTable(stack).streamArn,
        startingPosition: "LATEST",
        maximumRetryAttempts: 3,
        destinationConfig: { onFailure: { destinationArn: queue(stack, "failures").arn } },
      }),
  },
  // ---- everywhere
  {
    rule: POLICY_RULES.encryptionAtRest,
    name: "an SSE-SQS queue, a KMS topic and an SSE table",
    build: (stack) => {
      queue(stack, "encrypted");
      new SnsTopic(stack, "topic", { name: "topic", kmsMasterKeyId: "alias/aws/sns" });
      streamTable(stack);
    },
  },
  {
    rule: POLICY_RULES.logRetention,
    name: "a NodeFunction (its own log group with retention)",
    build: (_stack, { fn }) => fn(),
  },
  {
    rule: POLICY_RULES.lambdaRuntime,
    name: "a NodeFunction on nodejs22.x",
    build: (_stack, { fn }) => fn(),
  },
  {
    rule: POLICY_RULES.encryptionAtRest,
    name: "a queue without encryption",
    build: (stack) => new SqsQueue(stack, "plain", { name: "plain" }),
    violation: "no encryption at rest is configured",
  },
  {
    rule: POLICY_RULES.encryptionAtRest,
    name: "a topic without a KMS key",
    build: (stack) => new SnsTopic(stack, "plain", { name: "plain" }),
    violation: "no encryption at rest is configured",
  },
  {
    rule: POLICY_RULES.logRetention,
    name: "a log group keeping logs forever",
    build: (stack) => new CloudwatchLogGroup(stack, "logs", { name: "/app/logs" }),
    violation: "keeps logs forever",
  },
  {
    rule: POLICY_RULES.logRetention,
    name: "a function without a log group",
    build: (stack, { fn }) => {
      const f = fn();
      new LambdaFunction(stack, "raw", {
        functionName: "raw",
        role: f.role.arn,
        runtime: "nodejs22.x",
        handler: "index.handler",
        filename: "code.zip",
      });
    },
    violation: "expected /aws/lambda/raw",
  },
  {
    rule: POLICY_RULES.lambdaRuntime,
    name: "a function whose runtime an escape hatch changed",
    build: (_stack, { fn }) => fn().function.addOverride("runtime", "nodejs18.x"),
    violation: 'runtime is "nodejs18.x", not nodejs22.x',
  },
  // ---- alarms reach someone
  {
    rule: POLICY_RULES.alarmTopicSubscription,
    name: "an alarm topic with an e-mail subscription",
    build: (stack) => {
      const topic = alarmTopic(stack);
      alarmOn(stack, topic);
      new SnsTopicSubscription(stack, "email", {
        topicArn: topic.arn,
        protocol: "email",
        endpoint: "a@example.com",
      });
    },
  },
  {
    rule: POLICY_RULES.alarmTopicSubscription,
    name: "a topic no alarm notifies, without subscriptions",
    build: (stack) => alarmTopic(stack),
  },
  {
    rule: POLICY_RULES.alarmTopicSubscription,
    name: "an alarm topic nobody subscribes to",
    build: (stack) => alarmOn(stack, alarmTopic(stack)),
    violation: "alarms notify this topic but nothing subscribes to it",
  },
  // ---- API routes
  {
    rule: POLICY_RULES.apiRouteAuthorization,
    name: "a route behind IAM authorization",
    build: (stack) => route(stack, { authorizationType: "AWS_IAM" }),
  },
  {
    rule: POLICY_RULES.apiRouteAuthorization,
    name: "a public route acknowledged with a reason",
    build: (stack) =>
      acknowledge(
        route(stack, { routeKey: "GET /health" }),
        POLICY_RULES.apiRouteAuthorization,
        "A health check for the load balancer; it returns no data.",
      ),
  },
  {
    rule: POLICY_RULES.apiRouteAuthorization,
    name: "a route without authorization",
    build: (stack) => route(stack),
    violation: 'route "GET /orders/{id}" answers anyone',
  },
  {
    rule: POLICY_RULES.apiRouteAuthorization,
    name: "a route whose authorization is NONE",
    build: (stack) => route(stack, { authorizationType: "NONE" }),
    violation: "it has no authorization",
  },
];

describe("policy rules", () => {
  it.each(cases.filter((c) => c.violation === undefined))("$rule passes $name", ({ build }) => {
    const { stack } = policyStack(build);
    expect(synthErrors(stack)).toEqual({ rules: [], message: "" });
  });

  it.each(cases.filter((c) => c.violation !== undefined))(
    "$rule fails $name",
    ({ rule, build, violation }) => {
      const { stack } = policyStack(build);
      const { rules, message } = synthErrors(stack);
      expect(rules).toEqual([rule]);
      expect(message).toContain(violation);
      expect(message).toContain("Fix: ");
      // The resource is named twice: by construct path (from cdktf) and by Terraform address.
      expect(message).toMatch(/\[test\/[^\]]+\] rebound\/[a-z-]+: (data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+: /);
    },
  );

  it("covers every rule both ways", () => {
    const passing = new Set(cases.filter((c) => c.violation === undefined).map((c) => c.rule));
    const failing = new Set(cases.filter((c) => c.violation !== undefined).map((c) => c.rule));
    for (const rule of Object.values(POLICY_RULES))
      expect(failing.has(rule), `${rule} has a failing case`).toBe(true);
    for (const rule of Object.values(POLICY_RULES))
      expect(passing.has(rule), `${rule} has a passing case`).toBe(true);
  });

  it("reports every violation of a stack in one failure", () => {
    const { stack } = policyStack((s) => {
      new SqsQueue(s, "plain", { name: "plain" });
      new SnsTopic(s, "topic", { name: "topic" });
      new CloudwatchLogGroup(s, "logs", { name: "/app/logs" });
    });
    const { rules, message } = synthErrors(stack);
    expect(rules).toEqual([POLICY_RULES.encryptionAtRest, POLICY_RULES.logRetention]);
    expect(message.match(/rebound\//g)?.length).toBeGreaterThanOrEqual(3);
  });
});
