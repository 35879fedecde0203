import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadStack, parseScenario, runScenario, scripted, TerraformJson, Topology } from "../../src/index.js";

// A notifier invoked asynchronously whose failures go to a custom bus; a rule sends Lambda's failure
// events to a queue and to an auditor function; a second rule matches nothing; failures of a worker
// go straight to an S3 bucket.
const stack = {
  provider: { aws: [{ region: "eu-west-1" }] },
  resource: {
    aws_cloudwatch_event_bus: { ops: { name: "ops" } },
    aws_s3_bucket: { archive: { bucket: "failure-archive" } },
    aws_sqs_queue: { alerts: { name: "alerts" } },
    aws_lambda_function: {
      notifier: { function_name: "notifier", handler: "index.handler", runtime: "nodejs22.x" },
      auditor: { function_name: "auditor", handler: "index.handler", runtime: "nodejs22.x" },
      worker: { function_name: "worker", handler: "index.handler", runtime: "nodejs22.x" },
    },
    aws_lambda_function_event_invoke_config: {
      notifier: {
        function_name: "${aws_lambda_function.notifier.function_name}",
        maximum_retry_attempts: 0,
        destination_config: { on_failure: { destination: "${aws_cloudwatch_event_bus.ops.arn}" } },
      },
      worker: {
        function_name: "${aws_lambda_function.worker.function_name}",
        maximum_retry_attempts: 0,
        destination_config: { on_failure: { destination: "${aws_s3_bucket.archive.arn}" } },
      },
    },
    aws_cloudwatch_event_rule: {
      failures: {
        name: "lambda-failures",
        event_bus_name: "${aws_cloudwatch_event_bus.ops.name}",
        event_pattern: JSON.stringify({
          source: ["lambda"],
          "detail-type": ["Lambda Function Invocation Result - Failure"],
          detail: { requestContext: { condition: ["RetriesExhausted"] } },
        }),
      },
      successes: {
        name: "lambda-successes",
        event_bus_name: "ops",
        event_pattern: JSON.stringify({ "detail-type": [{ suffix: "Success" }] }),
      },
    },
    aws_cloudwatch_event_target: {
      to_queue: {
        rule: "${aws_cloudwatch_event_rule.failures.name}",
        event_bus_name: "ops",
        arn: "${aws_sqs_queue.alerts.arn}",
      },
      to_auditor: {
        rule: "lambda-failures",
        event_bus_name: "ops",
        arn: "${aws_lambda_function.auditor.arn}",
      },
      never: {
        rule: "${aws_cloudwatch_event_rule.successes.name}",
        event_bus_name: "ops",
        arn: "${aws_sqs_queue.alerts.arn}",
      },
    },
  },
};

describe("EventBridge rules and S3 buckets from the stack", () => {
  it("sends a failure event on a bus to the targets of the rules it matches, and a record to a bucket", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rebound-eventbridge-"));
    writeFileSync(join(dir, "stack.tf.json"), JSON.stringify(stack));
    const text = `name: eventbridge
stack: stack.tf.json
events:
  - { id: notify, kind: invoke, function: notifier, payload: { orderId: o-1 } }
  - { id: work, kind: invoke, function: worker, payload: { job: 7 } }
functions:
  notifier: { behaviour: fail, errorType: MailDown }
  worker: { behaviour: fail, errorType: JobFailed }
  auditor: { behaviour: succeed }
expect:
  - { check: queue-depth, queue: alerts, equals: 1 }
  - { check: outcome-counts, source: "lambda:auditor", processed: 1 }
  - { check: event-outcome, event: notify, disposition: sent-to-destination }
  - { check: event-outcome, event: work, disposition: sent-to-destination }
`;
    const result = await runScenario(parseScenario(text, join(dir, "eventbridge.yaml")), { repoRoot: dir });
    expect(result.expectations.filter((expectation) => !expectation.ok)).toEqual([]);
  });

  it("hands the rule's Lambda target the bus event, and the bucket the failure record", () => {
    const topology = new Topology({ region: "eu-west-1" });
    const audited: unknown[] = [];
    loadStack(new TerraformJson(stack as never), topology, {
      identity: {
        region: "eu-west-1",
        accountId: "123456789012",
        endpointUrl: "http://127.0.0.1:1",
        streamLabel: "x",
      },
      handlerFor: (fn) =>
        fn.functionName === "auditor"
          ? (event: unknown) => void audited.push(event)
          : scripted.fail({ errorType: "Down", errorMessage: "down" }),
    });
    topology.invokeAsync("notifier", { orderId: "o-1" });
    topology.invokeAsync("worker", { job: 7 });
    topology.run();
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      source: "lambda",
      "detail-type": "Lambda Function Invocation Result - Failure",
      detail: { requestContext: { condition: "RetriesExhausted" }, requestPayload: { orderId: "o-1" } },
    });
    expect(topology.bucket("failure-archive").objects.size).toBe(1);
  });

  it("reads event_pattern, state and targets, and refuses a target it does not model", () => {
    const load = (document: unknown) =>
      loadStack(new TerraformJson(document as never), new Topology({ region: "eu-west-1" }), {
        identity: {
          region: "eu-west-1",
          accountId: "123456789012",
          endpointUrl: "http://127.0.0.1:1",
          streamLabel: "x",
        },
        handlerFor: () => scripted.succeed(),
      });
    const withSnsTarget = structuredClone(stack) as typeof stack & { resource: Record<string, unknown> };
    (withSnsTarget.resource as Record<string, Record<string, unknown>>).aws_sns_topic = { t: { name: "t" } };
    (withSnsTarget.resource.aws_cloudwatch_event_target as Record<string, unknown>).to_topic = {
      rule: "lambda-failures",
      event_bus_name: "ops",
      arn: "${aws_sns_topic.t.arn}",
    };
    expect(() => load(withSnsTarget)).toThrow(
      /aws_cloudwatch_event_target\.to_topic: target arn:aws:sns:.* is not modelled \(Lambda functions and SQS queues are\)/,
    );
    const badRetry = structuredClone(stack) as typeof stack;
    (badRetry.resource.aws_cloudwatch_event_target.to_queue as Record<string, unknown>).retry_policy = {
      maximum_retry_attempts: 200,
    };
    expect(() => load(badRetry)).toThrow(/to_queue: retry_policy takes maximum_retry_attempts 0 to 185/);
    const scheduled = structuredClone(stack) as typeof stack;
    (scheduled.resource.aws_cloudwatch_event_rule as Record<string, unknown>).nightly = {
      name: "nightly",
      schedule_expression: "rate(1 day)",
    };
    expect(load(scheduled).unmodelled.join("\n")).toContain(
      "aws_cloudwatch_event_rule.nightly (schedule_expression rules are not run",
    );
  });
});
