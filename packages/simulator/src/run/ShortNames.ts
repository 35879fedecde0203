import { ConfigurationError } from "../engine/errors.js";
import type { StackNames } from "../scenario/checkScenarioAgainst.js";
import { nameOf } from "../terraform/StackReferences.js";
import type { TerraformJson } from "../terraform/TerraformJson.js";

type Kind = "queue" | "topic" | "function" | "table" | "stream" | "stateMachine" | "api";

const TYPES: Record<Kind, readonly string[]> = {
  queue: ["aws_sqs_queue"],
  topic: ["aws_sns_topic"],
  function: ["aws_lambda_function"],
  table: ["aws_dynamodb_table"],
  stream: ["aws_kinesis_stream"],
  stateMachine: ["aws_sfn_state_machine"],
  api: ["aws_apigatewayv2_api"],
};

/**
 * Scenarios name resources without the environment prefix every name of a stack shares
 * (`payments` for `rebound-dev-payments`), so one scenario runs against every environment. This maps
 * between the two forms.
 *
 * @example
 * ```ts
 * const names = new ShortNames(tf);
 * names.short("rebound-dev-payments"); // "payments"
 * names.full("queue", "payments");     // "rebound-dev-payments"
 * ```
 */
export class ShortNames {
  /** The prefix shared by every name, ending in `-` (empty when the names share none). */
  public readonly prefix: string;
  readonly #byKind = new Map<Kind, string[]>();
  readonly #buses: string[];
  readonly #buckets: string[];

  public constructor(tf: TerraformJson) {
    for (const [kind, types] of Object.entries(TYPES) as [Kind, readonly string[]][]) {
      this.#byKind.set(
        kind,
        types.flatMap((type) => tf.resourcesOfType(type).map(nameOf)),
      );
    }
    this.prefix = commonPrefix([...this.#byKind.values()].flat());
    // Buses and buckets keep their full names: bucket names are global, so they rarely share the prefix.
    this.#buses = tf.resourcesOfType("aws_cloudwatch_event_bus").map(nameOf);
    this.#buckets = tf
      .resourcesOfType("aws_s3_bucket")
      .map((bucket) => String(bucket.values.bucket ?? bucket.name));
  }

  public short(name: string): string {
    return name.startsWith(this.prefix) ? name.slice(this.prefix.length) : name;
  }

  /** Whether a name (short or full) is one of the stack's DynamoDB tables. */
  public isTable(name: string): boolean {
    return (this.#byKind.get("table") ?? []).some((table) => table === name || this.short(table) === name);
  }

  /** The stack's name for a scenario's name (short or full). */
  public full(kind: Kind, name: string): string {
    const names = this.#byKind.get(kind) ?? [];
    const found = names.find((candidate) => candidate === name || this.short(candidate) === name);
    if (found === undefined) {
      throw new ConfigurationError(
        kind,
        `no ${kind} named ${name} in the stack; ${kind}s: ${names.map((candidate) => this.short(candidate)).join(", ") || "none"}`,
      );
    }
    return found;
  }

  /** Every name a scenario may use, for `checkScenarioAgainst`. */
  public forScenario(downstreams: readonly string[]): StackNames {
    const shortOf = (kind: Kind) => (this.#byKind.get(kind) ?? []).map((name) => this.short(name));
    return {
      queues: shortOf("queue"),
      topics: shortOf("topic"),
      functions: shortOf("function"),
      tables: shortOf("table"),
      streams: shortOf("stream"),
      downstreams,
      stateMachines: shortOf("stateMachine"),
      apis: shortOf("api"),
      buses: ["default", ...this.#buses],
      buckets: [...this.#buckets],
    };
  }
}

function commonPrefix(names: readonly string[]): string {
  if (names.length < 2) return "";
  let prefix = names[0]!;
  for (const name of names) {
    while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  const dash = prefix.lastIndexOf("-");
  return dash < 0 ? "" : prefix.slice(0, dash + 1);
}
