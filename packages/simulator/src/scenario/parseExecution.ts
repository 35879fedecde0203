import type { ExecutionEvent, ExecutionExpectation, SourceLocation } from "./Scenario.js";
import { reportUnknownEvent } from "./scenarioRules.js";
import type { MapFields, YamlReader } from "./YamlReader.js";
import { joinPath } from "./YamlReader.js";

/** What `parseEvent` has already read for any event: id, time, copies, locations. */
type EventBaseFields = Omit<ExecutionEvent, "kind" | "stateMachine" | "input" | "name">;

/** Step Functions execution names: 1 to 80 characters without spaces, brackets, wildcards or `:/`. */
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/]{1,80}$/;
const STATUSES = ["SUCCEEDED", "FAILED", "TIMED_OUT", "RUNNING"] as const;

/**
 * An `execution` event: `{ kind: execution, stateMachine, input, name }` starts an execution
 * (StartExecution) at the event's time; `name` defaults to the injection id.
 *
 * @example
 * ```ts
 * // - { id: order-1, kind: execution, stateMachine: fulfillment, input: { orderId: o-1 } }
 * const event = parseExecutionEvent(r, fields, "events[0]", base);
 * ```
 */
export function parseExecutionEvent(
  r: YamlReader,
  fields: MapFields,
  path: string,
  base: EventBaseFields,
): ExecutionEvent | undefined {
  const machineNode = r.require(fields, "stateMachine", path, "an execution event", "fulfillment");
  const stateMachine =
    machineNode === undefined
      ? undefined
      : r.string(machineNode, joinPath(path, "stateMachine"), { maxLength: 80 });
  const inputNode = fields.entries.get("input")?.value;
  const input = inputNode === undefined ? {} : r.json(inputNode);
  const nameNode = fields.entries.get("name")?.value;
  const name =
    nameNode === undefined
      ? undefined
      : r.string(nameNode, joinPath(path, "name"), {
          pattern: EXECUTION_NAME,
          hint: "an execution name is 1 to 80 characters without spaces, brackets, wildcards, : or /",
        });
  if (stateMachine === undefined || (nameNode !== undefined && name === undefined)) return undefined;
  return { ...base, kind: "execution", stateMachine, input, name };
}

/**
 * An `execution` expectation: `event` (the id of an execution event) or `stateMachine` (all its
 * executions), then any of `status`, `error`, `cause` (text it contains), `output` (a JSON shape it
 * contains), `history` (the event types exactly) and `historyIncludes` (types in this order, others
 * between).
 *
 * @example
 * ```ts
 * // - { check: execution, event: order-1, status: FAILED, error: OutOfStock, historyIncludes: [TaskFailed, ExecutionFailed] }
 * const checked = parseExecutionExpectation(r, fields, "expect[2]", eventIds);
 * ```
 */
export function parseExecutionExpectation(
  r: YamlReader,
  fields: MapFields,
  path: string,
  eventIds: ReadonlyMap<string, SourceLocation>,
): ExecutionExpectation | undefined {
  const get = (key: string) => fields.entries.get(key)?.value;
  const text = (key: string) =>
    get(key) === undefined ? undefined : r.string(get(key), joinPath(path, key));
  const event = text("event");
  const stateMachine = text("stateMachine");
  if ((get("event") === undefined) === (get("stateMachine") === undefined)) {
    r.report(
      fields.node,
      path,
      "expectation execution needs exactly one of event (the id of an execution event) or stateMachine (every execution of it)",
    );
    return undefined;
  }
  const advice = "use the id of an execution event";
  if (
    event !== undefined &&
    reportUnknownEvent(r, get("event"), joinPath(path, "event"), event, eventIds, advice)
  )
    return undefined;
  const status =
    get("status") === undefined ? undefined : r.choice(get("status"), joinPath(path, "status"), STATUSES);
  const typeList = (key: string): string[] | undefined => {
    if (get(key) === undefined) return undefined;
    const items = r.list(get(key), joinPath(path, key), key);
    return items?.map(
      (item, index) =>
        r.string(item, `${joinPath(path, key)}[${index}]`, { pattern: /^[A-Z][A-Za-z]+$/ }) ?? "",
    );
  };
  const history = typeList("history");
  const historyIncludes = typeList("historyIncludes");
  const checks = ["status", "error", "cause", "output", "history", "historyIncludes"].filter(
    (key) => get(key) !== undefined,
  );
  if (checks.length === 0) {
    r.report(
      fields.node,
      path,
      "expectation execution checks nothing; add status, error, cause, output, history or historyIncludes",
    );
    return undefined;
  }
  return {
    event,
    stateMachine,
    status,
    error: text("error"),
    cause: text("cause"),
    output: get("output") === undefined ? undefined : r.json(get("output")),
    history,
    historyIncludes,
  };
}
