import { formatVirtualDuration } from "../report/formatVirtualDuration.js";
import type { RunEvent } from "../report/RunResult.js";
import { recordTarget } from "./evaluateRecord.js";
import { isCopyOf } from "./expandEvents.js";
import type { TimingExpectation, TimingPoint } from "./Scenario.js";
import type { MapFields, YamlReader } from "./YamlReader.js";
import { joinPath } from "./YamlReader.js";

const POINT = /^(?:(injected|settled)|attempt (\d+)( end)?|arrived at (\S+)|record (\d+) at (\S+))$/;
const POINT_HINT =
  "injected, attempt <n> (its start, from 1), attempt <n> end, settled, arrived at <target> (this event's record reached a DLQ, destination, bus or bucket) or record <n> at <target> (the n-th record of any event to reach it)";

/**
 * A timing point as written (`attempt 2 end`, `arrived at jobs-dlq`, `record 1 at failures`).
 *
 * @example
 * ```ts
 * parseTimingPoint("attempt 2 end"); // { kind: "attemptEnd", n: 2 }
 * ```
 */
export function parseTimingPoint(text: string): TimingPoint | undefined {
  const match = POINT.exec(text);
  if (match === null) return undefined;
  const [, word, attempt, end, arrivedAt, recordN, recordAt] = match;
  if (word !== undefined) return { kind: word as "injected" | "settled" };
  if (attempt !== undefined)
    return { kind: end === undefined ? "attempt" : "attemptEnd", n: Number(attempt) };
  if (arrivedAt !== undefined) return { kind: "arrived", target: arrivedAt };
  return { kind: "record", n: Number(recordN), target: recordAt! };
}

/**
 * A timing point in words, as written in a scenario.
 *
 * @example
 * ```ts
 * describeTimingPoint({ kind: "attemptEnd", n: 2 }); // "attempt 2 end"
 * ```
 */
export function describeTimingPoint(point: TimingPoint): string {
  switch (point.kind) {
    case "attempt":
      return `attempt ${point.n}`;
    case "attemptEnd":
      return `attempt ${point.n} end`;
    case "arrived":
      return `arrived at ${point.target}`;
    case "record":
      return `record ${point.n} at ${point.target}`;
    default:
      return point.kind;
  }
}

/**
 * Parses a `timing` expectation's fields: `event`, `from` and `to` (see `parseTimingPoint`: injected,
 * attempt <n>, attempt <n> end, settled, arrived at <target>, record <n> at <target>), and
 * `atLeast`/`atMost` (durations: `60`, `61s`, `2m`).
 *
 * @example
 * ```ts
 * // - { check: timing, event: mail-1, from: attempt 1, to: attempt 2, atLeast: 60s, atMost: 61s }
 * const timing = parseTimingFields(r, fields, "expect[3]");
 * ```
 */
export function parseTimingFields(
  r: YamlReader,
  fields: MapFields,
  path: string,
): Omit<TimingExpectation, "event"> | undefined {
  const point = (key: string, example: string): TimingPoint | undefined => {
    const node = r.require(fields, key, path, "expectation timing", example);
    const text =
      node === undefined
        ? undefined
        : r.string(node, joinPath(path, key), { pattern: POINT, hint: POINT_HINT });
    const point = text === undefined ? undefined : parseTimingPoint(text);
    if (point !== undefined && "n" in point && point.n < 1) {
      r.report(
        node,
        joinPath(path, key),
        `${joinPath(path, key)} "${text}" counts from 1 (the first attempt or record is 1)`,
      );
      return undefined;
    }
    return point;
  };
  const from = point("from", "attempt 1");
  const to = point("to", "attempt 2");
  const bound = (key: string) => {
    const node = fields.entries.get(key)?.value;
    return node === undefined ? undefined : r.duration(node, joinPath(path, key));
  };
  const atLeastMs = bound("atLeast");
  const atMostMs = bound("atMost");
  if (fields.entries.get("atLeast") === undefined && fields.entries.get("atMost") === undefined) {
    r.report(
      fields.node,
      path,
      "expectation timing needs atLeast, atMost or both (durations such as 60s or 2m)",
    );
    return undefined;
  }
  if (from === undefined || to === undefined) return undefined;
  return { from, to, atLeastMs, atMostMs };
}

/**
 * Checks a `timing` expectation on every copy of the event: the virtual time from one point to the
 * other is within the bounds. Names the copy and the time measured when it is not.
 *
 * @example
 * ```ts
 * evaluateTiming(expectation, result.events); // { ok: true, detail: "mail-1: 1m 00s" }
 * ```
 */
export function evaluateTiming(
  expectation: TimingExpectation,
  events: readonly RunEvent[],
): { ok: boolean; detail: string } {
  const copies = events.filter((event) => isCopyOf(event.id, expectation.event));
  if (copies.length === 0) return { ok: false, detail: `event ${expectation.event} did not run` };
  const lines: string[] = [];
  let ok = true;
  for (const event of copies) {
    const from = timeOf(event, expectation.from, events);
    const to = timeOf(event, expectation.to, events);
    if (from === undefined || to === undefined) {
      ok = false;
      lines.push(
        `${event.id}: ${describeTimingPoint(from === undefined ? expectation.from : expectation.to)} never happened (${event.attempts.length} attempt(s)${event.where !== undefined ? `, ended at ${recordTarget(event)}` : ""})`,
      );
      continue;
    }
    const elapsed = to - from;
    const within =
      (expectation.atLeastMs === undefined || elapsed >= expectation.atLeastMs) &&
      (expectation.atMostMs === undefined || elapsed <= expectation.atMostMs);
    if (!within) ok = false;
    lines.push(
      `${event.id}: ${formatVirtualDuration(elapsed)}${within ? "" : `, expected ${bounds(expectation)}`}`,
    );
  }
  return { ok, detail: lines.slice(0, 5).join("\n") };
}

function timeOf(event: RunEvent, point: TimingPoint, events: readonly RunEvent[]): number | undefined {
  switch (point.kind) {
    case "injected":
      return event.injectedAtMs;
    case "settled":
      return event.settledAtMs;
    case "attempt":
      return event.attempts[point.n - 1]?.atMs;
    case "attemptEnd": {
      const attempt = event.attempts[point.n - 1];
      return attempt === undefined ? undefined : (attempt.endMs ?? attempt.atMs);
    }
    case "arrived":
      return event.record !== undefined && recordTarget(event) === point.target
        ? event.settledAtMs
        : undefined;
    case "record":
      return arrivalsAt(point.target, events)[point.n - 1];
  }
}

/** When records reached a target, earliest first. */
function arrivalsAt(target: string, events: readonly RunEvent[]): number[] {
  return events
    .filter(
      (event) =>
        event.record !== undefined && event.settledAtMs !== undefined && recordTarget(event) === target,
    )
    .map((event) => event.settledAtMs!)
    .sort((a, b) => a - b);
}

function bounds(expectation: TimingExpectation): string {
  const low = expectation.atLeastMs === undefined ? undefined : formatVirtualDuration(expectation.atLeastMs);
  const high = expectation.atMostMs === undefined ? undefined : formatVirtualDuration(expectation.atMostMs);
  return low !== undefined && high !== undefined
    ? `between ${low} and ${high}`
    : low !== undefined
      ? `at least ${low}`
      : `at most ${high}`;
}
