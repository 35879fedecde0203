import { ResourceNotFoundError } from "../engine/errors.js";
import { assertBoolean, assertIntInRange, assertOptions } from "../engine/validate.js";
import type { ControllableMapping } from "../lambda/mappingStatus.js";
import type { Topology } from "./Topology.js";

/** Which mapping: its UUID, or the function and the source it reads. */
export type MappingSelector =
  | { readonly uuid: string }
  | { readonly functionName: string; readonly eventSourceArn: string };

/**
 * Every event source mapping of the topology (SQS and streams) that can be enabled, disabled and
 * asked for its state.
 *
 * @example
 * ```ts
 * for (const mapping of eventSourceMappings(topology)) console.log(mapping.status());
 * ```
 */
export function eventSourceMappings(topology: Topology): ControllableMapping[] {
  return topology
    .resources()
    .mappings.filter(
      (mapping): mapping is ControllableMapping =>
        typeof (mapping as Partial<ControllableMapping>).setEnabled === "function",
    );
}

/**
 * GetEventSourceMapping: the mapping a selector names; a `ResourceNotFoundError` listing the mappings
 * there are when none matches.
 *
 * @example
 * ```ts
 * findEventSourceMapping(topology, { functionName: "pay", eventSourceArn: queue.arn }).status().State;
 * ```
 */
export function findEventSourceMapping(topology: Topology, selector: MappingSelector): ControllableMapping {
  const mappings = eventSourceMappings(topology);
  const found = mappings.find((mapping) =>
    "uuid" in selector
      ? mapping.uuid === selector.uuid
      : topology.function(selector.functionName).functionName === mapping.functionName &&
        mapping.eventSourceArn === selector.eventSourceArn,
  );
  if (found !== undefined) return found;
  const known = mappings.map((mapping) => `${mapping.functionName} ← ${mapping.eventSourceArn}`).join(", ");
  throw new ResourceNotFoundError(
    "uuid" in selector ? selector.uuid : `${selector.functionName} ← ${selector.eventSourceArn}`,
    `no event source mapping ${"uuid" in selector ? `with UUID ${selector.uuid}` : `of ${selector.functionName} on ${selector.eventSourceArn}`}; mappings: ${known || "none"}`,
  );
}

/**
 * UpdateEventSourceMapping with `Enabled`, now or at a virtual time: a disabled mapping stops
 * polling (batches in flight finish), an enabled one resumes at its next poll.
 *
 * @example
 * ```ts
 * updateEventSourceMapping(topology, { functionName: "pay", eventSourceArn: queue.arn }, { enabled: false }, { atMs: start + 60_000 });
 * ```
 */
export function updateEventSourceMapping(
  topology: Topology,
  selector: MappingSelector,
  update: { readonly enabled: boolean },
  options: { readonly atMs?: number } = {},
): void {
  assertOptions("updateEventSourceMapping", update, ["enabled"]);
  assertBoolean("updateEventSourceMapping", "enabled", update.enabled);
  assertOptions("updateEventSourceMapping options", options, ["atMs"]);
  const mapping = findEventSourceMapping(topology, selector);
  atOrNow(topology, options.atMs, () => mapping.setEnabled(update.enabled));
}

/**
 * PutFunctionConcurrency (a number) or DeleteFunctionConcurrency (`null`), now or at a virtual time.
 * Async events that meet a reserved concurrency of 0 go to the failure destination or DLQ
 * (`ZeroReservedConcurrency`); other throttles are retried as AWS documents.
 *
 * @example
 * ```ts
 * putFunctionConcurrency(topology, "receipts", 0, { atMs: start + 30_000 });
 * putFunctionConcurrency(topology, "receipts", null, { atMs: start + 90_000 });
 * ```
 */
export function putFunctionConcurrency(
  topology: Topology,
  functionName: string,
  reserved: number | null,
  options: { readonly atMs?: number } = {},
): void {
  assertOptions("putFunctionConcurrency options", options, ["atMs"]);
  const fn = topology.function(functionName, "putFunctionConcurrency");
  if (reserved !== null)
    assertIntInRange(
      `putFunctionConcurrency(${fn.functionName})`,
      "reserved",
      reserved,
      0,
      topology.account.limit,
    );
  atOrNow(topology, options.atMs, () => fn.putConcurrency(reserved ?? undefined));
}

function atOrNow(topology: Topology, atMs: number | undefined, change: () => void): void {
  if (atMs !== undefined && atMs > topology.simulation.now()) topology.simulation.at(atMs, change);
  else change();
}
