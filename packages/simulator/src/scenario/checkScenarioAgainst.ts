import { didYouMean } from "./didYouMean.js";
import type { Scenario, SourceLocation } from "./Scenario.js";
import { ScenarioError, type ScenarioIssue } from "./ScenarioError.js";

/** The names a stack defines, as the scenario refers to them (the run's topology provides them). */
export interface StackNames {
  readonly queues: readonly string[];
  readonly topics: readonly string[];
  readonly functions: readonly string[];
  readonly tables: readonly string[];
  readonly streams: readonly string[];
  /** Scripted downstreams the stack's functions call (payment, mail, slack, stock, carrier). */
  readonly downstreams: readonly string[];
  /** State machines, for `sfn:<name>` sources; when omitted, sfn sources are not checked. */
  readonly stateMachines?: readonly string[];
  /** HTTP APIs, for `apigw:<name>` sources; when omitted, apigw sources are not checked. */
  readonly apis?: readonly string[];
  /** EventBridge buses and S3 buckets, as record targets. */
  readonly buses?: readonly string[];
  readonly buckets?: readonly string[];
}

const NAME_KEYS = [
  "queues",
  "topics",
  "functions",
  "tables",
  "streams",
  "downstreams",
  "stateMachines",
  "apis",
  "buses",
  "buckets",
] as const;
/** Name lists a caller may leave out: the checks that use them are then skipped. */
const OPTIONAL_NAME_KEYS: ReadonlySet<string> = new Set(["stateMachines", "apis", "buses", "buckets"]);

/** A name list's kind in words, for messages. */
const KIND_WORDS: Record<keyof StackNames, string> = {
  queues: "queue",
  topics: "topic",
  functions: "function",
  tables: "table",
  streams: "stream",
  downstreams: "downstream",
  stateMachines: "state machine",
  apis: "HTTP API",
  buses: "bus",
  buckets: "bucket",
};

/** Which names a source label's kind refers to. */
const SOURCE_KINDS = {
  apigw: "apis",
  sqs: "queues",
  sns: "topics",
  lambda: "functions",
  "dynamodb-stream": "tables",
  kinesis: "streams",
  sfn: "stateMachines",
} as const satisfies Record<string, keyof StackNames>;

/**
 * Every name the scenario uses that the stack does not define, with the line it is written on and
 * the names the stack does define (plus the closest one). Returns an empty list when all is well.
 *
 * @example
 * ```ts
 * import { findUnknownNames } from "@rebound/simulator";
 * const issues = findUnknownNames(scenario, { queues: ["payments"], topics: [], functions: [], tables: [], streams: [], downstreams: [] });
 * ```
 */
