import type { TerraformJson, TerraformResource } from "../terraform/TerraformJson.js";
import { asArray, numberOr } from "../terraform/terraformValues.js";

/** One function's retry policy, in plain words, as read from a Terraform JSON configuration. */
export interface FunctionPolicy {
  readonly functionName: string;
  readonly address: string;
  readonly timeoutSeconds: number;
  /** One entry per trigger: what invokes the function and what AWS does when it fails. */
  readonly triggers: readonly string[];
}

// AWS defaults used when the configuration leaves a setting out (docs/aws-semantics.md: #function-timeout-and-concurrency, #async-retries, #sqs-queue, #stream-settings).
const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 3;
const DEFAULT_ASYNC_RETRIES = 2;
const DEFAULT_MAX_EVENT_AGE_SECONDS = 21_600;
const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
const DYNAMODB_STREAM_RETENTION_SECONDS = 86_400;
const DEFAULT_KINESIS_RETENTION_HOURS = 24;

/**
 * Reads every `aws_lambda_function` of a configuration and explains, per trigger, how many attempts
 * AWS makes, over how long, where failed events go and what blocks while it retries.
 *
 * @example
 * ```ts
 * import { explainStack, TerraformJson } from "@rebound/simulator";
 * for (const fn of explainStack(TerraformJson.load("cdk.tf.json"))) console.log(fn.functionName, fn.triggers);
 * ```
 */
export function explainStack(tf: TerraformJson): FunctionPolicy[] {
  return tf.resourcesOfType("aws_lambda_function").map((fn) => {
    const timeoutSeconds = numberOr(fn.values.timeout, DEFAULT_FUNCTION_TIMEOUT_SECONDS);
    const triggers = [
      ...tf
        .resourcesOfType("aws_lambda_event_source_mapping")
        .filter((mapping) => pointsAt(tf, mapping.values.function_name, fn))
        .map((mapping) => explainMapping(tf, mapping, timeoutSeconds)),
      ...explainAsync(tf, fn),
      ...explainHttp(tf, fn, timeoutSeconds),
      ...explainStateMachines(tf, fn),
    ];
    const reserved = fn.values.reserved_concurrent_executions;
    const concurrency =
      typeof reserved === "number" && reserved >= 0 ? `; reserved concurrency ${reserved}` : "";
    return {
      functionName: nameOf(fn),
      address: fn.address,
      timeoutSeconds,
      triggers: triggers.length > 0 ? triggers : [`no trigger in this configuration${concurrency}`],
    };
  });
}

/** Renders `explainStack` as text for a terminal. */
export function formatPolicies(policies: readonly FunctionPolicy[]): string {
  return policies
    .map((policy) =>
      [
        `${policy.functionName} (timeout ${policy.timeoutSeconds} s)`,
        ...policy.triggers.map((trigger) => `  - ${trigger}`),
      ].join("\n"),
    )
    .join("\n\n");
}

function explainMapping(tf: TerraformJson, mapping: TerraformResource, timeoutSeconds: number): string {
  const source = tf.referencedResource(mapping.values.event_source_arn);
  const batchSize = numberOr(mapping.values.batch_size, 10);
  const windowSeconds = numberOr(mapping.values.maximum_batching_window_in_seconds, 0);
  const partial = asArray(mapping.values.function_response_types).includes("ReportBatchItemFailures");
  if (source?.type === "aws_sqs_queue")
    return explainSqs(tf, source, batchSize, windowSeconds, partial, maximumConcurrency(mapping));
  const kind =
    source?.type === "aws_kinesis_stream"
      ? `Kinesis stream ${nameOf(source)}`
      : source?.type === "aws_dynamodb_table"
        ? `DynamoDB stream of table ${nameOf(source)}`
        : `event source ${String(mapping.values.event_source_arn)}`;
  const retentionSeconds =
    source?.type === "aws_kinesis_stream"
      ? numberOr(source.values.retention_period, DEFAULT_KINESIS_RETENTION_HOURS) * 3600
      : DYNAMODB_STREAM_RETENTION_SECONDS;
  const retries = numberOr(mapping.values.maximum_retry_attempts, -1);
  const maxAge = numberOr(mapping.values.maximum_record_age_in_seconds, -1);
  const attempts =
    retries === -1
      ? "retried until it succeeds or the record expires"
      : `given ${retriesAndAttempts(retries)}`;
  const age =
    maxAge === -1
      ? `records live until the stream drops them (${duration(retentionSeconds)})`
      : `records older than ${duration(maxAge)} are not processed but sent on as failures`;
  const bisect =
    mapping.values.bisect_batch_on_function_error === true ? "split in half on error" : "never split";
  const destination = onFailureTarget(tf, mapping.values.destination_config);
  const parallel = numberOr(mapping.values.parallelization_factor, 1);
  const blocks = parallel > 1 ? `its key's lane (1 of ${parallel} per shard)` : "its whole shard";
  return (
    `${kind}: batches of up to ${batchSize}` +
    (windowSeconds > 0 ? ` (waits up to ${windowSeconds} s to fill)` : "") +
    `; a failing batch is ${attempts}, ${bisect}; ${age}; ` +
    `${partial ? "partial batch responses on" : "partial batch responses OFF: one bad record fails the batch"}; ` +
    `failed records go to ${destination ?? "nowhere: they are lost"}; while a batch retries, ${blocks} waits. ` +
    `(function timeout ${timeoutSeconds} s)`
  );
}

