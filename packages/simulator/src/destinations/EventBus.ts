import type { ModelEnv } from "../engine/ModelEnv.js";
import { assertOptions, assertString } from "../engine/validate.js";
import type { AsyncInvocationRecord } from "../lambda/asyncRecords.js";
import { eventBridgeDestinationEvent } from "../lambda/asyncRecords.js";
import type { DeliveryContext } from "../lambda/Deliveries.js";

/**
 * An EventBridge bus as a destination target. Rules and their targets are not modelled: the bus keeps
 * every event it receives (`events`) so tests, reports and scenarios can assert on them.
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
  readonly #topology: ModelEnv;

  public constructor(topology: ModelEnv, config: { readonly name: string }) {
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
    this.events.push(event);
    if (topology.trace.on) {
      topology.trace.emit(`events:${this.name}`, "put", {
        id: event["id"] as string,
        detailType: event["detail-type"] as string,
      });
    }
  }
}
