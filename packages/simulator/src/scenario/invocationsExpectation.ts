import { itemIdentifierOf } from "../lambda/scripted.js";
import type { RunAttempt, RunEvent } from "../report/RunResult.js";
import { containsShape, shapeText } from "./containsShape.js";
import { isCopyOf, scenarioEventId } from "./expandEvents.js";
import { describeCount, parseCount, within } from "./parseCount.js";
import type { InvocationsExpectation, NthInvocationExpectation, SourceLocation } from "./Scenario.js";
import { reportUnknownEvent } from "./scenarioRules.js";
import type { MapFields, YamlNode, YamlReader } from "./YamlReader.js";
import { joinPath } from "./YamlReader.js";

const OUTCOMES = ["success", "function-error", "timeout", "item-failure", "invalid-response"] as const;

/**
 * Parses an `invocations` expectation's checks: `count` (invocations of the function: one per
 * request id, a batch counts once, throttles do not count), `maxConcurrent` (the most invocations
 * running at one virtual instant), `eachEventOnce` (every event the function got was delivered to
 * it exactly once), `order` (events, by id, whose first deliveries came in this order) and, for
 * the n-th invocation (`invocation: n`), its `payload` (a shape the event contains), `outcome` and
 * `records` (the events its batch carried, in order). Event ids may name a copy (`order#3`) or a
 * batch entry (`jobs[2]`).
 *
 * @example
 * ```ts
 * // - { check: invocations, function: payments-worker, count: 5, maxConcurrent: { atMost: 2 }, eachEventOnce: true }
 * // - { check: invocations, function: worker, invocation: 2, outcome: success, records: ["jobs[2]", "jobs[3]"] }
 * const checks = parseInvocationsFields(r, fields, "expect[4]", eventIds);
 * ```
 */
export function parseInvocationsFields(
  r: YamlReader,
  fields: MapFields,
  path: string,
  eventIds: ReadonlyMap<string, SourceLocation>,
): Omit<InvocationsExpectation, "function"> | undefined {
  const get = (key: string) => fields.entries.get(key)?.value;
  const given = (key: string) => get(key) !== undefined;
  const count = given("count") ? parseCount(r, get("count"), joinPath(path, "count")) : undefined;
  const maxConcurrent = given("maxConcurrent")
    ? parseCount(r, get("maxConcurrent"), joinPath(path, "maxConcurrent"))
    : undefined;
  const eachEventOnce = given("eachEventOnce")
    ? r.boolean(get("eachEventOnce"), joinPath(path, "eachEventOnce"))
    : undefined;
  const order = given("order") ? eventIdList(r, get("order"), joinPath(path, "order"), eventIds) : undefined;
  const n = given("invocation")
    ? r.number(get("invocation"), joinPath(path, "invocation"), { integer: true, min: 1, max: 10_000_000 })
    : undefined;
  const outcome = given("outcome")
    ? r.choice(get("outcome"), joinPath(path, "outcome"), OUTCOMES)
    : undefined;
  const records = given("records")
    ? eventIdList(r, get("records"), joinPath(path, "records"), eventIds)
    : undefined;
  const nthKeys = ["payload", "outcome", "records"].filter(given);
  if (nthKeys.length > 0 && !given("invocation")) {
    r.report(
      fields.node,
      path,
      `${nthKeys.join(", ")} check one invocation; add \`invocation: <n>\` (1 for the first)`,
    );
    return undefined;
  }
  if (given("invocation") && nthKeys.length === 0) {
    r.report(fields.node, path, "invocation: <n> needs payload, outcome or records to check");
    return undefined;
  }
  if (!["count", "maxConcurrent", "eachEventOnce", "order", "invocation"].some(given)) {
    r.report(
      fields.node,
      path,
      "expectation invocations checks nothing; add count, maxConcurrent, eachEventOnce: true, order or invocation: <n>",
    );
    return undefined;
  }
  const parsed = { count, maxConcurrent, eachEventOnce, order, n, outcome, records };
  if (
    Object.entries(parsed).some(
      ([key, value]) => given(key === "n" ? "invocation" : key) && value === undefined,
    )
  )
    return undefined;
  const nth: NthInvocationExpectation | undefined =
    n === undefined
      ? undefined
      : { n, payload: given("payload") ? r.json(get("payload")) : undefined, outcome, records };
  return { count, maxConcurrent, eachEventOnce, order, nth };
}

