import { TerraformDataSource, TerraformResource } from "cdktf";
import type { IConstruct } from "constructs";
import { AcknowledgementError } from "../errors.js";
import { POLICY_RULE_IDS, type PolicyRuleId } from "./ruleIds.js";

const acknowledgements = new WeakMap<IConstruct, Map<PolicyRuleId, string>>();

/** A reason must say why, not just "ok": at least this many characters. */
const MIN_REASON_LENGTH = 20;

/**
 * Accepts one policy rule's violation on one resource, with a written reason. The reason is kept in
 * the synthesized JSON (under the resource's `//` comment key, which Terraform ignores) so reviewers
 * see it in the diff. An acknowledgement on a resource that no longer violates the rule fails
 * synthesis, so stale exceptions do not pile up.
 *
 * @example
 * ```ts
 * import { acknowledge } from "@rebound/infra/policies/acknowledge";
 * acknowledge(mapping, "rebound/sqs-report-batch-item-failures",
 *   "The handler processes the batch in one DynamoDB transaction: all or nothing by design.");
 * ```
 */
export function acknowledge(resource: IConstruct, rule: PolicyRuleId, reason: string): void {
  if (!TerraformResource.isTerraformResource(resource) && !(resource instanceof TerraformDataSource)) {
    throw new AcknowledgementError(
      `acknowledge(${resource.node.path}): pass the Terraform resource itself (e.g. worker.mapping, not the QueueWorker), so the exception covers exactly one resource`,
    );
  }
  if (!(POLICY_RULE_IDS as readonly string[]).includes(rule)) {
    throw new AcknowledgementError(
      `acknowledge(${resource.node.path}): unknown rule ${JSON.stringify(rule)}; expected one of ${POLICY_RULE_IDS.join(", ")}`,
    );
  }
  if (typeof reason !== "string" || reason.trim().length < MIN_REASON_LENGTH) {
    throw new AcknowledgementError(
      `acknowledge(${resource.node.path}, "${rule}"): write a reason of at least ${MIN_REASON_LENGTH} characters saying why the rule does not apply here, got ${JSON.stringify(reason)}`,
    );
  }
  let rules = acknowledgements.get(resource);
  if (rules === undefined) {
    rules = new Map();
    acknowledgements.set(resource, rules);
  }
  rules.set(rule, reason.trim());
  resource.addOverride(`//.rebound_acknowledgements.${rule.replace(/\//g, "_")}`, reason.trim());
}

/**
 * The reason a resource's violation of a rule was acknowledged, if it was.
 *
 * @example
 * ```ts
 * import { acknowledgement } from "@rebound/infra/policies/acknowledge";
 * acknowledgement(mapping, "rebound/sqs-report-batch-item-failures"); // "The handler ..." or undefined
 * ```
 */
export function acknowledgement(resource: IConstruct, rule: PolicyRuleId): string | undefined {
  return acknowledgements.get(resource)?.get(rule);
}

/**
 * Every rule acknowledged on a resource.
 *
 * @example
 * ```ts
 * import { acknowledgedRules } from "@rebound/infra/policies/acknowledge";
 * acknowledgedRules(mapping); // ["rebound/sqs-report-batch-item-failures"]
 * ```
 */
export function acknowledgedRules(resource: IConstruct): PolicyRuleId[] {
  return [...(acknowledgements.get(resource)?.keys() ?? [])];
}