export function findUnknownNames(scenario: Scenario, names: StackNames): ScenarioIssue[] {
  validateNames(names);
  const issues: ScenarioIssue[] = [];
  const check = (
    value: string | undefined,
    kind: keyof StackNames,
    path: string,
    where: SourceLocation | undefined,
  ): void => {
    const what = KIND_WORDS[kind];
    const known = names[kind];
    if (value === undefined || known === undefined || known.includes(value)) return;
    const suggestion = didYouMean(value, known);
    const location = where ?? { file: scenario.file, line: 1, column: 1 };
    issues.push({
      ...location,
      path,
      message:
        (kind === "downstreams"
          ? `unknown downstream "${value}": no function of the stack calls it (a downstream is named by the first word of a function's URL or *_PARAMETER_NAME variable: PAYMENT_PROVIDER_URL → payment); `
          : `unknown ${what} "${value}": the stack has no such ${what}; `) +
        (suggestion ? `did you mean "${suggestion}"? ` : "") +
        (known.length === 0
          ? kind === "downstreams"
            ? "the stack's functions call no downstream"
            : `the stack defines no ${kind}`
          : `known ${kind}: ${known.join(", ")}`),
    });
  };
  const checkSource = (source: string | undefined, path: string, where: SourceLocation | undefined): void => {
    if (source === undefined) return;
    const separator = source.indexOf(":");
    const kind = SOURCE_KINDS[source.slice(0, separator) as keyof typeof SOURCE_KINDS];
    if (kind === undefined) return; // unknown kinds: the parser already rejected them
    check(source.slice(separator + 1), kind, path, where);
  };

  /** A record's target: a queue, topic, bus or bucket of the stack. */
  const checkTarget = (value: string, path: string, where: SourceLocation | undefined): void => {
    const known = [...names.queues, ...names.topics, ...(names.buses ?? []), ...(names.buckets ?? [])];
    if (known.includes(value)) return;
    const suggestion = didYouMean(value, known);
    const location = where ?? { file: scenario.file, line: 1, column: 1 };
    issues.push({
      ...location,
      path,
      message:
        `unknown target "${value}": no queue, topic, bus or bucket of the stack has that name; ` +
        (suggestion ? `did you mean "${suggestion}"? ` : "") +
        `targets: ${known.join(", ") || "none"}`,
    });
  };

  scenario.events.forEach((event, index) => {
    const path = `events[${index}]`;
    const at = (key: string) => event.fieldLocations[key] ?? event.location;
    switch (event.kind) {
      case "sqs":
        check(event.queue, "queues", `${path}.queue`, at("queue"));
        break;
      case "sns":
        check(event.topic, "topics", `${path}.topic`, at("topic"));
        break;
      case "invoke":
        check(event.function, "functions", `${path}.function`, at("function"));
        break;
      case "table":
        check(event.table, "tables", `${path}.table`, at("table"));
        break;
      case "kinesis":
        check(event.stream, "streams", `${path}.stream`, at("stream"));
        break;
      case "mapping":
        check(event.function, "functions", `${path}.function`, at("function"));
        checkSource(event.source, `${path}.source`, at("source"));
        break;
      case "concurrency":
        check(event.function, "functions", `${path}.function`, at("function"));
        break;
      case "sqs-batch":
        check(event.queue, "queues", `${path}.queue`, at("queue"));
        break;
      case "kinesis-batch":
        check(event.stream, "streams", `${path}.stream`, at("stream"));
        break;
      case "execution":
        check(event.stateMachine, "stateMachines", `${path}.stateMachine`, at("stateMachine"));
        break;
      case "api":
        break;
    }
  });
  for (const [name, spec] of Object.entries(scenario.downstreams)) {
    check(name, "downstreams", `downstreams.${name}`, spec.location);
  }
  for (const [name, spec] of Object.entries(scenario.functions)) {
    check(name, "functions", `functions.${name}`, spec.location);
  }
  scenario.expect.forEach((expectation, index) => {
    const path = `expect[${index}]`;
    const at = (key: string) => expectation.fieldLocations[key] ?? expectation.location;
    switch (expectation.check) {
      case "no-double-charge":
      case "dead-letters-alerted":
      case "requests":
        check(expectation.downstream, "downstreams", `${path}.downstream`, at("downstream"));
        break;
      case "queue-depth":
        check(expectation.queue, "queues", `${path}.queue`, at("queue"));
        break;
      case "time-to-dead-letter":
      case "outcome-counts":
        checkSource(expectation.source, `${path}.source`, at("source"));
        break;
      case "config":
        if (expectation.resource.kind === "queue")
          check(expectation.resource.name, "queues", `${path}.queue`, at("queue"));
        else if (expectation.resource.kind === "mapping") {
          check(expectation.resource.function, "functions", `${path}.mapping`, at("mapping"));
          checkSource(expectation.resource.source, `${path}.mapping`, at("mapping"));
        } else
          check(
            expectation.resource.name,
            "functions",
            `${path}.${expectation.resource.kind}`,
            at(expectation.resource.kind),
          );
        break;
      case "invocations":
        check(expectation.function, "functions", `${path}.function`, at("function"));
        break;
      case "record":
        checkTarget(expectation.target, `${path}.target`, at("target"));
        break;
      case "timing":
        for (const key of ["from", "to"] as const) {
          const point = expectation[key];
          if (point.kind === "arrived" || point.kind === "record")
            checkTarget(point.target, `${path}.${key}`, at(key));
        }
        break;
      case "execution":
        if (expectation.stateMachine !== undefined)
          check(expectation.stateMachine, "stateMachines", `${path}.stateMachine`, at("stateMachine"));
        break;
      case "every-event-final":
      case "event-outcome":
      case "rejected":
        break;
    }
  });
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * Checks every name the scenario uses (queues, topics, functions, tables, streams, downstreams and
 * outcome sources) against the stack it runs on, and throws a `ScenarioError` listing each unknown
 * name with its line and the names the stack knows.
 *
 * @example
 * ```ts
 * import { checkScenarioAgainst, parseScenario } from "@rebound/simulator";
 * const scenario = parseScenario(text, "scenarios/x.yaml");
 * checkScenarioAgainst(scenario, { queues: ["payments", "payments-dlq"], topics: ["order-events"],
 *   functions: ["payments-worker"], tables: ["orders"], streams: [], downstreams: ["payment", "slack"] });
 * ```
 */
export function checkScenarioAgainst(scenario: Scenario, names: StackNames): void {
  const issues = findUnknownNames(scenario, names);
  if (issues.length > 0) throw new ScenarioError(issues);
}

function validateNames(names: StackNames): void {
  if (typeof names !== "object" || names === null) {
    throw new TypeError(
      "names must be an object { queues, topics, functions, tables, streams, downstreams }",
    );
  }
  for (const key of Object.keys(names)) {
    if (!(NAME_KEYS as readonly string[]).includes(key)) {
      const suggestion = didYouMean(key, NAME_KEYS);
      throw new TypeError(
        `unknown key "${key}" in names${suggestion ? `; did you mean "${suggestion}"?` : ""}; allowed: ${NAME_KEYS.join(", ")}`,
      );
    }
  }
  for (const key of NAME_KEYS) {
    const value = names[key];
    if (OPTIONAL_NAME_KEYS.has(key) && value === undefined) continue;
    if (!Array.isArray(value) || value.some((name) => typeof name !== "string")) {
      throw new TypeError(`names.${key} must be an array of names (strings), got ${JSON.stringify(value)}`);
    }
  }
}
