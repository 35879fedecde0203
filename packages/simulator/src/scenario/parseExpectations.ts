import { parseConfigFields } from "./configExpectation.js";
import { parseInvocationsFields } from "./invocationsExpectation.js";
import { describeCount, parseBounds, parseCount } from "./parseCount.js";
import { parseExecutionExpectation } from "./parseExecution.js";
import { parseRejectedFields } from "./rejectedExpectation.js";
import {
  type CountSpec,
  type Expectation,
  ExpectationCheck,
  SCENARIO_DISPOSITIONS,
  type ScenarioDisposition,
  type SourceLocation,
} from "./Scenario.js";
import {
  fieldLocations,
  LIMITS,
  NAME,
  NAME_HINT,
  ROUTE_PATTERN,
  reportUnknownEvent,
} from "./scenarioRules.js";
import { describeTimingPoint, parseTimingFields } from "./timingExpectation.js";
import type { YamlNode, YamlReader } from "./YamlReader.js";

// The `expect:` section: the checks evaluated on the run's result. Each expectation gets a default
// name in words (shown in the report) unless it sets `name`.

/** Keys each check takes besides `check` and `name`. */
const EXPECT_KEYS: Record<ExpectationCheck, readonly string[]> = {
  "no-double-charge": ["downstream", "route", "key"],
  "dead-letters-alerted": ["downstream", "key"],
  "queue-depth": ["queue", "equals", "atLeast", "atMost"],
  "time-to-dead-letter": ["atMostSeconds", "source"],
  "every-event-final": [],
  "outcome-counts": ["source", ...SCENARIO_DISPOSITIONS],
  "event-outcome": ["event", "disposition", "attempts"],
  requests: ["downstream", "route", "status", "count"],
  execution: ["event", "stateMachine", "status", "error", "cause", "output", "history", "historyIncludes"],
  record: ["target", "event", "matches", "count", "none"],
  response: ["event", "statusCode", "functionError", "errorType", "payload", "body"],
  timing: ["event", "from", "to", "atLeast", "atMost"],
  invocations: [
    "function",
    "count",
    "maxConcurrent",
    "eachEventOnce",
    "order",
    "invocation",
    "payload",
    "outcome",
    "records",
  ],
  config: ["function", "queue", "mapping", "eventInvokeConfig", "matches"],
  rejected: ["resource", "operation", "code", "status", "message"],
};
const CHECKS = Object.values(ExpectationCheck);

/** Source labels of outcomes, as the simulator's models name them: `<kind>:<name>` (see RunResult). */
const SOURCE = /^(apigw|sqs|sns|lambda|dynamodb-stream|kinesis|sfn):\S(.*\S)?$/;
const SOURCE_HINT =
  "write <kind>:<name> with kind apigw, sqs, sns, lambda, dynamodb-stream, kinesis or sfn (e.g. sqs:payments, apigw:orders for every request to the HTTP API orders)";

/**
 * Parses the `expect:` list. Invalid expectations are reported on `r` and left out; an
 * `event-outcome` check must name an id from `eventIds`, so parse the events first.
 *
 * @param r the reader that collects the problems
 * @param node the value of `expect:`
 * @param eventIds the ids of the scenario's events, as filled by `parseEvents`
 * @example
 * ```ts
 * const eventIds = new Map();
 * const events = parseEvents(reader, eventsNode, eventIds);
 * const expect = parseExpectations(reader, expectNode, eventIds);
 * ```
 */
export function parseExpectations(
  r: YamlReader,
  node: YamlNode,
  eventIds: ReadonlyMap<string, SourceLocation>,
): Expectation[] {
  const items = r.list(node, "expect", "expect");
  if (items === undefined) return [];
  const result: Expectation[] = [];
  items.forEach((item, index) => {
    const expectation = parseExpectation(r, item, `expect[${index}]`, eventIds);
    if (expectation !== undefined) result.push(expectation);
  });
  return result;
}

