import type { SequenceStep } from "./Scenario.js";
import { parseLatency } from "./scenarioRules.js";
import type { YamlNode, YamlReader } from "./YamlReader.js";

const OUTCOMES = ["succeed", "fail", "throttle", "respond"] as const;
const STEP_KEYS = ["outcome", "errorType", "errorMessage", "result", "durationMs"];

/**
 * `steps:` of a `sequence` scripted function: the n-th delivery of the same event (or the n-th
 * invocation, with `per: function`) gets the n-th step, the last repeating. A step is
 * `{ outcome: succeed, result }`, `{ outcome: fail, errorType, errorMessage }`, `{ outcome: throttle }`
 * or `{ outcome: respond, result }` (any JSON returned as is: a partial batch response, an invalid
 * one, `[]`, `null`), each with an optional `durationMs` (a duration in any unit: 250ms, 2s, 1m).
 *
 * @example
 * ```ts
 * // steps: [{ outcome: fail, errorType: Flaky }, { outcome: succeed, result: { ok: true } }]
 * const steps = parseSequenceSteps(r, node, "functions.pay.steps");
 * ```
 */
export function parseSequenceSteps(r: YamlReader, node: YamlNode, path: string): SequenceStep[] | undefined {
  const items = r.list(node, path, "steps");
  if (items === undefined) return undefined;
  if (items.length === 0) {
    r.report(node, path, "steps needs at least one step, e.g. [{ outcome: fail }, { outcome: succeed }]");
    return undefined;
  }
  const steps: SequenceStep[] = [];
  let ok = true;
  items.forEach((item, index) => {
    const at = `${path}[${index}]`;
    const fields = r.map(item, at, "a step", STEP_KEYS);
    if (fields === undefined) {
      ok = false;
      return;
    }
    const outcomeNode = r.require(fields, "outcome", at, "every step", "fail");
    const outcome = outcomeNode === undefined ? undefined : r.choice(outcomeNode, `${at}.outcome`, OUTCOMES);
    const get = (key: string) => fields.entries.get(key)?.value;
    const errorType =
      get("errorType") === undefined
        ? "Error"
        : r.string(get("errorType"), `${at}.errorType`, {
            pattern: /^[A-Za-z_$][\w$.]*$/,
            hint: "an error name",
          });
    const errorMessage =
      get("errorMessage") === undefined
        ? `step ${index + 1} fails`
        : r.string(get("errorMessage"), `${at}.errorMessage`);
    const duration =
      get("durationMs") === undefined
        ? { minMs: 0, maxMs: 0 }
        : parseLatency(r, get("durationMs"), `${at}.durationMs`);
    if (
      outcome === undefined ||
      errorType === undefined ||
      errorMessage === undefined ||
      duration === undefined
    ) {
      ok = false;
      return;
    }
    steps.push({
      outcome,
      errorType,
      errorMessage,
      result: get("result") === undefined ? null : r.json(get("result")),
      duration,
    });
  });
  return ok ? steps : undefined;
}
