import type { RunEvent } from "../report/RunResult.js";
import { describeCount, parseCount, within } from "./parseCount.js";
import type { InvocationsExpectation } from "./Scenario.js";
import type { MapFields, YamlReader } from "./YamlReader.js";
import { joinPath } from "./YamlReader.js";

/**
 * Parses an `invocations` expectation's checks: `count` (invocations of the function: one per
 * request id, a batch counts once, throttles do not count), `maxConcurrent` (the most invocations
 * running at one virtual instant) and `eachEventOnce` (every event the function got was delivered to
 * it exactly once).
 *
 * @example
 * ```ts
 * // - { check: invocations, function: payments-worker, count: 5, maxConcurrent: { atMost: 2 }, eachEventOnce: true }
 * const checks = parseInvocationsFields(r, fields, "expect[4]");
 * ```
 */
export function parseInvocationsFields(
  r: YamlReader,
  fields: MapFields,
  path: string,
): Omit<InvocationsExpectation, "function"> | undefined {
  const get = (key: string) => fields.entries.get(key)?.value;
  const count = get("count") === undefined ? undefined : parseCount(r, get("count"), joinPath(path, "count"));
  const maxConcurrent =
    get("maxConcurrent") === undefined
      ? undefined
      : parseCount(r, get("maxConcurrent"), joinPath(path, "maxConcurrent"));
  const eachEventOnce =
    get("eachEventOnce") === undefined
      ? undefined
      : r.boolean(get("eachEventOnce"), joinPath(path, "eachEventOnce"));
  if (
    get("count") === undefined &&
    get("maxConcurrent") === undefined &&
    get("eachEventOnce") === undefined
  ) {
    r.report(
      fields.node,
      path,
      "expectation invocations checks nothing; add count, maxConcurrent or eachEventOnce: true",
    );
    return undefined;
  }
  if (
    (get("count") !== undefined && count === undefined) ||
    (get("maxConcurrent") !== undefined && maxConcurrent === undefined) ||
    (get("eachEventOnce") !== undefined && eachEventOnce === undefined)
  )
    return undefined;
  return { count, maxConcurrent, eachEventOnce };
}

/**
 * Checks an `invocations` expectation against the attempts of the run's events.
 *
 * @example
 * ```ts
 * evaluateInvocations({ function: "receipts", count: { atLeast: 3, atMost: 3 }, maxConcurrent: undefined, eachEventOnce: undefined }, result.events);
 * ```
 */
export function evaluateInvocations(
  expectation: InvocationsExpectation,
  events: readonly RunEvent[],
): { ok: boolean; detail: string } {
  const invocations = new Map<string, { startMs: number; endMs: number }>();
  const deliveries: { id: string; times: number }[] = [];
  for (const event of events) {
    let times = 0;
    for (const attempt of event.attempts) {
      if (attempt.functionName !== expectation.function || attempt.result === "throttled") continue;
      times += 1;
      invocations.set(attempt.requestId, { startMs: attempt.atMs, endMs: attempt.endMs ?? attempt.atMs });
    }
    if (times > 0) deliveries.push({ id: event.id, times });
  }
  const failures: string[] = [];
  const found = [`${invocations.size} invocation(s)`];
  if (expectation.count !== undefined && !within(invocations.size, expectation.count))
    failures.push(`${invocations.size} invocation(s), expected ${describeCount(expectation.count)}`);
  if (expectation.maxConcurrent !== undefined) {
    const peak = peakConcurrency([...invocations.values()]);
    found.push(`at most ${peak} at once`);
    if (!within(peak, expectation.maxConcurrent))
      failures.push(`${peak} running at once, expected ${describeCount(expectation.maxConcurrent)}`);
  }
  if (expectation.eachEventOnce === true) {
    const repeated = deliveries.filter((delivery) => delivery.times !== 1);
    if (repeated.length > 0)
      failures.push(
        `${repeated.length} event(s) delivered more than once: ${repeated
          .slice(0, 5)
          .map((delivery) => `${delivery.id} ×${delivery.times}`)
          .join(", ")}`,
      );
  }
  return failures.length > 0
    ? { ok: false, detail: failures.join("; ") }
    : { ok: true, detail: found.join(", ") };
}

/** The most intervals [start, end) that overlap at one instant; an instant invocation counts at its instant. */
function peakConcurrency(intervals: readonly { startMs: number; endMs: number }[]): number {
  const points: [number, number][] = [];
  for (const { startMs, endMs } of intervals) {
    points.push([startMs, 1]);
    points.push([Math.max(endMs, startMs + 0.5), -1]);
  }
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let peak = 0;
  for (const [, change] of points) {
    running += change;
    peak = Math.max(peak, running);
  }
  return peak;
}
