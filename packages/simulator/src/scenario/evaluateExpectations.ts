import { formatVirtualDuration } from "../report/formatVirtualDuration.js";
import type { ExpectationResult, RunDisposition, RunEvent } from "../report/RunResult.js";
import { type ConfigLookup, evaluateConfig } from "./configExpectation.js";
import { evaluateExecution, type ObservedExecution } from "./evaluateExecution.js";
import { evaluateRecord, type StackAttributeLookup } from "./evaluateRecord.js";
import { evaluateResponse } from "./evaluateResponse.js";
import { isCopyOf } from "./expandEvents.js";
import { evaluateInvocations } from "./invocationsExpectation.js";
import { describeCount, within } from "./parseCount.js";
import { evaluateRejected, type ObservedRejection } from "./rejectedExpectation.js";
import type { CountSpec, Expectation, Scenario } from "./Scenario.js";
import { evaluateTiming } from "./timingExpectation.js";

/** One request a scripted downstream received, as its request log records it. */
export interface ObservedRequest {
  /** Downstream name (payment, mail, slack, ...). */
  readonly downstream: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Virtual epoch ms the request arrived. */
  readonly atMs: number;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  readonly body: unknown;
  /** True when the downstream answered from an earlier request with the same Idempotency-Key (no new side effect). */
  readonly replayed?: boolean;
}

/** What a run observed, for evaluating a scenario's expectations. */
export interface RunObservations {
  /** Outcomes; injected events carry their injection id (`poison`, `order#3`). */
  readonly events: readonly RunEvent[];
  readonly requests: readonly ObservedRequest[];
  /** Depth of every queue at the end of the run (visible + in flight + delayed), by queue name. */
  readonly queueDepths: Readonly<Record<string, number>>;
  /** Virtual epoch ms the run started (details say "+1m 02s"). */
  readonly virtualStartMs: number;
  /** Step Functions executions with their history; none when the stack has no state machine. */
  readonly executions?: readonly ObservedExecution[];
  /** Effective configuration of the stack's resources, for `config` checks. */
  readonly configuration?: ConfigLookup;
  /**
   * Why AWS would refuse to deploy the stack; empty or absent when it would accept it. When there is
   * any, nothing ran: only `rejected` checks are evaluated, every other one fails as not checked.
   */
  readonly rejections?: readonly ObservedRejection[];
  /** Attributes of the stack's resources (`${function:<name>.arn}` in a record shape). */
  readonly stackAttribute?: StackAttributeLookup;
  /** The event each invocation received, by request id, for `invocations` checks of the n-th one. */
  readonly invocationPayloads?: ReadonlyMap<string, unknown>;
}

/** Dispositions that mean "this event failed and was set aside": the ones an alert must name. */
const SET_ASIDE: ReadonlySet<RunDisposition> = new Set(["dead-lettered", "sent-to-destination", "parked"]);
/** Ids listed in a detail before "and N more": details stay one readable line. */
const MAX_LISTED = 5;

/**
 * Evaluates every expectation of a scenario against what the run observed, in the scenario's order.
 * Pure: the same observations give the same results. The checks (see `scenarios/README.md`):
 * - `no-double-charge`: no two 2xx answers of the route for the same body `key`, replays of an
 *   Idempotency-Key excepted (they charge nothing);
 * - `dead-letters-alerted`: every event dead-lettered, sent to a destination or parked is named in a
 *   2xx request to the downstream, by its id or by the value of `key` found in its record;
 * - `queue-depth`, `time-to-dead-letter`, `every-event-final`, `outcome-counts`, `event-outcome`,
 *   `requests`: counts and times as their names say.
 *
 * @example
 * ```ts
 * import { evaluateExpectations } from "@rebound/simulator";
 * const expectations = evaluateExpectations(scenario, { events, requests, queueDepths, virtualStartMs });
 * const ok = expectations.every((expectation) => expectation.ok);
 * ```
 */
