import type { Scenario, ScenarioEvent } from "./Scenario.js";

/** Keys of an event that are not payload: never templated. */
const FIXED_KEYS = new Set(["kind", "id", "atMs", "repeat", "everyMs", "location", "fieldLocations"]);

function hasPlaceholders(event: ScenarioEvent): boolean {
  return Object.entries(event).some(
    ([key, value]) => !FIXED_KEYS.has(key) && JSON.stringify(value ?? null).includes("{{"),
  );
}

/** The event with `{{n}}` and `{{id}}` replaced in every payload string (keys of objects included). */
function fill(event: ScenarioEvent, vars: Readonly<Record<"n" | "id", string>>): ScenarioEvent {
  const replace = (value: unknown): unknown => {
    if (typeof value === "string") {
      return value.replace(/\{\{\s*(n|id)\s*\}\}/g, (_, name: "n" | "id") => vars[name]);
    }
    if (Array.isArray(value)) return value.map(replace);
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [replace(key) as string, replace(item)]),
      );
    }
    return value;
  };
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) copy[key] = FIXED_KEYS.has(key) ? value : replace(value);
  return copy as unknown as ScenarioEvent;
}

/** One concrete injection of a scenario event: a copy of a repeated event gets its own id. */
export interface Injection {
  /** `id` of the event, or `id#n` (n from 1) for the n-th copy of a repeated event. */
  readonly id: string;
  /** Virtual time of this copy. */
  readonly atMs: number;
  /** 0-based copy number. */
  readonly copy: number;
  readonly event: ScenarioEvent;
}

/**
 * The scenario's events as concrete injections, `repeat` expanded and the placeholders `{{n}}` (copy
 * number from 1) and `{{id}}` (injection id) filled in, ordered by virtual time, then by the order
 * they are written in the file, then by copy: the order the run must inject them in for the same
 * seed to give the same run.
 *
 * @example
 * ```ts
 * import { expandEvents, parseScenario } from "@rebound/simulator";
 * for (const injection of expandEvents(parseScenario(text, file))) {
 *   sim.at(injection.atMs, () => inject(injection));
 * }
 * ```
 */
export function expandEvents(scenario: Pick<Scenario, "events">): Injection[] {
  const injections: { injection: Injection; order: number }[] = [];
  scenario.events.forEach((event, order) => {
    const templated = hasPlaceholders(event);
    for (let copy = 0; copy < event.repeat; copy += 1) {
      const id = event.repeat === 1 ? event.id : `${event.id}#${copy + 1}`;
      injections.push({
        order,
        injection: {
          id,
          atMs: event.atMs + copy * event.everyMs,
          copy,
          event: templated ? fill(event, { n: String(copy + 1), id }) : event,
        },
      });
    }
  });
  injections.sort(
    (a, b) => a.injection.atMs - b.injection.atMs || a.order - b.order || a.injection.copy - b.injection.copy,
  );
  return injections.map((entry) => entry.injection);
}

/**
 * Whether a run's event id is the scenario event `eventId` or one of its parts: its copies (`<id>#n`,
 * as `expandEvents` names them) and the entries of a batch (`<id>[k]`, `<id>#n[k]`). An id written
 * with its part (`jobs[2]`, `order#3`) names that part alone.
 *
 * @example
 * ```ts
 * isCopyOf("order#3", "order"); // true
 * isCopyOf("jobs[2]", "jobs");  // true
 * ```
 */
export function isCopyOf(id: string, eventId: string): boolean {
  return id === eventId || id.startsWith(`${eventId}#`) || id.startsWith(`${eventId}[`);
}

/**
 * The scenario event a run's event id belongs to: the id without its copy (`#n`) or batch entry
 * (`[k]`) part.
 *
 * @example
 * ```ts
 * scenarioEventId("jobs#2[3]"); // "jobs"
 * ```
 */
export function scenarioEventId(id: string): string {
  return id.replace(/(#\d+)?(\[\d+\])?$/, "");
}
