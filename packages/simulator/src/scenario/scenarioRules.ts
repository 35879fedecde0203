import { isScalar, isSeq } from "yaml";
import { scenarioEventId } from "./expandEvents.js";
import type { LatencySpec, SourceLocation } from "./Scenario.js";
import type { MapFields, YamlNode, YamlReader } from "./YamlReader.js";

// Limits, name patterns and value readers of the scenario format that are not owned by one section
// (`r` is always the YamlReader that collects the problems). A rule of a single section lives in
// that section's parser: parseEvents, parseDownstreams, parseFunctions, parseExpectations.

/** Limits that keep a scenario bounded; a run past them is a typo, not a plan. */
export const LIMITS = {
  /** 31 days: longer than every AWS retention involved (SQS 14 d, streams 7 d, async 6 h). */
  maxVirtualMs: 31 * 86_400_000,
  /** Total injected events after `repeat` expansion. */
  maxInjectedEvents: 1_000_000,
  defaultMaxVirtualMs: 86_400_000,
} as const;

/** Names of downstreams, queues and the like. */
export const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
/** How to fix a name that fails `NAME` (also shown for event ids, which allow ':' as well). */
export const NAME_HINT = "use letters, digits, '.', '_' or '-' (at most 80 characters)";

/** A downstream route key: `"<METHOD> <path>"`, where METHOD may be `*`. */
export const ROUTE_PATTERN = /^(\*|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/[^\s*]*)$/;

/**
 * A positive number of virtual seconds (at most `LIMITS.maxVirtualMs`), returned in whole
 * milliseconds; `undefined` when it is invalid (the problem is reported on `r`).
 *
 * @example
 * ```ts
 * const durationMs = positiveSeconds(reader, node, "durationSeconds"); // 90 -> 90000
 * ```
 */
export function positiveSeconds(r: YamlReader, node: YamlNode, path: string): number | undefined {
  const seconds = r.number(node, path, {
    min: 0.001,
    max: LIMITS.maxVirtualMs / 1000,
    hint: "seconds of virtual time, e.g. 3600 for an hour",
  });
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}

/**
 * A latency in milliseconds: `120` (fixed) or `[50, 400]` (uniform, seeded). Used by downstream
 * routes (`latencyMs`) and scripted functions (`durationMs`); `undefined` when it is invalid.
 *
 * @example
 * ```ts
 * const latency = parseLatency(reader, node, "downstreams.payment.latencyMs"); // { minMs: 50, maxMs: 400 }
 * ```
 */
export function parseLatency(r: YamlReader, node: YamlNode, path: string): LatencySpec | undefined {
  const resolved = r.resolve(node);
  const rule = {
    min: 0,
    max: 900_000,
    hint: "milliseconds of virtual time, or a duration such as 250ms, 2s or 1m (at most 15 minutes, the longest Lambda timeout)",
  };
  if (isSeq(resolved)) {
    const items = r.list(node, path, path) ?? [];
    if (items.length !== 2) {
      r.report(node, path, `${path} range must have two values [min, max], got ${items.length}`);
      return undefined;
    }
    const minMs = milliseconds(r, items[0], `${path}[0]`, rule);
    const maxMs = milliseconds(r, items[1], `${path}[1]`, rule);
    if (minMs === undefined || maxMs === undefined) return undefined;
    if (maxMs < minMs) {
      r.report(
        node,
        path,
        `${path} range [${minMs}, ${maxMs}] ends before it starts; write [${maxMs}, ${minMs}]`,
      );
      return undefined;
    }
    return { minMs, maxMs };
  }
  const fixed = milliseconds(r, node, path, rule);
  return fixed === undefined ? undefined : { minMs: fixed, maxMs: fixed };
}

/** A number of milliseconds, or a duration in any unit written as text (`250ms`, `2s`, `1m`). */
function milliseconds(
  r: YamlReader,
  node: YamlNode,
  path: string,
  rule: { readonly min: number; readonly max: number; readonly hint: string },
): number | undefined {
  const resolved = r.resolve(node);
  if (!(isScalar(resolved) && typeof resolved.value === "string")) return r.number(node, path, rule);
  const ms = r.duration(node, path);
  if (ms === undefined) return undefined;
  if (ms > rule.max) {
    r.report(node, path, `${path} is ${ms} ms; ${rule.hint}`);
    return undefined;
  }
  return ms;
}

/**
 * Where each key of a mapping was written, so later checks (against the stack, after the run) can
 * point at the exact field of an event or expectation.
 *
 * @example
 * ```ts
 * const where = fieldLocations(reader, fields); // { queue: { file, line: 12, column: 12 }, ... }
 * ```
 */
export function fieldLocations(r: YamlReader, fields: MapFields): Record<string, SourceLocation> {
  const result: Record<string, SourceLocation> = {};
  for (const [key, entry] of fields.entries) result[key] = r.locate(entry.value, entry.key);
  return result;
}

/**
 * Reports an expectation's event id that names no scenario event (a copy `<id>#n` or batch entry
 * `<id>[k]` counts as its event), with the ids there are; returns whether it did.
 *
 * @example
 * ```ts
 * if (reportUnknownEvent(r, node, "expect[2].event", event, eventIds)) return undefined;
 * ```
 */
export function reportUnknownEvent(
  r: YamlReader,
  node: YamlNode,
  path: string,
  id: string,
  eventIds: ReadonlyMap<string, SourceLocation>,
  advice = "use one of",
  note = "",
): boolean {
  if (eventIds.has(scenarioEventId(id))) return false;
  r.report(
    node,
    path,
    `no event has id "${id}"; ${advice}: ${[...eventIds.keys()].join(", ") || "(no events)"}${note}`,
  );
  return true;
}
