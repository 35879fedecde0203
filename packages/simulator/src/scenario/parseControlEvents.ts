import type { ConcurrencyEvent, MappingEvent } from "./Scenario.js";
import type { MapFields, YamlReader } from "./YamlReader.js";
import { joinPath } from "./YamlReader.js";

/** What `parseEvent` has already read for any event: id, time, copies, locations. */
type EventBaseFields = Omit<MappingEvent, "kind" | "function" | "source" | "enabled">;

/** `sqs:<queue>`, `dynamodb-stream:<table>` or `kinesis:<stream>`: a source a mapping reads. */
const MAPPING_SOURCE = /^(sqs|dynamodb-stream|kinesis):\S+$/;

/**
 * A `mapping` event: `{ kind: mapping, function, source, enabled }` enables or disables the mapping
 * that feeds the function from the source, at the event's time (UpdateEventSourceMapping).
 *
 * @example
 * ```ts
 * // - { kind: mapping, at: 60s, function: payments-worker, source: sqs:payments, enabled: false }
 * const event = parseMappingEvent(r, fields, "events[3]", base);
 * ```
 */
export function parseMappingEvent(
  r: YamlReader,
  fields: MapFields,
  path: string,
  base: EventBaseFields,
): MappingEvent | undefined {
  const fn = requiredString(r, fields, path, "function", "payments-worker");
  const sourceNode = r.require(fields, "source", path, "a mapping event", "sqs:payments");
  const source =
    sourceNode === undefined
      ? undefined
      : r.string(sourceNode, joinPath(path, "source"), {
          pattern: MAPPING_SOURCE,
          hint: "name what the mapping reads: sqs:<queue>, dynamodb-stream:<table> or kinesis:<stream>",
        });
  const enabledNode = r.require(fields, "enabled", path, "a mapping event", "false");
  const enabled = enabledNode === undefined ? undefined : r.boolean(enabledNode, joinPath(path, "enabled"));
  if (fn === undefined || source === undefined || enabled === undefined) return undefined;
  return { ...base, kind: "mapping", function: fn, source, enabled };
}

/**
 * A `concurrency` event: `{ kind: concurrency, function, reserved }` sets the function's reserved
 * concurrency (`reserved: 0` throttles every invoke) or removes it (`reserved: null`) at the event's
 * time (PutFunctionConcurrency / DeleteFunctionConcurrency).
 *
 * @example
 * ```ts
 * // - { kind: concurrency, at: 30s, function: receipts, reserved: 0 }
 * const event = parseConcurrencyEvent(r, fields, "events[4]", base);
 * ```
 */
export function parseConcurrencyEvent(
  r: YamlReader,
  fields: MapFields,
  path: string,
  base: EventBaseFields,
): ConcurrencyEvent | undefined {
  const fn = requiredString(r, fields, path, "function", "receipts");
  const reservedNode = r.require(fields, "reserved", path, "a concurrency event", "0");
  if (reservedNode === undefined || fn === undefined) return undefined;
  if (r.json(reservedNode) === null) return { ...base, kind: "concurrency", function: fn, reserved: null };
  const reserved = r.number(reservedNode, joinPath(path, "reserved"), {
    integer: true,
    min: 0,
    max: 10_000,
    hint: "a whole number of concurrent executions (0 throttles every invoke), or null to remove the reservation",
  });
  return reserved === undefined ? undefined : { ...base, kind: "concurrency", function: fn, reserved };
}

function requiredString(
  r: YamlReader,
  fields: MapFields,
  path: string,
  key: string,
  example: string,
): string | undefined {
  const node = r.require(
    fields,
    key,
    path,
    `a ${String(fields.entries.get("kind")?.value ?? "")} event`,
    example,
  );
  return node === undefined ? undefined : r.string(node, joinPath(path, key), { maxLength: 256 });
}
