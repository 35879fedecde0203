/**
 * The policy rules every stack is checked against at synthesis. Ids are stable: they appear in
 * error messages and in `acknowledge()` calls.
 *
 * @example
 * ```ts
 * import { POLICY_RULES } from "@rebound/infra/policies/ruleIds";
 * acknowledge(mapping, POLICY_RULES.sqsReportBatchItemFailures, "the batch is all-or-nothing by design: ...");
 * ```
 */
export const POLICY_RULES = {
  asyncOnFailure: "rebound/async-on-failure",
  sqsReportBatchItemFailures: "rebound/sqs-report-batch-item-failures",
  sqsVisibilityTimeout: "rebound/sqs-visibility-timeout",
  dlqRetention: "rebound/dlq-retention",
  fifoDlq: "rebound/fifo-dlq",
  streamBoundedRetries: "rebound/stream-bounded-retries",
  streamOnFailure: "rebound/stream-on-failure",
  sfnLambdaServiceRetry: "rebound/sfn-lambda-service-retry",
  sfnTaskTimeout: "rebound/sfn-task-timeout",
  iamWildcardAction: "rebound/iam-wildcard-action",
  encryptionAtRest: "rebound/encryption-at-rest",
  logRetention: "rebound/log-retention",
  lambdaRuntime: "rebound/lambda-runtime",
  alarmTopicSubscription: "rebound/alarm-topic-subscription",
  apiRouteAuthorization: "rebound/api-route-authorization",
} as const;

/** One policy rule id. */
export type PolicyRuleId = (typeof POLICY_RULES)[keyof typeof POLICY_RULES];

/**
 * Every rule id, for validation of `acknowledge()` calls.
 *
 * @example
 * ```ts
 * import { POLICY_RULE_IDS } from "@rebound/infra/policies/ruleIds";
 * POLICY_RULE_IDS.includes("rebound/fifo-dlq"); // true
 * ```
 */
export const POLICY_RULE_IDS: readonly PolicyRuleId[] = Object.values(POLICY_RULES);
