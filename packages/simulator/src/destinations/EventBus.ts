import { ConfigurationError } from "../engine/errors.js";
import type { ModelEnv } from "../engine/ModelEnv.js";
import { assertBoolean, assertOptions, assertString } from "../engine/validate.js";
import type { AsyncInvocationRecord } from "../lambda/asyncRecords.js";
import { eventBridgeDestinationEvent } from "../lambda/asyncRecords.js";
import type { DeliveryContext } from "../lambda/Deliveries.js";
import type { SqsQueue } from "../sqs/SqsQueue.js";
import { matchesEventPattern } from "./eventPattern.js";

/** A target of a rule: a Lambda function (invoked asynchronously) or an SQS queue. */
export interface EventRuleTarget {
  readonly arn: string;
  /** `sqs_target.message_group_id`: required for a FIFO queue. */
  readonly messageGroupId?: string;
}

/** An EventBridge rule on a bus: its event pattern (parsed) and targets. */
export interface EventRuleConfig {
  readonly name: string;
  /** A pattern `parseEventPattern` accepted. */
  readonly pattern: Readonly<Record<string, unknown>>;
  readonly targets: readonly EventRuleTarget[];
  /** Default true (`state = "ENABLED"`). */
  readonly enabled?: boolean;
}

/** What a bus needs from the topology: delivery to its rules' targets. */
export interface EventBusEnv extends ModelEnv {
  /** Sends a record to a target ARN (queue body, async invoke payload, …); false when undeliverable. */
  deliver(targetArn: string, record: unknown, context: DeliveryContext): boolean;
  queue(reference: string, where?: string): SqsQueue;
}

/**
 * An EventBridge bus as a destination target. It keeps every event it receives (`events`) so tests,
 * reports and scenarios can assert on them, and sends each to the targets of every enabled rule whose
 * event pattern matches it (`addRule`): a function is invoked asynchronously with the event, a queue
 * receives it as the message body (docs/aws-semantics.md#eventbridge-rules).
 *
 * @example
 * ```ts
 * const bus = topology.addEventBus({ name: "orders" });
 * topology.run();
 * bus.events.filter((event) => event["detail-type"] === "Lambda Function Invocation Result - Failure");
 * ```
 */
export class EventBus {
  public readonly name: string;
  public readonly arn: string;
  public readonly events: Record<string, unknown>[] = [];
  readonly #topology: EventBusEnv;
  readonly #rules: EventRuleConfig[] = [];

  public constructor(topology: EventBusEnv, config: { readonly name: string }) {
    assertOptions("addEventBus", config, ["name"]);
    assertString("addEventBus", "name", config.name);
    this.#topology = topology;
    this.name = config.name;
    this.arn = `arn:aws:events:${topology.region}:${topology.accountId}:event-bus/${config.name}`;
  }

  /** Receives an async invocation record as a Lambda destination would send it. */
  public putLambdaResult(record: unknown, context: DeliveryContext): void {
    const topology = this.#topology;
    const event = eventBridgeDestinationEvent(record as AsyncInvocationRecord, {
      id: topology.newId(),
      account: topology.accountId,
      region: topology.region,
      timeMs: topology.simulation.now(),
      busArn: this.arn,
      functionArn: context.functionArn ?? (record as AsyncInvocationRecord).requestContext.functionArn,
    });
    this.putEvent(event, context.parent);
  }

  /**
   * Adds a rule (PutRule + PutTargets). Its targets must exist when events arrive; a FIFO queue needs
   * a message group id.
   *
   * @example
   * ```ts
   * bus.addRule({ name: "failures", pattern: { source: ["lambda"] }, targets: [{ arn: queue.arn }] });
   * ```
   */
  public addRule(rule: EventRuleConfig): void {
    const where = `addRule(${this.name})`;
    assertOptions(where, rule, ["name", "pattern", "targets", "enabled"]);
    assertString(where, "name", rule.name);
    if (rule.enabled !== undefined) assertBoolean(where, "enabled", rule.enabled);
    if (this.#rules.some((existing) => existing.name === rule.name))
      throw new ConfigurationError("name", `${where}: rule ${rule.name} already exists on ${this.name}`);
    if (!Array.isArray(rule.targets) || rule.targets.length > 5)
      throw new ConfigurationError(
        "targets",
        `${where}: rule ${rule.name} takes up to 5 targets (EventBridge's limit)`,
      );
    this.#rules.push(rule);
  }

  /** PutEvents: keeps the event and sends it to the targets of every enabled rule it matches. */
  public putEvent(event: Record<string, unknown>, parent: number): void {
    const topology = this.#topology;
    this.events.push(event);
    if (topology.trace.on) {
      topology.trace.emit(`events:${this.name}`, "put", {
        id: event["id"] as string,
        detailType: event["detail-type"] as string,
      });
    }
    for (const rule of this.#rules) {
      if (rule.enabled === false || !matchesEventPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) this.#sendToTarget(rule, target, event, parent);
    }
  }

  #sendToTarget(
    rule: EventRuleConfig,
    target: EventRuleTarget,
    event: Record<string, unknown>,
    parent: number,
  ): void {
    const topology = this.#topology;
    if (topology.trace.on)
      topology.trace.emit(`events:${this.name}`, "match", { rule: rule.name, target: target.arn });
    if (target.arn.startsWith("arn:aws:sqs:")) {
      const queue = topology.queue(target.arn, `rule ${rule.name} target`);
      if (queue.fifo) {
        queue.sendMessage(
          JSON.stringify(event),
          { messageGroupId: target.messageGroupId ?? "", messageDeduplicationId: String(event["id"]) },
          parent,
        );
        return;
      }
    }
    topology.deliver(target.arn, event, { parent });
  }
}
