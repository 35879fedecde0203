import { LAMBDA_RUNTIME, LAMBDA_SERVICE_ERRORS } from "../constants.js";
import type { IndexedResource, ResourceIndex } from "./ResourceIndex.js";
import { POLICY_RULES, type PolicyRuleId } from "./ruleIds.js";

/** One policy rule: which resource types it inspects, what it finds wrong, how to fix it. */
export interface PolicyRule {
  readonly id: PolicyRuleId;
  readonly appliesTo: readonly string[];
  /** The fix, written as an instruction. */
  readonly fix: string;
  /** Problems found on one resource; empty when it complies (or when it cannot be judged from this stack). */
  check(resource: IndexedResource, index: ResourceIndex): string[];
}

// AWS defaults that apply when an attribute is absent from the Terraform JSON.
const SQS_DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
const SQS_DEFAULT_RETENTION_SECONDS = 345_600;
const LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3;
const LAMBDA_ASYNC_PRINCIPALS = ["sns.amazonaws.com", "s3.amazonaws.com", "events.amazonaws.com"];

/** A nested block is an object in cdktf output, but a list in hand-written JSON. */
function block(value: unknown): Record<string, unknown> | undefined {
  const item = Array.isArray(value) ? value[0] : value;
  return item !== null && typeof item === "object" ? (item as Record<string, unknown>) : undefined;
}

/** A number attribute; `undefined` when absent (caller applies AWS's default) or not known until apply. */
function numberOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

