import { formatVirtualDuration } from "../report/formatVirtualDuration.js";
import type { RunEvent } from "../report/RunResult.js";
import { isCopyOf } from "./expandEvents.js";
import type { TimingExpectation, TimingPoint } from "./Scenario.js";
import type { MapFields, YamlReader } from "./YamlReader.js";
import { joinPath } from "./YamlReader.js";

const POINT = /^(injected|settled|attempt (\d+))$/;

/**
 * Parses a `timing` expectation's fields: `event`, `from` and `to` (`injected`, `attempt <n>` — the
 * start of the n-th attempt, from 1 — or `settled`), and `atLeast`/`atMost` (durations: `60`, `61s`,
 * `2m`).
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
        : r.string(node, joinPath(path, key), {
            pattern: POINT,
            hint: "injected, attempt <n> (its start, from 1) or settled",
          });
    if (text === undefined) return undefined;
    const match = POINT.exec(text)!;
    return match[2] !== undefined
      ? { kind: "attempt", n: Number(match[2]) }
      : { kind: text as "injected" | "settled" };
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
    const from = timeOf(event, expectation.from);
    const to = timeOf(event, expectation.to);
    if (from === undefined || to === undefined) {
      ok = false;
      lines.push(
        `${event.id}: ${from === undefined ? describePoint(expectation.from) : describePoint(expectation.to)} never happened (${event.attempts.length} attempt(s))`,
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

function timeOf(event: RunEvent, point: TimingPoint): number | undefined {
  if (point.kind === "injected") return event.injectedAtMs;
  if (point.kind === "settled") return event.settledAtMs;
  return event.attempts[point.n - 1]?.atMs;
}

function describePoint(point: TimingPoint): string {
  return point.kind === "attempt" ? `attempt ${point.n}` : point.kind;
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
