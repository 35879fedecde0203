import { LineCounter, parseDocument } from "yaml";
import { parseDownstreams } from "./parseDownstreams.js";
import { type EventIds, parseEvents } from "./parseEvents.js";
import { parseExpectations } from "./parseExpectations.js";
import { parseFunctions } from "./parseFunctions.js";
import type { Scenario } from "./Scenario.js";
import { ScenarioError } from "./ScenarioError.js";
import { LIMITS, positiveSeconds } from "./scenarioRules.js";
import { type YamlNode, YamlReader } from "./YamlReader.js";

// The entry of the scenario format and its top-level fields. Each section has its own parser:
// events (parseEvents), downstreams (parseDownstreams), functions (parseFunctions), expect
// (parseExpectations); rules several sections share are in scenarioRules, counts in parseCount.

const TOP_KEYS = [
  "name",
  "description",
  "stack",
  "seed",
  "durationSeconds",
  "maxVirtualSeconds",
  "events",
  "downstreams",
  "functions",
  "expect",
] as const;

/**
 * Parses and validates a scenario file (YAML). Every problem is collected and thrown at once as a
 * `ScenarioError` whose lines read `file:line:column: problem; fix`, for example
 * `scenarios/x.yaml:14:5: unknown key "sed" in scenario; did you mean "seed"?`. Unknown keys, unknown
 * kinds and impossible values (negative times, error rates above 1, outage windows that end before
 * they start, a repeat without a spacing, duplicate event ids) are rejected. Names of queues, topics
 * and functions are checked later against the stack by `checkScenarioAgainst`.
 *
 * @param text the file's content
 * @param fileName the name to show in messages (as the user would open it, e.g. `scenarios/x.yaml`)
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { parseScenario } from "@rebound/simulator";
 * const file = "scenarios/payment-outage.yaml";
 * const scenario = parseScenario(readFileSync(file, "utf8"), file);
 * ```
 */
export function parseScenario(text: string, fileName: string): Scenario {
  if (typeof text !== "string")
    throw new TypeError(`parseScenario(text, fileName): text must be a string, got ${typeof text}`);
  if (typeof fileName !== "string" || fileName === "") {
    throw new TypeError(
      "parseScenario(text, fileName): fileName must be a non-empty string (used in every message)",
    );
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: true,
    strict: true,
  });
  const reader = new YamlReader(fileName, doc, lines);
  for (const error of doc.errors) {
    const position = error.linePos?.[0] ?? { line: 1, col: 1 };
    reader.issues.push({
      file: fileName,
      line: position.line,
      column: position.col,
      path: "",
      message: /Maximum call stack/.test(error.message)
        ? "YAML nested too deeply to read; a scenario needs a few levels, flatten this value"
        : `YAML syntax: ${error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "")}`,
    });
  }
  if (reader.issues.length > 0) throw new ScenarioError(reader.issues);
  const scenario = parseTopLevel(reader, doc.contents as YamlNode);
  if (reader.issues.length > 0 || scenario === undefined) {
    throw new ScenarioError(reader.issues.sort((a, b) => a.line - b.line || a.column - b.column));
  }
  return scenario;
}

/**
 * The top-level mapping: its own fields, each section through its parser, then the checks that
 * span sections (total injected events, events after the end of the run). `undefined` when a
 * required top-level field is invalid; every problem is on `r.issues`.
 */
function parseTopLevel(r: YamlReader, root: YamlNode): Scenario | undefined {
  if (root === null || root === undefined) {
    r.report(
      root,
      "",
      "the scenario file is empty; start with `name: my-scenario` (see scenarios/README.md)",
    );
    return undefined;
  }
  const fields = r.map(root, "scenario", "scenario", TOP_KEYS);
  if (fields === undefined) return undefined;
  const get = (key: string): YamlNode | undefined => fields.entries.get(key)?.value;

  const nameNode = r.require(fields, "name", "scenario", "the scenario", "payment-outage");
  const name = nameNode === undefined ? undefined : r.string(nameNode, "name", { maxLength: 100 });
  // Folded YAML blocks (`>`) end with a newline; the summary and report want the text alone.
  const description =
    get("description") === undefined ? "" : r.string(get("description"), "description")?.trim();
  const stack =
    get("stack") === undefined
      ? undefined
      : r.string(get("stack"), "stack", {
          pattern: /\.tf\.json$/,
          hint: "give the path of a Terraform JSON file ending in .tf.json",
        });
  const seed =
    get("seed") === undefined
      ? 1
      : r.number(get("seed"), "seed", { integer: true, min: 0, max: 2 ** 32 - 1 });
  const durationMs =
    get("durationSeconds") === undefined
      ? undefined
      : positiveSeconds(r, get("durationSeconds"), "durationSeconds");
  const capMs =
    get("maxVirtualSeconds") === undefined
      ? LIMITS.defaultMaxVirtualMs
      : positiveSeconds(r, get("maxVirtualSeconds"), "maxVirtualSeconds");
  if (fields.entries.has("durationSeconds") && fields.entries.has("maxVirtualSeconds")) {
    r.report(
      fields.entries.get("maxVirtualSeconds")?.key,
      "maxVirtualSeconds",
      "give either durationSeconds (run exactly that long) or maxVirtualSeconds (run until idle, at most that long), not both",
    );
  }

  // Expectations of kind event-outcome refer to event ids, so the events are read first.
  const eventIds: EventIds = new Map();
  const events = get("events") === undefined ? [] : parseEvents(r, get("events"), eventIds);
  const downstreams = get("downstreams") === undefined ? {} : parseDownstreams(r, get("downstreams"));
  const functions = get("functions") === undefined ? {} : parseFunctions(r, get("functions"));
  const expect = get("expect") === undefined ? [] : parseExpectations(r, get("expect"), eventIds);

  const injected = events.reduce((total, event) => total + event.repeat, 0);
  if (injected > LIMITS.maxInjectedEvents) {
    r.report(
      get("events"),
      "events",
      `the events inject ${injected} events in total; the limit is ${LIMITS.maxInjectedEvents}: lower their repeat`,
    );
  }
  const endMs = durationMs ?? capMs;
  if (endMs !== undefined) {
    for (const event of events) {
      const lastMs = event.atMs + (event.repeat - 1) * event.everyMs;
      if (lastMs > endMs) {
        const where = event.location;
        r.issues.push({
          file: where.file,
          line: where.line,
          column: where.column,
          path: `events(${event.id})`,
          message: `event "${event.id}" is injected until ${lastMs / 1000} s, after the run ends at ${endMs / 1000} s; move it earlier or raise ${durationMs === undefined ? "maxVirtualSeconds" : "durationSeconds"}`,
        });
      }
    }
  }
  if (name === undefined || description === undefined || seed === undefined || capMs === undefined)
    return undefined;
  return {
    file: r.file,
    name,
    description,
    stack,
    seed,
    durationMs,
    maxVirtualMs: durationMs ?? capMs,
    events,
    downstreams,
    functions,
    expect,
  };
}