function explainSqs(
  tf: TerraformJson,
  queue: TerraformResource,
  batchSize: number,
  windowSeconds: number,
  partial: boolean,
  concurrency: number | undefined,
): string {
  const visibility = numberOr(queue.values.visibility_timeout_seconds, DEFAULT_VISIBILITY_TIMEOUT_SECONDS);
  const redrive = parseJson(queue.values.redrive_policy);
  const maxReceiveCount = typeof redrive?.maxReceiveCount === "number" ? redrive.maxReceiveCount : undefined;
  const dlq = redrive ? tf.referencedResource(redrive.deadLetterTargetArn) : undefined;
  const fifo = queue.values.fifo_queue === true ? "FIFO queue" : "SQS queue";
  const attempts =
    maxReceiveCount === undefined
      ? `redelivered every ${duration(visibility)} until the message's retention ends (no DLQ: then it is lost)`
      : `received at most ${maxReceiveCount} times, ${duration(visibility)} apart (about ${duration(
          maxReceiveCount * visibility,
        )} in all), then moved to ${dlq ? `DLQ ${nameOf(dlq)}` : String(redrive?.deadLetterTargetArn)}`;
  return (
    `${fifo} ${nameOf(queue)}: batches of up to ${batchSize}` +
    (windowSeconds > 0 ? ` (waits up to ${windowSeconds} s to fill)` : "") +
    (concurrency !== undefined
      ? `; at most ${concurrency} concurrent invocations (scaling_config maximum_concurrency: more messages wait in the queue)`
      : "") +
    `; a failed message is ${attempts}; ` +
    (partial
      ? "partial batch responses on: only failed messages come back"
      : "partial batch responses OFF: one failure returns the whole batch") +
    (queue.values.fifo_queue === true
      ? "; a failing message blocks its message group"
      : "; other messages keep flowing while one is retried")
  );
}

