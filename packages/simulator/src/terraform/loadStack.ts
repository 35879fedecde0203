import { ConfigurationError } from "../engine/errors.js";
import type { LambdaHandler } from "../lambda/LambdaContext.js";
import type { Script } from "../lambda/Script.js";
import type { StepFunctions } from "../stepfunctions/StepFunctions.js";
import type { DynamoDBStream } from "../streams/DynamoDBStream.js";
import { StreamSources } from "../topology/StreamSources.js";
import { stepFunctionsForTopology } from "../topology/stepFunctionsForTopology.js";
import type { Topology } from "../topology/Topology.js";
import { findDeployRejections } from "./deployRejections.js";
import { type FunctionCode, functionCode } from "./functionCode.js";
import { loadBusesAndBuckets, loadEventRules } from "./loadEventBridge.js";
import { loadHttpApis, type StackRoute } from "./loadHttpApis.js";
import { nameOf, type StackIdentity, StackReferences } from "./StackReferences.js";
import { StackRejectedError } from "./StackRejectedError.js";
import type { TerraformJson, TerraformResource } from "./TerraformJson.js";
import { asArray, firstBlock, numberOr } from "./terraformValues.js";

/** What the loader knows about one function, for the caller to choose its handler. */
export interface StackFunction {
  readonly functionName: string;
  readonly address: string;
  /** Where Lambda would find the code (zip, folder, layers, handler), or why Rebound cannot run it. */
  readonly code: FunctionCode;
  readonly timeoutSeconds: number;
  readonly memorySizeMB: number;
  /** Environment variables with every Terraform reference resolved. */
  readonly environment: Readonly<Record<string, string>>;
}

/** A DynamoDB table the stack declares, so the caller can create it in its DynamoDB server. */
export interface StackTable {
  readonly tableName: string;
  readonly partitionKey: { readonly name: string; readonly type: string };
  readonly sortKey: { readonly name: string; readonly type: string } | undefined;
  readonly stream: DynamoDBStream | undefined;
}

/** An HTTP API route and the function behind it. */

/** The result of loading a stack into a topology. */
export interface LoadedStack {
  readonly streams: StreamSources;
  readonly stepFunctions: StepFunctions;
  readonly functions: readonly StackFunction[];
  readonly tables: readonly StackTable[];
  readonly routes: readonly StackRoute[];
  /** `type.name` of every resource the simulator does not model, with why it does not matter or does. */
  readonly unmodelled: readonly string[];
  readonly references: StackReferences;
}

/** Options of `loadStack`. */
export interface LoadStackOptions {
  readonly identity: StackIdentity;
  /** Chooses each function's code: a real handler (bundle) or a scripted one. */
  readonly handlerFor: (fn: StackFunction) => LambdaHandler | Script;
}

// Resources that exist for security, observability or wiring only: they do not change what AWS does
// with a failed event, so the simulator reads past them (and says so).
const NOT_RETRY_RELEVANT = new Set([
  "aws_iam_role",
  "aws_iam_role_policy",
  "aws_iam_policy",
  "aws_iam_role_policy_attachment",
  "aws_cloudwatch_log_group",
  "aws_cloudwatch_metric_alarm",
  "aws_kms_key",
  "aws_kms_alias",
  "aws_lambda_permission",
  "aws_sqs_queue_policy",
  "aws_sqs_queue_redrive_allow_policy",
  "aws_sns_topic_policy",
  "aws_ssm_parameter",
]);

/**
 * Builds a topology from a Terraform JSON configuration: queues (with redrive), topics and
 * subscriptions, functions (timeout, reserved concurrency, DLQ, environment), async invoke configs,
 * event source mappings (SQS, DynamoDB and Kinesis streams), tables with streams, Kinesis streams,
 * state machines and HTTP API routes. References between resources are resolved to the simulated
 * ARNs and URLs.
 *
 * @example
 * ```ts
 * import { loadStack, TerraformJson, Topology, scripted } from "@rebound/simulator";
 * const topology = new Topology({ seed: 1 });
 * const stack = loadStack(TerraformJson.load("cdk.tf.json"), topology, {
 *   identity: { region: "eu-west-1", accountId: "123456789012", endpointUrl: "http://127.0.0.1:4566", streamLabel: "2026-01-01T00:00:00.000" },
 *   handlerFor: () => scripted.succeed(),
 * });
 * ```
 */