export function evaluateExpectations(
  scenario: Pick<Scenario, "expect">,
  observations: RunObservations,
): ExpectationResult[] {
  for (const key of ["events", "requests"] as const) {
    if (!Array.isArray(observations[key])) {
      throw new TypeError(`observations.${key} must be an array, got ${typeof observations[key]}`);
    }
  }
  if (typeof observations.queueDepths !== "object" || observations.queueDepths === null) {
    throw new TypeError("observations.queueDepths must be an object of queue name → depth");
  }
  return scenario.expect.map((expectation) => {
    const { ok, detail } = evaluate(expectation, observations);
    return { name: expectation.name, ok, detail };
  });
}

function evaluate(expectation: Expectation, run: RunObservations): { ok: boolean; detail: string } {
  const at = (ms: number) => `+${formatVirtualDuration(ms - run.virtualStartMs)}`;
  const rejections = run.rejections ?? [];
  if (expectation.check === "rejected") return evaluateRejected(expectation, rejections);
  if (rejections.length > 0)
    return {
      ok: false,
      detail: `not checked: AWS would refuse the stack (${rejections.length} problem(s)), so nothing ran`,
    };
  switch (expectation.check) {
    case "execution":
      return evaluateExecution(expectation, run.executions ?? []);
    case "record":
      return evaluateRecord(expectation, run.events, run.stackAttribute);
    case "response":
      return evaluateResponse(expectation, run.events);
    case "timing":
      return evaluateTiming(expectation, run.events);
    case "invocations":
      return evaluateInvocations(expectation, run.events, run.invocationPayloads);
    case "config":
      return evaluateConfig(expectation, run.configuration);
    case "no-double-charge": {
      const charges = new Map<string, ObservedRequest[]>();
      let replays = 0;
      for (const request of run.requests) {
        if (
          request.downstream !== expectation.downstream ||
          !routeMatches(expectation.route, request.method, request.path)
        )
          continue;
        if (request.status < 200 || request.status > 299) continue;
        if (request.replayed) {
          replays += 1;
          continue;
        }
        const value = fieldOf(request.body, expectation.key);
        const key = value === undefined ? "(no key)" : String(value);
        charges.set(key, [...(charges.get(key) ?? []), request]);
      }
      const twice = [...charges.entries()].filter(([, requests]) => requests.length > 1);
      const total = [...charges.values()].reduce((sum, requests) => sum + requests.length, 0);
      const replayNote = replays > 0 ? `, ${replays} idempotent replay(s) not counted` : "";
      if (twice.length === 0) {
        return {
          ok: true,
          detail: `${total} successful charge(s) for ${charges.size} ${expectation.key}(s)${replayNote}`,
        };
      }
      return {
        ok: false,
        detail: `${twice.length} ${expectation.key}(s) charged more than once: ${list(twice.map(([key, requests]) => `${key} ×${requests.length} (${requests.map((request) => at(request.atMs)).join(", ")})`))}`,
      };
    }
    case "dead-letters-alerted": {
      const alerts = run.requests
        .filter(
          (request) =>
            request.downstream === expectation.downstream && request.status >= 200 && request.status <= 299,
        )
        .map((request) => (typeof request.body === "string" ? request.body : JSON.stringify(request.body)));
      const setAside = run.events.filter(
        (event) => event.disposition !== null && SET_ASIDE.has(event.disposition),
      );
      const missing = setAside.filter((event) => {
        const names = [event.id, event.key ?? ""];
        if (expectation.key !== undefined) {
          names.push(...valuesOf(event.record, expectation.key), ...valuesOf(event.payload, expectation.key));
        }
        return !alerts.some((text) => names.some((name) => name !== "" && text.includes(name)));
      });
      if (missing.length === 0) {
        return {
          ok: true,
          detail: `${setAside.length} failed event(s), all named in ${alerts.length} ${expectation.downstream} message(s)`,
        };
      }
      return {
        ok: false,
        detail: `${missing.length} of ${setAside.length} failed event(s) not named in any ${expectation.downstream} message: ${list(missing.map((event) => `${event.id} (${event.disposition}${event.where ? ` to ${event.where}` : ""})`))}`,
      };
    }
    case "queue-depth": {
      const depth = run.queueDepths[expectation.queue];
      if (depth === undefined) {
        return {
          ok: false,
          detail: `the run did not report queue ${expectation.queue}; known: ${Object.keys(run.queueDepths).join(", ") || "none"}`,
        };
      }
      return {
        ok: within(depth, expectation.count),
        detail: `${expectation.queue} held ${depth} message(s) at the end (expected ${describeCount(expectation.count)})`,
      };
    }
    case "time-to-dead-letter": {
      const setAside = run.events.filter(
        (event) =>
          event.disposition !== null &&
          SET_ASIDE.has(event.disposition) &&
          (expectation.source === undefined || event.source === expectation.source),
      );
      if (setAside.length === 0)
        return { ok: true, detail: "no event was dead-lettered, sent to a destination or parked" };
      const times = setAside.map((event) => ({
        event,
        ms: (event.settledAtMs ?? Number.POSITIVE_INFINITY) - event.injectedAtMs,
      }));
      const slow = times.filter((entry) => entry.ms > expectation.atMostMs);
      const slowest = times.reduce((worst, entry) => (entry.ms > worst.ms ? entry : worst));
      if (slow.length === 0) {
        return {
          ok: true,
          detail: `${setAside.length} event(s); the slowest (${slowest.event.id}) took ${formatVirtualDuration(slowest.ms)}`,
        };
      }
      return {
        ok: false,
        detail: `${slow.length} of ${setAside.length} event(s) took longer than ${formatVirtualDuration(expectation.atMostMs)}: ${list(slow.map((entry) => `${entry.event.id} ${formatVirtualDuration(entry.ms)}`))}`,
      };
    }
    case "every-event-final": {
      const pending = run.events.filter((event) => event.disposition === null);
      return pending.length === 0
        ? { ok: true, detail: `${run.events.length} event(s), each with one final disposition` }
        : {
            ok: false,
            detail: `${pending.length} of ${run.events.length} event(s) unfinished: ${list(pending.map((event) => `${event.id} (${event.source})`))}`,
          };
    }
    case "outcome-counts": {
      const events = run.events.filter((event) => event.source === expectation.source);
      const failures: string[] = [];
      const found: string[] = [];
      for (const [disposition, count] of Object.entries(expectation.counts) as [
        RunDisposition,
        CountSpec,
      ][]) {
        const actual = events.filter((event) => event.disposition === disposition).length;
        found.push(`${disposition} ${actual}`);
        if (!within(actual, count))
          failures.push(`${disposition} ${actual}, expected ${describeCount(count)}`);
      }
      const prefix = `${events.length} event(s) from ${expectation.source}`;
      return failures.length === 0
        ? { ok: true, detail: `${prefix}: ${found.join(", ")}` }
        : { ok: false, detail: `${prefix}: ${failures.join("; ")}` };
    }
    case "event-outcome": {
      const events = run.events.filter((event) => isCopyOf(event.id, expectation.event));
      if (events.length === 0)
        return { ok: false, detail: `the run reported no outcome for event ${expectation.event}` };
      const wrong = events.filter(
        (event) =>
          event.disposition !== expectation.disposition ||
          (expectation.attempts !== undefined && !within(event.attempts.length, expectation.attempts)),
      );
      const describe = (event: RunEvent) =>
        `${event.id} ${event.disposition ?? "unfinished"} after ${event.attempts.length} attempt(s)${event.where ? ` in ${event.where}` : ""}`;
      return wrong.length === 0
        ? { ok: true, detail: list(events.map(describe)) }
        : { ok: false, detail: `${wrong.length} of ${events.length}: ${list(wrong.map(describe))}` };
    }
    case "requests": {
      const matching = run.requests.filter(
        (request) =>
          request.downstream === expectation.downstream &&
          (expectation.route === undefined ||
            routeMatches(expectation.route, request.method, request.path)) &&
          (expectation.status === "any" ||
            (expectation.status === "success") === (request.status >= 200 && request.status <= 299)),
      );
      const statuses = new Map<number, number>();
      for (const request of matching) statuses.set(request.status, (statuses.get(request.status) ?? 0) + 1);
      const breakdown = [...statuses.entries()]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${count}×${status}`)
        .join(", ");
      return {
        ok: within(matching.length, expectation.count),
        detail: `${matching.length} request(s)${breakdown ? ` (${breakdown})` : ""}, expected ${describeCount(expectation.count)}`,
      };
    }
  }
}

/**
 * Whether a scenario route (`"POST /charges"`, `"* /orders/{id}"`) matches a request, as the scripted
 * downstreams route: METHOD `*` matches any method, a segment `{name}` matches any one segment, the
 * query string is ignored.
 *
 * @example
 * ```ts
 * import { routeMatches } from "@rebound/simulator";
 * routeMatches("POST /charges", "POST", "/charges?x=1"); // true
 * routeMatches("* /hooks/{team}/{channel}", "PUT", "/hooks/T123/B456"); // true
 * ```
 */
export function routeMatches(route: string, method: string, path: string): boolean {
  const space = route.indexOf(" ");
  const routeMethod = route.slice(0, space);
  if (routeMethod !== "*" && routeMethod !== method.toUpperCase()) return false;
  const wanted = route
    .slice(space + 1)
    .split("/")
    .filter((segment) => segment !== "");
  const actual = (path.split("?")[0] ?? path).split("/").filter((segment) => segment !== "");
  return (
    wanted.length === actual.length &&
    wanted.every((segment, index) => /^\{[^}]+\}$/.test(segment) || segment === actual[index])
  );
}

function list(items: readonly string[]): string {
  return items.length <= MAX_LISTED
    ? items.join(", ")
    : `${items.slice(0, MAX_LISTED).join(", ")} and ${items.length - MAX_LISTED} more`;
}

/** `body[key]`, parsing a JSON text body first. */
function fieldOf(body: unknown, key: string): unknown {
  const value = typeof body === "string" ? parseJson(body) : body;
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Every string or number found under `key` anywhere in a record, looking inside JSON text too (a DLQ
 * message's body, a destination record's payload), at most 8 levels deep.
 */
function valuesOf(record: unknown, key: string, depth = 0, found: string[] = []): string[] {
  if (depth > 8 || record === null || record === undefined) return found;
  if (typeof record === "string") {
    const parsed =
      record.length > 1 && (record[0] === "{" || record[0] === "[") ? parseJson(record) : undefined;
    if (parsed !== undefined) valuesOf(parsed, key, depth + 1, found);
    return found;
  }
  if (Array.isArray(record)) {
    for (const item of record) valuesOf(item, key, depth + 1, found);
    return found;
  }
  if (typeof record === "object") {
    for (const [name, value] of Object.entries(record)) {
      const scalar = name === key ? scalarOf(value) : undefined;
      if (scalar !== undefined) found.push(scalar);
      else valuesOf(value, key, depth + 1, found);
    }
  }
  return found;
}

/** A string or number, or a DynamoDB attribute value holding one (`{"S": "ord_1"}` in stream images). */
function scalarOf(value: unknown): string | undefined {
  if (typeof value === "string" || typeof value === "number") return String(value);
  if (typeof value === "object" && value !== null) {
    const attribute = value as { S?: unknown; N?: unknown };
    if (typeof attribute.S === "string") return attribute.S;
    if (typeof attribute.N === "string") return attribute.N;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