function truthy(value: unknown): boolean {
  return value === true || value === "true";
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

/**
 * Parses a JSON document held in a string attribute (a policy, a definition). Terraform expressions
 * inside it (`${element(split(":", ...), 4)}`) may hold quotes that are only valid after Terraform
 * evaluates them, so each is replaced by a placeholder first; references never carry actions.
 */
function parseJson(value: unknown): unknown {
  if (typeof value !== "string" || !value.trimStart().startsWith("{")) return undefined;
  try {
    return JSON.parse(
      value.replace(/\$\{[^{}]*\}/g, (expression) =>
        expression.includes('"') ? "TF_EXPRESSION" : expression,
      ),
    );
  } catch {
    return undefined;
  }
}

function sourceKind(mapping: IndexedResource, index: ResourceIndex): "sqs" | "stream" | "other" {
  const source = mapping.config.event_source_arn;
  const target = index.resolve(source);
  if (target !== undefined) {
    if (target.type === "aws_sqs_queue") return "sqs";
    if (target.type === "aws_dynamodb_table" || target.type === "aws_kinesis_stream") return "stream";
    return "other";
  }
  if (typeof source !== "string") return "other";
  if (source.includes(":sqs:")) return "sqs";
  if (source.includes(":dynamodb:") || source.includes(":kinesis:")) return "stream";
  return "other";
}

/** The queue a redrive policy (JSON string with deadLetterTargetArn) moves messages to. */
function redriveTarget(redrivePolicy: unknown, index: ResourceIndex): IndexedResource | undefined {
  const policy = parseJson(redrivePolicy) as { deadLetterTargetArn?: unknown } | undefined;
  return index.resolve(policy?.deadLetterTargetArn);
}

/** The source queue and redrive policy of an `aws_sqs_queue` or an `aws_sqs_queue_redrive_policy`. */
function redriveOf(
  resource: IndexedResource,
  index: ResourceIndex,
): { source?: IndexedResource; dlq?: IndexedResource } {
  if (resource.type === "aws_sqs_queue") {
    return { source: resource, dlq: redriveTarget(resource.config.redrive_policy, index) };
  }
  return {
    source: index.resolve(resource.config.queue_url),
    dlq: redriveTarget(resource.config.redrive_policy, index),
  };
}

interface AslState {
  Type?: string;
  Resource?: unknown;
  Retry?: { ErrorEquals?: string[]; MaxAttempts?: number }[];
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  Branches?: { States?: Record<string, AslState> }[];
  ItemProcessor?: { States?: Record<string, AslState> };
  Iterator?: { States?: Record<string, AslState> };
}

/** Every Task state that invokes Lambda, at any depth (Parallel branches, Map processors). */
function lambdaTasks(states: Record<string, AslState> | undefined, prefix = ""): [string, AslState][] {
  const found: [string, AslState][] = [];
  for (const [name, state] of Object.entries(states ?? {})) {
    const path = `${prefix}${name}`;
    if (state.Type === "Task" && typeof state.Resource === "string" && isLambdaResource(state.Resource)) {
      found.push([path, state]);
    }
    for (const [i, branch] of (state.Branches ?? []).entries()) {
      found.push(...lambdaTasks(branch.States, `${path}/Branches[${i}]/`));
    }
    found.push(...lambdaTasks(state.ItemProcessor?.States ?? state.Iterator?.States, `${path}/`));
  }
  return found;
}

function isLambdaResource(resource: string): boolean {
  return (
    resource.startsWith("arn:aws:states:::lambda:invoke") ||
    /^arn:aws[a-z-]*:lambda:[^:]+:[^:]+:function:/.test(resource) ||
    resource.startsWith("${aws_lambda_function.")
  );
}

/** Does the first retrier that matches `error` (ASL evaluates retriers in order) retry it at least once? */
function retried(state: AslState, error: string): boolean {
  const retrier = (state.Retry ?? []).find((candidate) => {
    const names = candidate.ErrorEquals ?? [];
    // States.TaskFailed matches every error except States.Timeout; States.ALL matches all.
    return names.includes(error) || names.includes("States.ALL") || names.includes("States.TaskFailed");
  });
  return retrier !== undefined && (retrier.MaxAttempts ?? 3) > 0;
}

interface PolicyStatementJson {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
}

function wildcardProblems(document: unknown, where: string): string[] {
  const statements = (document as { Statement?: unknown } | undefined)?.Statement;
  const list = (
    Array.isArray(statements) ? statements : statements ? [statements] : []
  ) as PolicyStatementJson[];
  const problems: string[] = [];
  for (const [i, statement] of list.entries()) {
    if ((statement.Effect ?? "Allow") !== "Allow") continue;
    const actions = [statement.Action ?? []].flat();
    const wildcards = actions.filter((action) => action.includes("*"));
    if (wildcards.length > 0) {
      problems.push(
        `${where} statement ${i} allows wildcard action(s) ${wildcards.map((a) => JSON.stringify(a)).join(", ")}`,
      );
    }
    if (statement.NotAction !== undefined) {
      problems.push(
        `${where} statement ${i} allows everything except NotAction, which is a wildcard in disguise`,
      );
    }
  }
  return problems;
}

function functionOf(reference: unknown, index: ResourceIndex): IndexedResource | undefined {
  const target = index.resolve(reference);
  return target?.type === "aws_lambda_function" ? target : undefined;
}

/**
 * The rules, in the order their messages are reported. Each reads the resolved Terraform JSON of one
 * resource and follows references through the index; a reference it cannot follow (a resource in
 * another stack) is not judged rather than guessed.
 *
 * @example
 * ```ts
 * import { POLICY_RULE_SET } from "@rebound/infra/policies/rules";
 * POLICY_RULE_SET.map((rule) => rule.id);
 * ```
 */
export const POLICY_RULE_SET: readonly PolicyRule[] = [
  {
    id: POLICY_RULES.asyncOnFailure,
    appliesTo: ["aws_lambda_function_event_invoke_config", "aws_lambda_function"],
    fix: "give the function an on-failure destination (AsyncFunction does: destinationConfig.onFailure) or a dead-letter queue (deadLetterConfig.targetArn)",
    check(resource, index) {
      if (resource.type === "aws_lambda_function_event_invoke_config") {
        const onFailure = block(block(resource.config.destination_config)?.on_failure)?.destination;
        const fn = functionOf(resource.config.function_name, index);
        const dlq = block(fn?.config.dead_letter_config)?.target_arn;
        return present(onFailure) || present(dlq)
          ? []
          : [
              "async invocations that fail every retry or age out are discarded: neither an on-failure destination nor a DLQ is set",
            ];
      }
      // A function invoked asynchronously (SNS subscription or an async service permission) with no invoke config at all.
      const invokedAsync =
        index
          .ofType("aws_sns_topic_subscription")
          .some((s) => s.config.protocol === "lambda" && functionOf(s.config.endpoint, index) === resource) ||
        index
          .ofType("aws_lambda_permission")
          .some(
            (p) =>
              LAMBDA_ASYNC_PRINCIPALS.includes(String(p.config.principal)) &&
              functionOf(p.config.function_name, index) === resource,
          );
      if (!invokedAsync) return [];
      const hasConfig = index
        .ofType("aws_lambda_function_event_invoke_config")
        .some((c) => functionOf(c.config.function_name, index) === resource);
      const dlq = block(resource.config.dead_letter_config)?.target_arn;
      return hasConfig || present(dlq)
        ? []
        : [
            "the function is invoked asynchronously but has no event invoke config and no DLQ: after 2 retries AWS discards the event",
          ];
    },
  },
  {
    id: POLICY_RULES.sqsReportBatchItemFailures,
    appliesTo: ["aws_lambda_event_source_mapping"],
    fix: 'set functionResponseTypes: ["ReportBatchItemFailures"] and return batchItemFailures from the handler (QueueWorker always does)',
    check(resource, index) {
      if (sourceKind(resource, index) !== "sqs") return [];
      const types = [resource.config.function_response_types ?? []].flat();
      return types.includes("ReportBatchItemFailures")
        ? []
        : [
            "the SQS mapping lacks ReportBatchItemFailures: one failed message makes Lambda redeliver the whole batch, successes included",
          ];
    },
  },
  {
    id: POLICY_RULES.sqsVisibilityTimeout,
    appliesTo: ["aws_lambda_event_source_mapping"],
    fix: "raise the queue's visibilityTimeoutSeconds to at least 6 x the function timeout + maximumBatchingWindowInSeconds (QueueWorker's default)",
    check(resource, index) {
      if (sourceKind(resource, index) !== "sqs") return [];
      const queue = index.resolve(resource.config.event_source_arn);
      const fn = functionOf(resource.config.function_name, index);
      if (queue === undefined || fn === undefined) return [];
      const visibility =
        numberOf(queue.config.visibility_timeout_seconds) ?? SQS_DEFAULT_VISIBILITY_TIMEOUT_SECONDS;
      const timeout = numberOf(fn.config.timeout) ?? LAMBDA_DEFAULT_TIMEOUT_SECONDS;
      const window = numberOf(resource.config.maximum_batching_window_in_seconds) ?? 0;
      const minimum = 6 * timeout + window;
      return visibility >= minimum
        ? []
        : [
            `queue ${queue.address} has visibility timeout ${visibility} s, under 6 x ${timeout} s (function timeout) + ${window} s (window) = ${minimum} s: messages reappear while their batch is still running and are processed twice`,
          ];
    },
  },
  {
    id: POLICY_RULES.dlqRetention,
    appliesTo: ["aws_sqs_queue", "aws_sqs_queue_redrive_policy"],
    fix: "make the DLQ's messageRetentionSeconds longer than the source queue's (e.g. source 4 days, DLQ 14 days)",
    check(resource, index) {
      const { source, dlq } = redriveOf(resource, index);
      if (source === undefined || dlq === undefined) return [];
      const sourceRetention =
        numberOf(source.config.message_retention_seconds) ?? SQS_DEFAULT_RETENTION_SECONDS;
      const dlqRetention = numberOf(dlq.config.message_retention_seconds) ?? SQS_DEFAULT_RETENTION_SECONDS;
      return dlqRetention > sourceRetention
        ? []
        : [
            `DLQ ${dlq.address} keeps messages ${dlqRetention} s, no longer than its source's ${sourceRetention} s: a standard queue's message keeps its original enqueue time, so it expires in the DLQ early or at once`,
          ];
    },
  },
  {
    id: POLICY_RULES.fifoDlq,
    appliesTo: ["aws_sqs_queue", "aws_sqs_queue_redrive_policy"],
    fix: "give a FIFO queue a FIFO DLQ (fifoQueue: true, name ending in .fifo)",
    check(resource, index) {
      const { source, dlq } = redriveOf(resource, index);
      if (source === undefined || dlq === undefined) return [];
      return truthy(source.config.fifo_queue) && !truthy(dlq.config.fifo_queue)
        ? [
            `FIFO queue redrives to standard queue ${dlq.address}; SQS requires the DLQ of a FIFO queue to be FIFO`,
          ]
        : [];
    },
  },
  {
    id: POLICY_RULES.streamBoundedRetries,
    appliesTo: ["aws_lambda_event_source_mapping"],
    fix: "bound maximumRetryAttempts (e.g. 5) and/or maximumRecordAgeInSeconds (e.g. 3600) (StreamWorker's defaults)",
    check(resource, index) {
      if (sourceKind(resource, index) !== "stream") return [];
      const retries = numberOf(resource.config.maximum_retry_attempts) ?? -1;
      const age = numberOf(resource.config.maximum_record_age_in_seconds) ?? -1;
      return retries === -1 && age === -1
        ? [
            "the stream mapping retries forever with no record age limit: one poison record blocks its shard until the record expires from the stream",
          ]
        : [];
    },
  },
  {
    id: POLICY_RULES.streamOnFailure,
    appliesTo: ["aws_lambda_event_source_mapping"],
    fix: "set destinationConfig.onFailure.destinationArn to an SQS queue or SNS topic (StreamWorker creates one)",
    check(resource, index) {
      if (sourceKind(resource, index) !== "stream") return [];
      const destination = block(block(resource.config.destination_config)?.on_failure)?.destination_arn;
      return present(destination)
        ? []
        : [
            "the stream mapping has no on-failure destination: records dropped after retries or age leave no trace",
          ];
    },
  },
  {
    id: POLICY_RULES.sfnLambdaServiceRetry,
    appliesTo: ["aws_sfn_state_machine"],
    fix: `start each Lambda task's Retry with a retrier for ${LAMBDA_SERVICE_ERRORS.join(", ")} (lambdaTask() adds LAMBDA_SERVICE_RETRIER)`,
    check(resource) {
      const definition = parseJson(resource.config.definition) as
        | { States?: Record<string, AslState> }
        | undefined;
      const problems: string[] = [];
      for (const [name, state] of lambdaTasks(definition?.States)) {
        const missing = LAMBDA_SERVICE_ERRORS.filter((error) => !retried(state, error));
        if (missing.length > 0) {
          problems.push(
            `Lambda task "${name}" does not retry ${missing.join(", ")}: a transient Lambda service error fails the execution`,
          );
        }
      }
      return problems;
    },
  },
  {
    id: POLICY_RULES.sfnTaskTimeout,
    appliesTo: ["aws_sfn_state_machine"],
    fix: "set TimeoutSeconds on each Lambda task to the function's timeout (lambdaTask() does)",
    check(resource) {
      const definition = parseJson(resource.config.definition) as
        | { States?: Record<string, AslState> }
        | undefined;
      return lambdaTasks(definition?.States)
        .filter(([, state]) => state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined)
        .map(
          ([name]) =>
            `Lambda task "${name}" has no TimeoutSeconds: a lost invocation holds the execution for up to a year`,
        );
    },
  },
  {
    id: POLICY_RULES.iamWildcardAction,
    appliesTo: [
      "aws_iam_role_policy",
      "aws_iam_policy",
      "aws_iam_user_policy",
      "aws_iam_group_policy",
      "aws_iam_role",
      "data.aws_iam_policy_document",
    ],
    fix: "list the exact actions the principal uses (e.g. sqs:SendMessage), never * or service:*",
    check(resource) {
      if (resource.type === "data.aws_iam_policy_document") {
        const statements = [resource.config.statement ?? []].flat() as Record<string, unknown>[];
        return wildcardProblems(
          {
            Statement: statements.map((s) => ({
              Effect: s.effect,
              Action: s.actions,
              NotAction: s.not_actions,
            })),
          },
          "policy document",
        );
      }
      if (resource.type === "aws_iam_role") {
        const inline = [resource.config.inline_policy ?? []].flat() as Record<string, unknown>[];
        return inline.flatMap((p) =>
          wildcardProblems(parseJson(p.policy), `inline policy ${String(p.name ?? "")}`.trim()),
        );
      }
      return wildcardProblems(parseJson(resource.config.policy), "policy");
    },
  },
  {
    id: POLICY_RULES.encryptionAtRest,
    appliesTo: ["aws_sqs_queue", "aws_sns_topic", "aws_dynamodb_table"],
    fix: "queues: sqsManagedSseEnabled: true or kmsMasterKeyId; topics: kmsMasterKeyId (alias/aws/sns or a key); tables: serverSideEncryption { enabled: true }",
    check(resource) {
      const encrypted =
        resource.type === "aws_sqs_queue"
          ? truthy(resource.config.sqs_managed_sse_enabled) || present(resource.config.kms_master_key_id)
          : resource.type === "aws_sns_topic"
            ? present(resource.config.kms_master_key_id)
            : truthy(block(resource.config.server_side_encryption)?.enabled);
      return encrypted ? [] : ["no encryption at rest is configured"];
    },
  },
  {
    id: POLICY_RULES.logRetention,
    appliesTo: ["aws_cloudwatch_log_group", "aws_lambda_function"],
    fix: "create the function's log group (/aws/lambda/<name>) with retentionInDays (NodeFunction does)",
    check(resource, index) {
      if (resource.type === "aws_cloudwatch_log_group") {
        return (numberOf(resource.config.retention_in_days) ?? 0) > 0
          ? []
          : ["the log group keeps logs forever (no retention_in_days)"];
      }
      const configured = block(resource.config.logging_config)?.log_group;
      const expected = `/aws/lambda/${String(resource.config.function_name)}`;
      const managed = index
        .ofType("aws_cloudwatch_log_group")
        .some(
          (group) =>
            group.config.name === expected ||
            `\${${group.address}.name}` === configured ||
            group.config.name === configured,
        );
      return managed
        ? []
        : [
            `no log group in this stack receives the function's logs (expected ${expected}); Lambda would create one that never expires`,
          ];
    },
  },
  {
    id: POLICY_RULES.lambdaRuntime,
    appliesTo: ["aws_lambda_function"],
    fix: `use runtime ${LAMBDA_RUNTIME}, the runtime Rebound builds and tests for`,
    check(resource) {
      return resource.config.runtime === LAMBDA_RUNTIME
        ? []
        : [`runtime is ${JSON.stringify(resource.config.runtime)}, not ${LAMBDA_RUNTIME}`];
    },
  },
  {
    id: POLICY_RULES.alarmTopicSubscription,
    appliesTo: ["aws_sns_topic"],
    fix: "subscribe someone to the topic (AlarmTopic's email, set from the configuration's alarmEmail / REBOUND_ALARM_EMAIL)",
    check(resource, index) {
      const reference = `\${${resource.address}.arn}`;
      const alarmed = index
        .ofType("aws_cloudwatch_metric_alarm")
        .some((alarm) => [alarm.config.alarm_actions ?? []].flat().includes(reference));
      if (!alarmed) return [];
      const subscribed = index
        .ofType("aws_sns_topic_subscription")
        .some((subscription) => subscription.config.topic_arn === reference);
      return subscribed
        ? []
        : ["alarms notify this topic but nothing subscribes to it: every alarm fires into the void"];
    },
  },
  {
    id: POLICY_RULES.apiRouteAuthorization,
    appliesTo: ["aws_apigatewayv2_route"],
    fix: "give the route an authorizer (HttpApi's jwtAuthorizer, or authorizationType AWS_IAM); for a route meant to be public, acknowledge it with the reason",
    check(resource) {
      const type = resource.config.authorization_type;
      return type === undefined || type === "NONE"
        ? [`route ${JSON.stringify(resource.config.route_key)} answers anyone: it has no authorization`]
        : [];
    },
  },
];