function explainAsync(tf: TerraformJson, fn: TerraformResource): string[] {
  const subscriptions = tf
    .resourcesOfType("aws_sns_topic_subscription")
    .filter((subscription) => subscription.values.protocol === "lambda")
    .filter((subscription) => pointsAt(tf, subscription.values.endpoint, fn));
  const config = tf
    .resourcesOfType("aws_lambda_function_event_invoke_config")
    .find((candidate) => pointsAt(tf, candidate.values.function_name, fn));
  if (subscriptions.length === 0 && config === undefined) return [];
  const retries = numberOr(config?.values.maximum_retry_attempts, DEFAULT_ASYNC_RETRIES);
  const maxAge = numberOr(config?.values.maximum_event_age_in_seconds, DEFAULT_MAX_EVENT_AGE_SECONDS);
  const waits = ["60 s", "120 s"].slice(0, retries).join(" then ");
  const destinations = asArray(
    (config?.values.destination_config as Record<string, unknown> | undefined)?.on_failure,
  );
  const onFailure =
    destinations.length > 0
      ? tf.referencedResource((destinations[0] as Record<string, unknown>).destination)
      : undefined;
  const dlqTarget = asArray(fn.values.dead_letter_config)[0] as Record<string, unknown> | undefined;
  const dlq = dlqTarget ? tf.referencedResource(dlqTarget.target_arn) : undefined;
  const where = [
    onFailure ? `on-failure destination ${nameOf(onFailure)}` : undefined,
    dlq ? `dead-letter queue ${nameOf(dlq)}` : undefined,
  ].filter(Boolean);
  const from = subscriptions.map((subscription) => {
    const topic = tf.referencedResource(subscription.values.topic_arn);
    return topic ? `SNS topic ${nameOf(topic)}` : "SNS";
  });
  return [
    `async (${from.length > 0 ? from.join(", ") : "Event invokes"}): ${retriesAndAttempts(retries)}` +
      (retries > 0 ? ` (waits ${waits})` : "") +
      // Expired events are failures too: AWS sends them where failed events go, if anywhere.
      `; events older than ${duration(maxAge)} ${where.length > 0 ? `go to ${where.join(" and ")}` : "are dropped"}; ` +
      "throttles retry up to that age without using attempts; " +
      `failed events go to ${where.length > 0 ? where.join(" and ") : "nowhere: they are lost"}`,
  ];
}

function explainHttp(tf: TerraformJson, fn: TerraformResource, timeoutSeconds: number): string[] {
  return tf
    .resourcesOfType("aws_apigatewayv2_integration")
    .filter((integration) => pointsAt(tf, integration.values.integration_uri, fn))
    .map((integration) => {
      const timeoutMs = numberOr(integration.values.timeout_milliseconds, 30_000);
      const slow =
        timeoutSeconds * 1000 < timeoutMs
          ? `502 on a function timeout too (the function's ${timeoutSeconds} s come before the integration's ${timeoutMs / 1000} s)`
          : `504 after the integration timeout of ${timeoutMs / 1000} s while the function runs on to its own ${timeoutSeconds} s`;
      return (
        `sync (API Gateway HTTP API): never retried by AWS; the caller sees 502 on a function error, ${slow}; ` +
        "clients that retry need idempotency" +
        stageThrottling(tf) +
        routeAuthorization(tf, integration)
      );
    });
}

/** Which routes of the integration need a JWT: API Gateway answers 401 without one, before Lambda. */
function routeAuthorization(tf: TerraformJson, integration: TerraformResource): string {
  const guarded = new Map<string, string[]>();
  for (const route of tf.resourcesOfType("aws_apigatewayv2_route")) {
    if (!tf.referencesIn(route.values.target).some((target) => target.address === integration.address))
      continue;
    if (route.values.authorization_type !== "JWT") continue;
    const authorizer = tf.referencedResource(route.values.authorizer_id);
    const configuration = asArray(authorizer?.values.jwt_configuration)[0] as
      | Record<string, unknown>
      | undefined;
    const who = `issuer ${String(configuration?.issuer ?? "?")}, audience ${asArray(configuration?.audience).join("/")}`;
    guarded.set(who, [...(guarded.get(who) ?? []), String(route.values.route_key)]);
  }
  return [...guarded.entries()]
    .map(
      ([who, routes]) =>
        `; ${routes.join(", ")} need a JWT (${who}): without a valid one API Gateway answers 401 and the function is not invoked`,
    )
    .join("");
}

