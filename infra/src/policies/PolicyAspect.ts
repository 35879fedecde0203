import { type IAspect, TerraformDataSource, TerraformResource, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { acknowledgedRules, acknowledgement } from "./acknowledge.js";
import { ResourceIndex } from "./ResourceIndex.js";
import type { PolicyRuleId } from "./ruleIds.js";
import { POLICY_RULE_SET, type PolicyRule } from "./rules.js";

/** A violation that was acknowledged on its resource, with the written reason. */
export interface AcknowledgedViolation {
  readonly rule: PolicyRuleId;
  readonly address: string;
  readonly path: string;
  readonly problem: string;
  readonly reason: string;
}

/**
 * Checks every Terraform resource of a stack against the policy rules when the stack synthesizes.
 * Each violation becomes a validation error on its resource, so synthesis fails once, listing every
 * violation with its construct path, Terraform address, rule id and fix. Acknowledged violations are
 * kept in {@link PolicyAspect.acknowledged} for the synth report; an acknowledgement that no longer
 * matches a violation fails synthesis too.
 *
 * @example
 * ```ts
 * import { Aspects } from "cdktf";
 * import { PolicyAspect } from "@rebound/infra/policies/PolicyAspect";
 * const policies = new PolicyAspect();
 * Aspects.of(stack).add(policies);
 * app.synth(); // throws "Validation failed ... rebound/sqs-report-batch-item-failures ..." on a violation
 * ```
 */
export class PolicyAspect implements IAspect {
  public readonly acknowledged: AcknowledgedViolation[] = [];
  private readonly rules: readonly PolicyRule[];
  private readonly indexes = new WeakMap<TerraformStack, ResourceIndex>();

  /** @param rules the rules to apply; default all of them. */
  public constructor(rules: readonly PolicyRule[] = POLICY_RULE_SET) {
    this.rules = rules;
  }

  public visit(node: IConstruct): void {
    // Aspects visit a parent before its children: index the stack once, when it is visited, so
    // every resource sees the same resolved view and a second synthesis sees the stack as it is then.
    if (TerraformStack.isStack(node)) {
      this.indexes.set(node, ResourceIndex.build(node));
      return;
    }
    if (!TerraformResource.isTerraformResource(node) && !(node instanceof TerraformDataSource)) return;
    const element = node as TerraformResource | TerraformDataSource;
    const stack = TerraformStack.of(element);
    let index = this.indexes.get(stack);
    if (index === undefined) {
      index = ResourceIndex.build(stack);
      this.indexes.set(stack, index);
    }
    const resource = index.get(element);
    if (resource === undefined) return;
    const errors: string[] = [];
    const violated = new Set<PolicyRuleId>();
    for (const rule of this.rules) {
      if (!rule.appliesTo.includes(resource.type)) continue;
      for (const problem of rule.check(resource, index)) {
        violated.add(rule.id);
        const reason = acknowledgement(element, rule.id);
        if (reason !== undefined) {
          this.acknowledged.push({
            rule: rule.id,
            address: resource.address,
            path: element.node.path,
            problem,
            reason,
          });
          continue;
        }
        errors.push(
          `${rule.id}: ${resource.address}: ${problem}. Fix: ${rule.fix}. ` +
            `Or, if it is intended, acknowledge(<this resource>, "${rule.id}", "<why>").`,
        );
      }
    }
    const checked = new Set(this.rules.map((rule) => rule.id));
    for (const rule of acknowledgedRules(element)) {
      if (checked.has(rule) && !violated.has(rule)) {
        errors.push(
          `${rule}: ${resource.address} is acknowledged for this rule but complies with it; remove the stale acknowledge() call`,
        );
      }
    }
    if (errors.length > 0) element.node.addValidation({ validate: () => errors });
  }
}
