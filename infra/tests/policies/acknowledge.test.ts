import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { QueueWorker } from "../../src/constructs/QueueWorker.js";
import { AcknowledgementError } from "../../src/errors.js";
import { acknowledge } from "../../src/policies/acknowledge.js";
import { POLICY_RULES, type PolicyRuleId } from "../../src/policies/ruleIds.js";
import { policyStack } from "../helpers/stacks.js";
import { synthErrors } from "../helpers/synthErrors.js";

const REASON = "The handler writes the whole batch in one transaction: all or nothing by design.";

function allOrNothingMapping(ack: boolean) {
  return policyStack((stack, { fn }) => {
    const queue = new SqsQueue(stack, "jobs", {
      name: "jobs",
      sqsManagedSseEnabled: true,
      visibilityTimeoutSeconds: 60,
    });
    const mapping = new LambdaEventSourceMapping(stack, "mapping", {
      functionName: fn().arn,
      eventSourceArn: queue.arn,
    });
    if (ack) acknowledge(mapping, POLICY_RULES.sqsReportBatchItemFailures, REASON);
  });
}

describe("acknowledge", () => {
  it("lets one acknowledged violation through and reports it with its reason", () => {
    const { stack, policies } = allOrNothingMapping(true);
    expect(synthErrors(stack).rules).toEqual([]);
    expect(policies.acknowledged).toEqual([
      expect.objectContaining({
        rule: POLICY_RULES.sqsReportBatchItemFailures,
        path: "test/mapping",
        reason: REASON,
      }),
    ]);
  });

  it("keeps the reason in the synthesized JSON where reviewers see it", () => {
    const { stack } = allOrNothingMapping(true);
    Testing.synth(stack, true);
    // Testing.synth strips "//" keys; the file cdktf writes (stack.toTerraform()) keeps them.
    const terraform = stack.toTerraform() as {
      resource: Record<string, Record<string, Record<string, Record<string, unknown>>>>;
    };
    const mapping = Object.values(terraform.resource.aws_lambda_event_source_mapping ?? {})[0]!;
    expect(mapping["//"]?.rebound_acknowledgements).toEqual({
      "rebound_sqs-report-batch-item-failures": REASON,
    });
  });

  it("still fails the same violation without the acknowledgement", () => {
    expect(synthErrors(allOrNothingMapping(false).stack).rules).toEqual([
      POLICY_RULES.sqsReportBatchItemFailures,
    ]);
  });

  it("covers only the resource and rule it names", () => {
    const { stack } = policyStack((s, { fn }) => {
      const queue = new SqsQueue(s, "jobs", { name: "jobs", sqsManagedSseEnabled: true });
      const mapping = new LambdaEventSourceMapping(s, "mapping", {
        functionName: fn({ timeout: 10 }).arn,
        eventSourceArn: queue.arn,
      });
      acknowledge(mapping, POLICY_RULES.sqsReportBatchItemFailures, REASON);
    });
    // The 30 s visibility timeout under a 10 s function is a second, unacknowledged violation.
    expect(synthErrors(stack).rules).toEqual([POLICY_RULES.sqsVisibilityTimeout]);
  });

  it("fails synthesis when the acknowledged resource complies (a stale acknowledgement)", () => {
    const { stack } = policyStack((s, { fn }) => {
      const worker = new QueueWorker(s, "worker", { fn: fn(), queueName: "jobs" });
      acknowledge(worker.mapping, POLICY_RULES.sqsReportBatchItemFailures, REASON);
    });
    const { rules, message } = synthErrors(stack);
    expect(rules).toEqual([POLICY_RULES.sqsReportBatchItemFailures]);
    expect(message).toContain("remove the stale acknowledge() call");
  });

  it.each([
    ["an unknown rule", "rebound/no-such-rule", REASON, /unknown rule "rebound\/no-such-rule"/],
    [
      "a reason too short to explain anything",
      POLICY_RULES.sqsReportBatchItemFailures,
      "ok",
      /at least 20 characters/,
    ],
  ])("rejects %s", (_case, rule, reason, expected) => {
    policyStack((s) => {
      const queue = new SqsQueue(s, "jobs", { name: "jobs", sqsManagedSseEnabled: true });
      expect(() => acknowledge(queue, rule as PolicyRuleId, reason)).toThrow(expected);
    });
  });

  it("rejects a construct that is not one Terraform resource", () => {
    policyStack((s, { fn }) => {
      const worker = new QueueWorker(s, "worker", { fn: fn(), queueName: "jobs" });
      expect(() => acknowledge(worker, POLICY_RULES.sqsReportBatchItemFailures, REASON)).toThrow(
        AcknowledgementError,
      );
      expect(() => acknowledge(worker, POLICY_RULES.sqsReportBatchItemFailures, REASON)).toThrow(
        /worker\.mapping, not the QueueWorker/,
      );
    });
  });
});