function explainStateMachines(tf: TerraformJson, fn: TerraformResource): string[] {
  const lines: string[] = [];
  for (const machine of tf.resourcesOfType("aws_sfn_state_machine")) {
    const definition = parseJson(machine.values.definition);
    const states = definition?.States;
    if (!states || typeof states !== "object") continue;
    for (const [stateName, state] of Object.entries(states as Record<string, Record<string, unknown>>)) {
      const target =
        (state.Parameters as Record<string, unknown> | undefined)?.FunctionName ?? state.Resource;
      if (!tf.referencesIn(target).some((resource) => resource.address === fn.address)) continue;
      const retriers = asArray(state.Retry).map((retrier) => {
        const r = retrier as Record<string, unknown>;
        const retries = numberOr(r.MaxAttempts, 3);
        const cap =
          r.MaxDelaySeconds === undefined ? "" : `, each wait capped at ${String(r.MaxDelaySeconds)} s`;
        const jitter = r.JitterStrategy === "FULL" ? ", full jitter (each wait drawn from 0 to itself)" : "";
        return (
          `${asArray(r.ErrorEquals).join("/")}: ${retriesAndAttempts(retries)}, waits from ` +
          `${numberOr(r.IntervalSeconds, 1)} s, backoff rate ${numberOr(r.BackoffRate, 2)}${cap}${jitter}`
        );
      });
      const catchers = asArray(state.Catch).map((catcher) => {
        const c = catcher as Record<string, unknown>;
        return `${asArray(c.ErrorEquals).join("/")} → ${String(c.Next)}`;
      });
      lines.push(
        `Step Functions state ${stateName} of ${nameOf(machine)}: ` +
          `retries ${retriers.length > 0 ? retriers.join("; ") : "none"}; ` +
          `catches ${catchers.length > 0 ? catchers.join("; ") : "none: a failure fails the execution"}; ` +
          `timeout ${state.TimeoutSeconds === undefined ? "none" : `${String(state.TimeoutSeconds)} s`}`,
      );
    }
  }
  return lines;
}

function onFailureTarget(tf: TerraformJson, destinationConfig: unknown): string | undefined {
  const config = asArray(destinationConfig)[0] as Record<string, unknown> | undefined;
  const onFailure = asArray(config?.on_failure)[0] as Record<string, unknown> | undefined;
  if (!onFailure) return undefined;
  const target = tf.referencedResource(onFailure.destination_arn);
  const kinds: Record<string, string> = {
    aws_sqs_queue: "SQS queue",
    aws_sns_topic: "SNS topic",
    aws_s3_bucket: "S3 bucket",
  };
  return target
    ? `${kinds[target.type] ?? target.type} ${nameOf(target)}`
    : String(onFailure.destination_arn);
}

function pointsAt(tf: TerraformJson, value: unknown, resource: TerraformResource): boolean {
  return (
    tf.referencedResource(value)?.address === resource.address || value === resource.values.function_name
  );
}

function nameOf(resource: TerraformResource): string {
  const values = resource.values;
  const name = values.function_name ?? values.name;
  return typeof name === "string" ? name : resource.name;
}

function parseJson(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === "object" && value !== null) return value as Record<string, unknown>;
  if (typeof value !== "string") return undefined;
  try {
    return JSON.parse(value) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function duration(seconds: number): string {
  if (seconds >= 86_400 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 3600) return `${+(seconds / 3600).toFixed(1)} h`;
  if (seconds >= 120) return `${+(seconds / 60).toFixed(1)} min`;
  return `${seconds} s`;
}

/** "N retries (N+1 attempts)": the count people mean and the count AWS configures, side by side. */
function retriesAndAttempts(retries: number): string {
  return `${retries} retr${retries === 1 ? "y" : "ies"} (${retries + 1} attempt${retries === 0 ? "" : "s"})`;
}

/** An SQS mapping's `scaling_config.maximum_concurrency`, when set. */
function maximumConcurrency(mapping: TerraformResource): number | undefined {
  const scaling = asArray(mapping.values.scaling_config)[0] as Record<string, unknown> | undefined;
  const value = scaling?.maximum_concurrency;
  return typeof value === "number" ? value : undefined;
}

/** The HTTP API stages' default route throttling (AWS answers 429 past it; nothing retries). */
function stageThrottling(tf: TerraformJson): string {
  const limits = tf.resourcesOfType("aws_apigatewayv2_stage").flatMap((stage) => {
    const settings = asArray(stage.values.default_route_settings)[0] as Record<string, unknown> | undefined;
    const rate = settings?.throttling_rate_limit;
    const burst = settings?.throttling_burst_limit;
    if (rate === undefined && burst === undefined) return [];
    return [
      `stage ${nameOf(stage)} throttles at ${rate === undefined ? "the account's" : String(rate)} requests/s, ` +
        `burst ${burst === undefined ? "the account's" : String(burst)} (the caller gets 429, not retried)`,
    ];
  });
  return limits.length > 0 ? `; ${limits.join("; ")}` : "";
}
