import type { RunEvent } from "../report/RunResult.js";
import { containsShape, shapeText } from "./containsShape.js";
import { isCopyOf } from "./expandEvents.js";
import { describeCount, within } from "./parseCount.js";
import type { CountSpec } from "./Scenario.js";

/** What a `record` expectation asks. */
export interface RecordExpectation {
  readonly target: string;
  readonly event: string | undefined;
  readonly matches: unknown;
  readonly count: CountSpec | undefined;
}

/** `${event:<id>.key}` in a shape: the key (message id, request id, …) of the run's event `<id>`. */
const EVENT_REFERENCE = /^\$\{event:([^}]+)\.(key|id)\}$/;
/** `${function:<name>.arn}`, `${queue:<name>.url}`, …: an attribute of one of the stack's resources. */
const STACK_REFERENCE = /\$\{(function|queue|topic):([^}]+)\.(arn|url|name)\}/g;

/**
 * An attribute of a stack resource named by its short name (`function`, `notify`, `arn`), as the
 * run knows it; `undefined` when the stack has no such resource or attribute.
 */
export type StackAttributeLookup = (
  kind: "function" | "queue" | "topic",
  name: string,
  attribute: "arn" | "url" | "name",
) => string | undefined;

/**
 * Checks a `record` expectation: the records that reached the target (what AWS wrote to the DLQ,
 * destination, bus or bucket), optionally only those about one event, matched against the shape
 * (`containsShape`, with `${event:<id>.key}` replaced by that event's message or request id). On
 * failure the detail shows the expected shape beside the closest record and where they differ.
 *
 * @example
 * ```ts
 * evaluateRecord({ target: "receipts-failures", event: undefined, matches: { requestContext: { condition: "RetriesExhausted" } }, count: undefined }, result.events);
 * ```
 */
export function evaluateRecord(
  expectation: RecordExpectation,
  events: readonly RunEvent[],
  stackAttribute: StackAttributeLookup = () => undefined,
): { ok: boolean; detail: string } {
  const unresolved = stackReferences(expectation.matches).filter(
    (reference) => resolveStackReference(reference, stackAttribute) === undefined,
  );
  if (unresolved.length > 0)
    return {
      ok: false,
      detail: `${unresolved.join(", ")} names nothing in the stack; write \${function:<name>.arn}, \${queue:<name>.arn|url} or \${topic:<name>.arn} with a name of the stack`,
    };
  const arrived = events.filter(
    (event) =>
      event.record !== undefined &&
      recordTarget(event) === expectation.target &&
      (expectation.event === undefined || isCopyOf(event.id, expectation.event)),
  );
  const shape =
    expectation.matches === undefined
      ? undefined
      : resolveReferences(expectation.matches, events, stackAttribute);
  const differences = arrived.map((event) =>
    shape === undefined ? undefined : containsShape(event.record, shape),
  );
  const matching = differences.filter((difference) => difference === undefined).length;
  const count = expectation.count ?? { atLeast: 1, atMost: Number.MAX_SAFE_INTEGER };
  const ok = within(matching, count);
  const what = `${matching} of ${arrived.length} record(s) at ${expectation.target} match, expected ${describeCount(count)}`;
  if (ok || arrived.length === 0 || shape === undefined) return { ok, detail: what };
  const closest = arrived[differences.findIndex((difference) => difference !== undefined)] ?? arrived[0]!;
  const difference = differences[arrived.indexOf(closest)];
  return {
    ok,
    detail: `${what}\n    expected ${shapeText(shape)}\n    actual   ${shapeText(closest.record)}${difference ? `\n    first difference ${difference}` : ""}`,
  };
}

/**
 * Where an event's record went, as a scenario names it (a bus's ARN ends in `event-bus/<name>`; the
 * scenario names the bus).
 *
 * @example
 * ```ts
 * recordTarget({ where: "event-bus/orders" }); // "orders"
 * ```
 */
export function recordTarget(event: Pick<RunEvent, "where">): string | undefined {
  return event.where?.replace(/^event-bus\//, "");
}

function resolveReferences(
  shape: unknown,
  events: readonly RunEvent[],
  stackAttribute: StackAttributeLookup,
): unknown {
  if (typeof shape === "string") {
    // Stack references may stand inside a text: "${function:notify.arn}:$LATEST".
    const text = shape.replace(
      STACK_REFERENCE,
      (reference) => resolveStackReference(reference, stackAttribute) ?? reference,
    );
    const match = EVENT_REFERENCE.exec(text);
    if (match === null) return text;
    const event = events.find((candidate) => candidate.id === match[1]);
    return match[2] === "id" ? event?.id : event?.key;
  }
  if (Array.isArray(shape)) return shape.map((item) => resolveReferences(item, events, stackAttribute));
  if (shape !== null && typeof shape === "object")
    return Object.fromEntries(
      Object.entries(shape).map(([key, value]) => [key, resolveReferences(value, events, stackAttribute)]),
    );
  return shape;
}

function resolveStackReference(reference: string, stackAttribute: StackAttributeLookup): string | undefined {
  const match = new RegExp(`^${STACK_REFERENCE.source}$`).exec(reference);
  if (match === null) return undefined;
  return stackAttribute(
    match[1] as "function" | "queue" | "topic",
    match[2]!,
    match[3] as "arn" | "url" | "name",
  );
}

/** Every stack reference a shape holds. */
function stackReferences(shape: unknown): string[] {
  if (typeof shape === "string") return [...shape.matchAll(STACK_REFERENCE)].map((match) => match[0]);
  if (Array.isArray(shape)) return shape.flatMap(stackReferences);
  if (shape !== null && typeof shape === "object") return Object.values(shape).flatMap(stackReferences);
  return [];
}