/** One expectation: its `check`, then the keys of that check. */
function parseExpectation(
  r: YamlReader,
  node: YamlNode,
  path: string,
  eventIds: ReadonlyMap<string, SourceLocation>,
): Expectation | undefined {
  const loose = r.map(node, path, "an expectation", null);
  if (loose === undefined) return undefined;
  const checkNode = r.require(loose, "check", path, "every expectation", "no-double-charge");
  const check = checkNode === undefined ? undefined : r.choice(checkNode, `${path}.check`, CHECKS);
  if (check === undefined) return undefined;
  const fields = r.map(node, path, `expectation ${check}`, ["check", "name", ...EXPECT_KEYS[check]]);
  if (fields === undefined) return undefined;
  const get = (key: string): YamlNode | undefined => fields.entries.get(key)?.value;
  const text = (
    key: string,
    fallback: string | undefined,
    rule?: Parameters<YamlReader["string"]>[2],
  ): string | undefined => (get(key) === undefined ? fallback : r.string(get(key), `${path}.${key}`, rule));
  const needText = (
    key: string,
    example: string,
    rule?: Parameters<YamlReader["string"]>[2],
  ): string | undefined => {
    const value = r.require(fields, key, path, `expectation ${check}`, example);
    return value === undefined ? undefined : r.string(value, `${path}.${key}`, rule);
  };
  const customName = text("name", undefined, { maxLength: 200 });
  if (get("name") !== undefined && customName === undefined) return undefined;
  const base = (defaultName: string) => ({
    name: customName ?? defaultName,
    location: r.locate(fields.node),
    fieldLocations: fieldLocations(r, fields),
  });

  switch (check) {
    case "rejected": {
      const rejected = parseRejectedFields(r, fields, path);
      if (rejected === undefined) return undefined;
      const what = [rejected.resource, rejected.code].filter((part) => part !== undefined).join(" ");
      return { ...base(`AWS refuses the stack${what ? ` (${what})` : ""}`), check, ...rejected };
    }
    case "config": {
      const config = parseConfigFields(r, fields, path);
      if (config === undefined) return undefined;
      const what =
        config.resource.kind === "mapping"
          ? `mapping ${config.resource.function} ← ${config.resource.source}`
          : `${config.resource.kind} ${config.resource.name}`;
      return { ...base(`configuration of ${what}`), check, ...config };
    }
    case "invocations": {
      const fn = needText("function", "payments-worker");
      const checks = parseInvocationsFields(r, fields, path, eventIds);
      if (fn === undefined || checks === undefined) return undefined;
      const parts = [
        checks.count && `${describeCount(checks.count)} invocation(s)`,
        checks.maxConcurrent && `${describeCount(checks.maxConcurrent)} at once`,
        checks.eachEventOnce && "each event once",
        checks.order && `first deliveries in order ${checks.order.join(", ")}`,
        checks.nth &&
          [
            `invocation ${checks.nth.n}`,
            checks.nth.outcome,
            checks.nth.records && `carries ${checks.nth.records.join(", ")}`,
            checks.nth.payload !== undefined && "payload matches the shape",
          ]
            .filter(Boolean)
            .join(" "),
      ].filter(Boolean);
      return { ...base(`${fn}: ${parts.join("; ")}`), check, function: fn, ...checks };
    }
    case "timing": {
      const event = needText("event", "mail-1");
      if (event !== undefined && reportUnknownEvent(r, get("event"), `${path}.event`, event, eventIds))
        return undefined;
      const timing = parseTimingFields(r, fields, path);
      if (event === undefined || timing === undefined) return undefined;
      return {
        ...base(`${event}: ${describeTimingPoint(timing.from)} to ${describeTimingPoint(timing.to)}`),
        check,
        event,
        ...timing,
      };
    }
    case "response": {
      const event = needText("event", "get-order");
      const advice = "use the id of an invoke (type: RequestResponse) or api event";
      if (
        event !== undefined &&
        reportUnknownEvent(r, get("event"), `${path}.event`, event, eventIds, advice)
      )
        return undefined;
      const statusCode =
        get("statusCode") === undefined
          ? undefined
          : r.number(get("statusCode"), `${path}.statusCode`, { integer: true, min: 100, max: 599 });
      if (get("payload") !== undefined && get("body") !== undefined) {
        r.report(
          get("body"),
          `${path}.body`,
          "payload (an invoke's) and body (an API response's) are the same check; keep one",
        );
        return undefined;
      }
      const shapeNode = get("payload") ?? get("body");
      if (event === undefined || (get("statusCode") !== undefined && statusCode === undefined))
        return undefined;
      return {
        ...base(`response to ${event}${statusCode !== undefined ? ` is ${statusCode}` : ""}`),
        check,
        event,
        statusCode,
        functionError: text("functionError", undefined),
        errorType: text("errorType", undefined),
        payload: shapeNode === undefined ? undefined : r.json(shapeNode),
      };
    }
    case "record": {
      const target = needText("target", "receipts-failures");
      const event = text("event", undefined);
      if (event !== undefined && reportUnknownEvent(r, get("event"), `${path}.event`, event, eventIds))
        return undefined;
      if (get("none") !== undefined && get("count") !== undefined) {
        r.report(get("none"), `${path}.none`, "none: true is count: 0; keep one of them");
        return undefined;
      }
      const none = get("none") === undefined ? undefined : r.boolean(get("none"), `${path}.none`);
      if (none === false) {
        r.report(get("none"), `${path}.none`, "none: false checks nothing; remove it, or use count");
        return undefined;
      }
      const count =
        none === true
          ? { atLeast: 0, atMost: 0 }
          : get("count") === undefined
            ? undefined
            : parseCount(r, get("count"), `${path}.count`);
      if (target === undefined || (get("count") !== undefined && count === undefined)) return undefined;
      if (get("none") !== undefined && none === undefined) return undefined;
      const matches = get("matches") === undefined ? undefined : r.json(get("matches"));
      return {
        ...base(
          `${count ? describeCount(count) : "a"} record(s) at ${target}${event ? ` about ${event}` : ""}${matches === undefined ? "" : " matching the shape"}`,
        ),
        check,
        target,
        event,
        matches,
        count,
      };
    }
    case "execution": {
      const checked = parseExecutionExpectation(r, fields, path, eventIds);
      if (checked === undefined) return undefined;
      const what =
        checked.event !== undefined
          ? `execution ${checked.event}`
          : `every execution of ${checked.stateMachine}`;
      return {
        ...base(
          `${what}${checked.status ? ` ${checked.status}` : ""}${checked.error ? ` with ${checked.error}` : ""}`,
        ),
        check,
        ...checked,
      };
    }
    case "no-double-charge": {
      const downstream = text("downstream", "payment", { pattern: NAME, hint: NAME_HINT });
      const route = text("route", "POST /charges", {
        pattern: ROUTE_PATTERN,
        hint: 'write "<METHOD> <path>", e.g. "POST /charges"',
      });
      const key = text("key", "orderId");
      if (downstream === undefined || route === undefined || key === undefined) return undefined;
      return { ...base(`no ${key} charged twice (${downstream} ${route})`), check, downstream, route, key };
    }
    case "dead-letters-alerted": {
      const downstream = text("downstream", "slack", { pattern: NAME, hint: NAME_HINT });
      const key = text("key", undefined);
      if (downstream === undefined || (get("key") !== undefined && key === undefined)) return undefined;
      return { ...base(`every dead-lettered event alerted in ${downstream}`), check, downstream, key };
    }
    case "queue-depth": {
      const queue = needText("queue", "payments-dlq", { pattern: NAME, hint: NAME_HINT });
      const count = parseBounds(r, fields, path, "a queue-depth expectation");
      if (queue === undefined || count === undefined) return undefined;
      return { ...base(`${queue} depth ${describeCount(count)} at the end`), check, queue, count };
    }
    case "time-to-dead-letter": {
      const secondsNode = r.require(fields, "atMostSeconds", path, "expectation time-to-dead-letter", "120");
      const seconds =
        secondsNode === undefined
          ? undefined
          : r.number(secondsNode, `${path}.atMostSeconds`, { min: 0, max: LIMITS.maxVirtualMs / 1000 });
      const source = text("source", undefined, { pattern: SOURCE, hint: SOURCE_HINT });
      if (seconds === undefined || (get("source") !== undefined && source === undefined)) return undefined;
      return {
        ...base(`every dead letter${source ? ` of ${source}` : ""} within ${seconds} s`),
        check,
        atMostMs: Math.round(seconds * 1000),
        source,
      };
    }
    case "every-event-final":
      return { ...base("every event reaches one final disposition"), check };
    case "outcome-counts": {
      const source = needText("source", "sqs:payments", { pattern: SOURCE, hint: SOURCE_HINT });
      const counts: Partial<Record<ScenarioDisposition, CountSpec>> = {};
      let ok = source !== undefined;
      for (const disposition of SCENARIO_DISPOSITIONS) {
        const countNode = get(disposition);
        if (countNode === undefined) continue;
        const count = parseCount(r, countNode, `${path}.${disposition}`);
        if (count === undefined) ok = false;
        else counts[disposition] = count;
      }
      if (Object.keys(counts).length === 0 && ok) {
        r.report(
          fields.node,
          path,
          `expectation outcome-counts needs at least one of ${SCENARIO_DISPOSITIONS.join(", ")}; add e.g. \`processed: 20\``,
        );
        return undefined;
      }
      if (!ok) return undefined;
      const summary = Object.entries(counts)
        .map(([disposition, count]) => `${disposition} ${describeCount(count)}`)
        .join(", ");
      return { ...base(`${source}: ${summary}`), check, source: source!, counts };
    }
    case "event-outcome": {
      const eventNode = r.require(fields, "event", path, "expectation event-outcome", "poison-1");
      const event = eventNode === undefined ? undefined : r.string(eventNode, `${path}.event`);
      const advice = `give the event an \`id: ${event}\` or use one of`;
      if (event !== undefined && reportUnknownEvent(r, eventNode, `${path}.event`, event, eventIds, advice))
        return undefined;
      const dispositionNode = r.require(
        fields,
        "disposition",
        path,
        "expectation event-outcome",
        "dead-lettered",
      );
      const disposition =
        dispositionNode === undefined
          ? undefined
          : r.choice(dispositionNode, `${path}.disposition`, SCENARIO_DISPOSITIONS);
      const attempts =
        get("attempts") === undefined ? undefined : parseCount(r, get("attempts"), `${path}.attempts`);
      if (
        event === undefined ||
        disposition === undefined ||
        (get("attempts") !== undefined && attempts === undefined)
      )
        return undefined;
      return {
        ...base(
          `event ${event} ${disposition}${attempts ? ` after ${describeCount(attempts)} attempt(s)` : ""}`,
        ),
        check,
        event,
        disposition,
        attempts,
      };
    }
    case "requests": {
      const downstream = needText("downstream", "slack", { pattern: NAME, hint: NAME_HINT });
      const route = text("route", undefined, {
        pattern: ROUTE_PATTERN,
        hint: 'write "<METHOD> <path>", e.g. "POST /charges"',
      });
      const statusNode = get("status");
      const status =
        statusNode === undefined
          ? "any"
          : r.choice(statusNode, `${path}.status`, ["success", "error", "any"] as const);
      const countNode = r.require(fields, "count", path, "expectation requests", "3");
      const count = countNode === undefined ? undefined : parseCount(r, countNode, `${path}.count`);
      if (
        downstream === undefined ||
        status === undefined ||
        count === undefined ||
        (get("route") !== undefined && route === undefined)
      )
        return undefined;
      const what = status === "any" ? "requests" : `${status} requests`;
      return {
        ...base(`${describeCount(count)} ${what} to ${downstream}${route ? ` ${route}` : ""}`),
        check,
        downstream,
        route,
        status,
        count,
      };
    }
  }
}
