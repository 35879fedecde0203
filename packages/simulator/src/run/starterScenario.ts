import { dirname, relative } from "node:path";
import { ConfigurationError } from "../engine/errors.js";
import { nameOf } from "../terraform/StackReferences.js";
import type { TerraformJson, TerraformResource } from "../terraform/TerraformJson.js";
import { ShortNames } from "./ShortNames.js";

/** Where the starter scenario goes and which stack it names. */
export interface StarterScenarioOptions {
  /** The stack file (`.tf.json` or plan JSON) the scenario's `stack:` points at. */
  readonly stackPath: string;
  /** Where the scenario will be written: `stack:` is relative to it. */
  readonly scenarioPath: string;
}

/**
 * Writes a starter scenario for a stack: one event per trigger (each SQS, stream and Kinesis event
 * source mapping, each SNS topic with a subscription, each HTTP API route, each function with an
 * asynchronous invoke configuration), the expectations that every event is final and that every
 * dead-letter queue and on-failure destination queue stays empty, and comments naming the
 * functions, queues and destinations found. The bodies are placeholders to replace with real
 * messages; the file parses and runs as written.
 *
 * @example
 * ```ts
 * const yaml = starterScenario(TerraformJson.load("plan.json"), { stackPath: "plan.json", scenarioPath: "scenarios/starter.yaml" });
 * ```
 */