export function loadStack(tf: TerraformJson, topology: Topology, options: LoadStackOptions): LoadedStack {
  const references = new StackReferences(tf, options.identity);
  // What AWS would refuse to deploy is refused here, all of it at once, before anything is built.
  const rejections = findDeployRejections(tf, references);
  if (rejections.length > 0) throw new StackRejectedError(rejections);
  const streams = new StreamSources(topology);
  const stepFunctions = stepFunctionsForTopology(topology);
  const unmodelled: string[] = [];
  const handled = new Set<string>();
  const of = (type: string): readonly TerraformResource[] => {
    const found = tf.resourcesOfType(type);
    for (const resource of found) handled.add(resource.address);
    return found;
  };

  for (const queue of inDependencyOrder(of("aws_sqs_queue"), tf)) addQueue(topology, queue, references);
  loadBusesAndBuckets(topology, of);
  for (const topic of of("aws_sns_topic")) {
    topology.addTopic({
      name: nameOf(topic),
      ...(topic.values.fifo_topic === true ? { fifoTopic: true } : {}),
    });
  }

  const functions = of("aws_lambda_function").map((resource) => describeFunction(resource, tf, references));
  for (const fn of functions) {
    const resource = tf.resource(fn.address)!;
    const reserved = numberOr(resource.values.reserved_concurrent_executions, -1);
    const dlq = firstBlock(resource.values.dead_letter_config)?.target_arn;
    topology.addFunction({
      functionName: fn.functionName,
      handler: options.handlerFor(fn),
      timeoutSeconds: fn.timeoutSeconds,
      memorySizeMB: fn.memorySizeMB,
      environment: fn.environment,
      ...(reserved >= 0 ? { reservedConcurrency: reserved } : {}),
      ...(typeof resource.values.runtime === "string" ? { runtime: resource.values.runtime } : {}),
      ...(typeof resource.values.role === "string"
        ? { roleArn: references.resolve(resource.values.role, `${fn.address} role`) }
        : {}),
      ...(typeof dlq === "string"
        ? { deadLetterTargetArn: references.resolve(dlq, `${fn.address} dead_letter_config`) }
        : {}),
    });
  }

  const tables: StackTable[] = of("aws_dynamodb_table").map((table) => {
    const name = nameOf(table);
    const attributes = asArray(table.values.attribute) as { name: string; type: string }[];
    const typeOf = (key: unknown): { name: string; type: string } | undefined => {
      if (typeof key !== "string") return undefined;
      const attribute = attributes.find((candidate) => candidate.name === key);
      if (!attribute) {
        throw new ConfigurationError("attribute", `${table.address}: key ${key} has no attribute definition`);
      }
      return { name: key, type: attribute.type };
    };
    const partitionKey = typeOf(table.values.hash_key);
    if (!partitionKey) throw new ConfigurationError("hash_key", `${table.address}: hash_key is required`);
    const sortKey = typeOf(table.values.range_key);
    const stream =
      table.values.stream_enabled === true
        ? streams.addDynamoDBStream({
            tableName: name,
            keySchema: { partitionKey: partitionKey.name, ...(sortKey ? { sortKey: sortKey.name } : {}) },
            streamViewType: (table.values.stream_view_type ?? "NEW_AND_OLD_IMAGES") as never,
          })
        : undefined;
    return { tableName: name, partitionKey, sortKey, stream };
  });
  for (const stream of of("aws_kinesis_stream")) {
    streams.addKinesisStream({
      streamName: nameOf(stream),
      shardCount: numberOr(stream.values.shard_count, 1),
      retentionPeriodHours: numberOr(stream.values.retention_period, 24),
    });
  }

  for (const subscription of of("aws_sns_topic_subscription")) {
    const protocol = subscription.values.protocol;
    if (protocol !== "sqs" && protocol !== "lambda") {
      unmodelled.push(
        `${subscription.address} (protocol ${String(protocol)}: only sqs and lambda are delivered)`,
      );
      continue;
    }
    topology.subscribe({
      topicArn: references.resolve(
        String(subscription.values.topic_arn),
        `${subscription.address} topic_arn`,
      ),
      protocol,
      endpoint: references.resolve(String(subscription.values.endpoint), `${subscription.address} endpoint`),
      ...(subscription.values.raw_message_delivery === true ? { rawMessageDelivery: true } : {}),
    });
  }

  for (const config of of("aws_lambda_function_event_invoke_config")) {
    const where = config.address;
    const destinations = firstBlock(config.values.destination_config);
    const target = (key: string) => {
      const destination = firstBlock(destinations?.[key])?.destination;
      return typeof destination === "string"
        ? { destination: references.resolve(destination, `${where} destination_config.${key}`) }
        : undefined;
    };
    const onSuccess = target("on_success");
    const onFailure = target("on_failure");
    topology.putFunctionEventInvokeConfig({
      functionName: references.resolve(String(config.values.function_name), `${where} function_name`),
      ...optional("maximumRetryAttempts", config.values.maximum_retry_attempts),
      ...optional("maximumEventAgeInSeconds", config.values.maximum_event_age_in_seconds),
      ...(onSuccess || onFailure
        ? { destinationConfig: { ...(onSuccess ? { onSuccess } : {}), ...(onFailure ? { onFailure } : {}) } }
        : {}),
    });
  }

  for (const mapping of of("aws_lambda_event_source_mapping")) {
    topology.createEventSourceMapping(mappingConfig(mapping, references));
  }

  for (const machine of of("aws_sfn_state_machine")) {
    const where = `${machine.address} definition`;
    const definition = references.resolve(String(machine.values.definition), where);
    let parsed: unknown;
    try {
      parsed = JSON.parse(definition);
    } catch (error) {
      throw new ConfigurationError("definition", `${where} is not JSON: ${(error as Error).message}`);
    }
    stepFunctions.createStateMachine({ name: nameOf(machine), definition: parsed });
  }

  const routes = loadHttpApis(tf, topology, references, of);
  unmodelled.push(...loadEventRules(tf, topology, references, of));

  for (const resource of tf.resources) {
    if (handled.has(resource.address)) continue;
    unmodelled.push(
      NOT_RETRY_RELEVANT.has(resource.type)
        ? `${resource.address} (no effect on retries)`
        : `${resource.address} (not modelled: its behaviour is not simulated)`,
    );
  }
  return { streams, stepFunctions, functions, tables, routes, unmodelled, references };
}

