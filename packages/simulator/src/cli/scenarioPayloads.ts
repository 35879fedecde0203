import type { RunResult } from "../report/RunResult.js";
import { expandEvents } from "../scenario/expandEvents.js";
import type { Scenario } from "../scenario/Scenario.js";

/**
 * The run result with each injected event's scenario definition (its body, payload, headers) as its
 * `payload` where the run kept none, so the report's business key column (`--key orderId`) can read
 * the field the user wrote in the scenario. Events the stack produced keep what they have.
 *
 * @example
 * ```ts
 * renderHtmlReport(withScenarioPayloads(result, scenario), { businessKey: "orderId" });
 * ```
 */
export function withScenarioPayloads(result: RunResult, scenario: Scenario): RunResult {
  const byId = new Map(expandEvents(scenario).map((injection) => [injection.id, injection.event]));
  return {
    ...result,
    events: result.events.map((event) => {
      if (event.payload !== undefined) return event;
      const definition = byId.get(event.id);
      return definition === undefined ? event : { ...event, payload: definition };
    }),
  };
}