export function starterScenario(tf: TerraformJson, options: StarterScenarioOptions): string {
  const names = new ShortNames(tf);
  const short = (resource: TerraformResource) => names.short(nameOf(resource));
  const target = (value: unknown): TerraformResource | undefined => tf.referencedResource(value);
  const functions = tf.resourcesOfType("aws_lambda_function");
  if (functions.length === 0) {
    throw new ConfigurationError(
      "stack",
      `${options.stackPath} has no aws_lambda_function: there is nothing for Rebound to simulate; point --stack or --plan at the stack with your functions`,
    );
  }
  const queues = tf.resourcesOfType("aws_sqs_queue");
  const deadLetterQueues = new Set<string>();
  for (const queue of queues) {
    for (const dlq of tf.referencesIn(queue.values.redrive_policy)) deadLetterQueues.add(dlq.address);
  }
  const destinations = new Map<string, string>(); // queue address → what sends there
  for (const config of tf.resourcesOfType("aws_lambda_function_event_invoke_config")) {
    for (const queue of tf.referencesIn(config.values.destination_config)) {
      if (queue.type === "aws_sqs_queue") destinations.set(queue.address, `destination of ${config.address}`);
    }
  }
  for (const mapping of tf.resourcesOfType("aws_lambda_event_source_mapping")) {
    for (const queue of tf.referencesIn(mapping.values.destination_config)) {
      if (queue.type === "aws_sqs_queue")
        destinations.set(queue.address, `on-failure destination of ${mapping.address}`);
    }
  }
  for (const fn of functions) {
    for (const queue of tf.referencesIn(fn.values.dead_letter_config)) {
      if (queue.type === "aws_sqs_queue")
        destinations.set(queue.address, `dead-letter queue of ${fn.address}`);
    }
  }

  const lines: string[] = [];
  const events: string[] = [];
  const comment = (text: string) => lines.push(`# ${text}`);
  comment(
    `Starter scenario for ${relative(process.cwd(), options.stackPath) || options.stackPath}, written by rebound init.`,
  );
  comment("Replace the placeholder bodies with real messages, then add what must be true for your stack.");
  comment("");
  comment("Functions:");
  for (const fn of functions) {
    const code = typeof fn.values.filename === "string" ? `, code ${fn.values.filename}` : "";
    comment(
      `  ${short(fn)} (${fn.address}): ${String(fn.values.runtime ?? "no runtime")}, handler ${String(fn.values.handler ?? "index.handler")}${code}`,
    );
  }
  comment("Queues:");
  for (const queue of queues) {
    const role = deadLetterQueues.has(queue.address)
      ? " (dead-letter queue)"
      : destinations.has(queue.address)
        ? ` (${destinations.get(queue.address)})`
        : "";
    comment(`  ${short(queue)} (${queue.address})${role}`);
  }
  if (queues.length === 0) comment("  none");

  const sqsConsumed = new Set<string>();
  for (const mapping of tf.resourcesOfType("aws_lambda_event_source_mapping")) {
    const source = target(mapping.values.event_source_arn);
    const fn = target(mapping.values.function_name);
    const to = fn ? ` -> ${short(fn)}` : "";
    if (source?.type === "aws_sqs_queue") {
      if (sqsConsumed.has(source.address)) continue;
      sqsConsumed.add(source.address);
      const fifo = source.values.fifo_queue === true ? ", groupId: starter" : "";
      events.push(
        `  - { id: ${id(`sqs-${short(source)}`)}, kind: sqs, at: 1s, queue: ${short(source)}, body: { example: true }${fifo} } # ${source.address}${to}`,
      );
    } else if (source?.type === "aws_dynamodb_table") {
      const key = String(source.values.hash_key);
      const attribute = (Array.isArray(source.values.attribute) ? source.values.attribute : []) as {
        name?: string;
        type?: string;
      }[];
      const keyType = attribute.find((candidate) => candidate.name === key)?.type;
      const range =
        typeof source.values.range_key === "string" ? `, ${source.values.range_key}: "starter"` : "";
      const value = keyType === "N" ? "1" : '"starter-1"';
      events.push(
        `  - { id: ${id(`table-${short(source)}`)}, kind: table, at: 1s, table: ${short(source)}, put: { ${key}: ${value}${range} } } # stream of ${source.address}${to}`,
      );
    } else if (source?.type === "aws_kinesis_stream") {
      events.push(
        `  - { id: ${id(`kinesis-${short(source)}`)}, kind: kinesis, at: 1s, stream: ${short(source)}, partitionKey: starter, data: { example: true } } # ${source.address}${to}`,
      );
    }
  }
  for (const topic of tf.resourcesOfType("aws_sns_topic")) {
    const subscribed = tf
      .resourcesOfType("aws_sns_topic_subscription")
      .some((subscription) => target(subscription.values.topic_arn)?.address === topic.address);
    if (subscribed)
      events.push(
        `  - { id: ${id(`sns-${short(topic)}`)}, kind: sns, at: 1s, topic: ${short(topic)}, message: { example: true } } # ${topic.address}`,
      );
  }
  for (const route of tf.resourcesOfType("aws_apigatewayv2_route")) {
    const [method = "GET", path = "/"] = String(route.values.route_key).split(" ");
    const concrete = (path === "" || path === "$default" ? "/" : path).replace(/\{[^}]+\}/g, "starter");
    const verb = method === "ANY" || method === "$default" ? "GET" : method;
    const body = ["POST", "PUT", "PATCH"].includes(verb)
      ? ", headers: { content-type: application/json }, body: { example: true }"
      : "";
    events.push(
      `  - { id: ${id(`api-${verb}-${concrete}`)}, kind: api, at: 1s, method: ${verb}, path: "${concrete}"${body} } # ${route.address}`,
    );
  }
  for (const config of tf.resourcesOfType("aws_lambda_function_event_invoke_config")) {
    const fn =
      target(config.values.function_name) ??
      functions.find((candidate) => nameOf(candidate) === config.values.function_name);
    if (fn)
      events.push(
        `  - { id: ${id(`invoke-${short(fn)}`)}, kind: invoke, at: 1s, function: ${short(fn)}, payload: { example: true } } # asynchronous, ${config.address}`,
      );
  }

  const watched = queues.filter(
    (queue) => deadLetterQueues.has(queue.address) || destinations.has(queue.address),
  );
  // A scenario's `stack:` names a .tf.json; a plan is given on the command line instead.
  const isPlan = !options.stackPath.endsWith(".tf.json");
  comment("");
  comment(
    `Run: rebound simulate ${isPlan ? `--plan ${relative(process.cwd(), options.stackPath)} ` : ""}${relative(process.cwd(), options.scenarioPath)}`,
  );
  const stack = JSON.stringify(relative(dirname(options.scenarioPath), options.stackPath));
  lines.push(
    "",
    "name: starter",
    ...(isPlan ? [] : [`stack: ${stack}`]),
    "seed: 1",
    "maxVirtualSeconds: 3600",
    "",
  );
  if (events.length === 0) {
    comment(
      "No trigger found (no event source mapping, subscribed topic, API route or async invoke config): one async invoke per function.",
    );
    for (const fn of functions)
      events.push(
        `  - { id: ${id(`invoke-${short(fn)}`)}, kind: invoke, at: 1s, function: ${short(fn)}, payload: { example: true } }`,
      );
  }
  lines.push("events:", ...events, "", "expect:", "  - check: every-event-final");
  for (const queue of watched) {
    lines.push(
      `  - { check: queue-depth, name: nothing reaches ${short(queue)}, queue: ${short(queue)}, equals: 0 }`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Event ids are plain words: what a reader types in `event-outcome` checks. */
function id(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
}