function addQueue(topology: Topology, queue: TerraformResource, references: StackReferences): void {
  const values = queue.values;
  const where = queue.address;
  let redrivePolicy: { deadLetterTargetArn: string; maxReceiveCount: number } | undefined;
  if (values.redrive_policy !== undefined) {
    const raw =
      typeof values.redrive_policy === "string"
        ? safeJson(values.redrive_policy, `${where} redrive_policy`)
        : values.redrive_policy;
    const policy = raw as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    redrivePolicy = {
      deadLetterTargetArn: references.resolve(String(policy.deadLetterTargetArn), `${where} redrive_policy`),
      maxReceiveCount: Number(policy.maxReceiveCount),
    };
  }
  topology.addQueue({
    queueName: nameOf(queue),
    ...(values.fifo_queue === true ? { fifoQueue: true } : {}),
    ...optional("visibilityTimeoutSeconds", values.visibility_timeout_seconds),
    ...optional("messageRetentionPeriodSeconds", values.message_retention_seconds),
    ...optional("delaySeconds", values.delay_seconds),
    ...optional("maximumMessageSize", values.max_message_size),
    ...(values.content_based_deduplication === true ? { contentBasedDeduplication: true } : {}),
    ...(redrivePolicy ? { redrivePolicy } : {}),
  });
}