/** A list of event ids, each the id of a scenario event or one of its parts. */
function eventIdList(
  r: YamlReader,
  node: YamlNode,
  path: string,
  eventIds: ReadonlyMap<string, SourceLocation>,
): string[] | undefined {
  const items = r.list(node, path, "event ids");
  if (items === undefined) return undefined;
  const ids: string[] = [];
  let ok = true;
  items.forEach((item, index) => {
    const id = r.string(item, `${path}[${index}]`);
    const note = " (a copy as <id>#n, a batch entry as <id>[k])";
    if (id === undefined) ok = false;
    else if (
      reportUnknownEvent(r, item, `${path}[${index}]`, scenarioEventId(id), eventIds, "use one of", note)
    )
      ok = false;
    else ids.push(id);
  });
  return ok ? ids : undefined;
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
  payloads: ReadonlyMap<string, unknown> = new Map(),
): { ok: boolean; detail: string } {
  const invocations = new Map<string, { startMs: number; endMs: number; attempt: RunAttempt }>();
  const deliveries: { id: string; times: number; firstMs: number }[] = [];
  const eventsByKey = new Map<string, string>();
  for (const event of events) {
    if (event.key !== undefined) eventsByKey.set(event.key, event.id);
    let times = 0;
    let firstMs = Number.POSITIVE_INFINITY;
    for (const attempt of event.attempts) {
      if (attempt.functionName !== expectation.function || attempt.result === "throttled") continue;
      times += 1;
      firstMs = Math.min(firstMs, attempt.atMs);
      const known = invocations.get(attempt.requestId);
      // A batch is one invocation; it failed when any record of it did.
      if (known === undefined || (known.attempt.result === "success" && attempt.result !== "success"))
        invocations.set(attempt.requestId, {
          startMs: attempt.atMs,
          endMs: attempt.endMs ?? attempt.atMs,
          attempt,
        });
    }
    if (times > 0) deliveries.push({ id: event.id, times, firstMs });
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
  // Invocations in the order they started; within one instant, in the order the run recorded them.
  const ordered = [...invocations.entries()].sort((a, b) => a[1].startMs - b[1].startMs);
  const carried = (requestId: string): string[] => {
    const records = (payloads.get(requestId) as { Records?: unknown } | undefined)?.Records;
    return Array.isArray(records)
      ? records.map((record) => eventsByKey.get(itemIdentifierOf(record)) ?? itemIdentifierOf(record))
      : events
          .filter((event) => event.attempts.some((attempt) => attempt.requestId === requestId))
          .map((event) => event.id);
  };
  if (expectation.order !== undefined) {
    // First deliveries in invocation order, and within a batch in the batch's order.
    const firstSeen: string[] = [];
    for (const [requestId] of ordered)
      for (const id of carried(requestId)) if (!firstSeen.includes(id)) firstSeen.push(id);
    const actual = expectation.order.map((wanted) =>
      firstSeen.findIndex((id) => id === wanted || isCopyOf(id, wanted)),
    );
    const inOrder = actual.every((index, at) => index >= 0 && (at === 0 || index > actual[at - 1]!));
    const seen = firstSeen.filter((id) =>
      expectation.order!.some((wanted) => id === wanted || isCopyOf(id, wanted)),
    );
    if (!inOrder)
      failures.push(
        `first deliveries came as [${seen.slice(0, 10).join(", ")}], expected [${expectation.order.join(", ")}]`,
      );
    else found.push(`in order ${expectation.order.join(", ")}`);
  }
  if (expectation.nth !== undefined) {
    const nth = expectation.nth;
    const entry = ordered[nth.n - 1];
    if (entry === undefined)
      failures.push(`invocation ${nth.n} never happened (${ordered.length} invocation(s))`);
    else failures.push(...checkInvocation(nth, entry[0], entry[1].attempt, payloads, carried(entry[0])));
    if (entry !== undefined && failures.length === 0) found.push(`invocation ${nth.n} as expected`);
  }
  return failures.length > 0
    ? { ok: false, detail: failures.join("; ") }
    : { ok: true, detail: found.join(", ") };
}

/** The differences between one invocation and what is expected of it. */
function checkInvocation(
  nth: NthInvocationExpectation,
  requestId: string,
  attempt: RunAttempt,
  payloads: ReadonlyMap<string, unknown>,
  carried: readonly string[],
): string[] {
  const problems: string[] = [];
  if (nth.outcome !== undefined && attempt.result !== nth.outcome)
    problems.push(`invocation ${nth.n} ended ${attempt.result}, expected ${nth.outcome}`);
  if (nth.records !== undefined) {
    const matches =
      carried.length === nth.records.length &&
      nth.records.every((wanted, index) => carried[index] === wanted || isCopyOf(carried[index]!, wanted));
    if (!matches)
      problems.push(
        `invocation ${nth.n} carried [${carried.join(", ")}], expected [${nth.records.join(", ")}]`,
      );
  }
  if (nth.payload !== undefined) {
    const payload = payloads.get(requestId);
    const difference = payload === undefined ? "its event was not kept" : containsShape(payload, nth.payload);
    if (difference !== undefined)
      problems.push(
        `invocation ${nth.n} payload differs: ${difference}\n    expected ${shapeText(nth.payload)}\n    actual   ${shapeText(payload)}`,
      );
  }
  return problems;
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
