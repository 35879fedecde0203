import type { EventRuleTarget } from "../destinations/EventBus.js";
import { parseEventPattern } from "../destinations/eventPattern.js";
import { ConfigurationError } from "../engine/errors.js";
import type { Topology } from "../topology/Topology.js";
import type { StackReferences } from "./StackReferences.js";
import type { TerraformJson, TerraformResource } from "./TerraformJson.js";
import { firstBlock } from "./terraformValues.js";

/** The bus a rule or target names: `event_bus_name`, else AWS's `default` bus. */
function busNameOf(resource: TerraformResource, references: StackReferences): string {
  const value = resource.values.event_bus_name;
  if (typeof value !== "string") return "default";
  const resolved = references.resolve(value, `${resource.address} event_bus_name`);
  // A bus may be named by its ARN as well as by its name.
  return resolved.replace(/^arn:aws:events:[^:]*:\d+:event-bus\//, "");
}

/**
 * Adds the stack's S3 buckets and EventBridge buses (`aws_s3_bucket`, `aws_cloudwatch_event_bus`) as
 * destination targets (AWS's `default` bus is always there). Called before anything that names them as
 * a destination.
 *
 * @example
 * ```ts
 * loadBusesAndBuckets(topology, (type) => tf.resourcesOfType(type));
 * ```
 */
export function loadBusesAndBuckets(
  topology: Topology,
  of: (type: string) => readonly TerraformResource[],
): void {
  for (const bucket of of("aws_s3_bucket")) {
    const name = bucket.values.bucket;
    if (typeof name !== "string")
      throw new ConfigurationError(
        "bucket",
        `${bucket.address}: set bucket (its name); Rebound cannot invent the name AWS would generate`,
      );
    topology.addBucket({ bucketName: name });
  }
  // AWS's default bus exists in every account, and in every topology.
  for (const bus of of("aws_cloudwatch_event_bus"))
    topology.addEventBus({ name: String(bus.values.name ?? bus.name) });
}

/**
 * Adds every EventBridge rule with an event pattern (`aws_cloudwatch_event_rule`) and its targets
 * (`aws_cloudwatch_event_target`: Lambda functions and SQS queues) to its bus, so an event on the bus
 * (a Lambda destination's record) reaches what the rule targets. A rule with only a
 * `schedule_expression` is returned as not modelled; an unsupported pattern operator or target is an
 * error that names it. Called once functions and queues exist.
 *
 * @example
 * ```ts
 * const notes = loadEventRules(tf, topology, references, (type) => tf.resourcesOfType(type));
 * ```
 */
export function loadEventRules(
  tf: TerraformJson,
  topology: Topology,
  references: StackReferences,
  of: (type: string) => readonly TerraformResource[],
): string[] {
  const unmodelled: string[] = [];
  const targets = of("aws_cloudwatch_event_target");
  for (const rule of of("aws_cloudwatch_event_rule")) {
    const name = String(rule.values.name ?? rule.name);
    if (typeof rule.values.event_pattern !== "string") {
      unmodelled.push(`${rule.address} (schedule_expression rules are not run: only event patterns are)`);
      continue;
    }
    const pattern = parseEventPattern(
      references.resolve(rule.values.event_pattern, `${rule.address} event_pattern`),
      rule.address,
    );
    const mine = targets.filter((target) => {
      const named = target.values.rule;
      return tf.referencedResource(named)?.address === rule.address || named === name;
    });
    const ruleTargets: EventRuleTarget[] = mine.map((target) => {
      const arn = references.resolve(String(target.values.arn), `${target.address} arn`);
      if (!arn.startsWith("arn:aws:lambda:") && !arn.startsWith("arn:aws:sqs:"))
        throw new ConfigurationError(
          "arn",
          `${target.address}: target ${arn} is not modelled (Lambda functions and SQS queues are)`,
        );
      const reshaped = ["input", "input_path", "input_transformer"].filter(
        (key) => target.values[key] !== undefined,
      );
      if (reshaped.length > 0)
        throw new ConfigurationError(
          reshaped[0]!,
          `${target.address}: ${reshaped.join(", ")} (reshaping the event for the target) is not modelled by Rebound; the target would get another payload than on AWS`,
        );
      const groupId = firstBlock(target.values.sqs_target)?.message_group_id;
      // EventBridge refuses a FIFO queue target without a message group (PutTargets validation).
      if (arn.startsWith("arn:aws:sqs:") && arn.endsWith(".fifo") && typeof groupId !== "string")
        throw new ConfigurationError(
          "sqs_target",
          `${target.address}: the FIFO queue ${arn} needs sqs_target { message_group_id = "…" } as an EventBridge target`,
        );
      const retry = firstBlock(target.values.retry_policy);
      const attempts = retry?.maximum_retry_attempts;
      const age = retry?.maximum_event_age_in_seconds;
      if (
        (attempts !== undefined &&
          !(Number.isInteger(attempts) && (attempts as number) >= 0 && (attempts as number) <= 185)) ||
        (age !== undefined && !(Number.isInteger(age) && (age as number) >= 60 && (age as number) <= 86_400))
      )
        throw new ConfigurationError(
          "retry_policy",
          `${target.address}: retry_policy takes maximum_retry_attempts 0 to 185 and maximum_event_age_in_seconds 60 to 86400 (EventBridge's bounds)`,
        );
      return { arn, ...(typeof groupId === "string" ? { messageGroupId: groupId } : {}) };
    });
    const state = rule.values.state ?? (rule.values.is_enabled === false ? "DISABLED" : "ENABLED");
    topology.eventBus(busNameOf(rule, references), `${rule.address} event_bus_name`).addRule({
      name,
      pattern,
      targets: ruleTargets,
      enabled: state === "ENABLED",
    });
  }
  return unmodelled;
}