function describeFunction(
  resource: TerraformResource,
  tf: TerraformJson,
  references: StackReferences,
): StackFunction {
  const values = resource.values;
  const variables = (firstBlock(values.environment)?.variables ?? {}) as Record<string, unknown>;
  const environment = Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [
      key,
      references.resolve(String(value), `${resource.address} environment ${key}`),
    ]),
  );
  return {
    functionName: nameOf(resource),
    address: resource.address,
    code: functionCode(resource, tf),
    timeoutSeconds: numberOr(values.timeout, 3),
    memorySizeMB: numberOr(values.memory_size, 128),
    environment,
  };
}

function mappingConfig(mapping: TerraformResource, references: StackReferences): Record<string, unknown> {
  const values = mapping.values;
  const where = mapping.address;
  const eventSourceArn = references.resolve(String(values.event_source_arn), `${where} event_source_arn`);
  const functionName = references.resolve(String(values.function_name), `${where} function_name`);
  const onFailure = firstBlock(firstBlock(values.destination_config)?.on_failure)?.destination_arn;
  const scaling = firstBlock(values.scaling_config);
  const isSqs = eventSourceArn.startsWith("arn:aws:sqs:");
  return {
    eventSourceArn,
    functionName,
    ...optional("batchSize", values.batch_size),
    ...optional("maximumBatchingWindowInSeconds", values.maximum_batching_window_in_seconds),
    ...optional("functionResponseTypes", values.function_response_types),
    ...(values.enabled === false ? { enabled: false } : {}),
    ...(isSqs
      ? {
          ...(typeof scaling?.maximum_concurrency === "number"
            ? { scalingConfig: { maximumConcurrency: scaling.maximum_concurrency } }
            : {}),
        }
      : {
          startingPosition: values.starting_position,
          ...optional("maximumRetryAttempts", values.maximum_retry_attempts),
          ...optional("maximumRecordAgeInSeconds", values.maximum_record_age_in_seconds),
          ...optional("bisectBatchOnFunctionError", values.bisect_batch_on_function_error),
          ...optional("parallelizationFactor", values.parallelization_factor),
          ...optional("tumblingWindowInSeconds", values.tumbling_window_in_seconds),
          ...(typeof onFailure === "string"
            ? {
                destinationConfig: {
                  onFailure: { destination: references.resolve(onFailure, `${where} destination_config`) },
                },
              }
            : {}),
        }),
  };
}

/** Queues whose redrive target is another queue come after that queue. */
function inDependencyOrder(queues: readonly TerraformResource[], tf: TerraformJson): TerraformResource[] {
  const ordered: TerraformResource[] = [];
  const placed = new Set<string>();
  const place = (queue: TerraformResource, path: string[]): void => {
    if (placed.has(queue.address)) return;
    if (path.includes(queue.address)) {
      throw new ConfigurationError(
        "redrive_policy",
        `redrive cycle: ${[...path, queue.address].join(" → ")}`,
      );
    }
    const target = tf
      .referencesIn(queue.values.redrive_policy)
      .find((resource) => resource.type === "aws_sqs_queue");
    if (target && target.address !== queue.address) place(target, [...path, queue.address]);
    placed.add(queue.address);
    ordered.push(queue);
  };
  for (const queue of queues) place(queue, []);
  return ordered;
}

function optional(key: string, value: unknown): Record<string, unknown> {
  return value === undefined || value === null ? {} : { [key]: value };
}

function safeJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(where, `${where} is not JSON: ${(error as Error).message}`);
  }
}
