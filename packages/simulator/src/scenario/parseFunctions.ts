import type { Node } from "yaml";
import { parsePayloadMatch } from "./parsePayloadMatch.js";
import { parseSequenceSteps } from "./parseSequenceSteps.js";
import { FunctionBehaviour, type ScriptedFunctionSpec, type SequenceCase } from "./Scenario.js";
import { parseLatency } from "./scenarioRules.js";
import type { YamlNode, YamlReader } from "./YamlReader.js";

// The `functions:` section: Lambda functions whose handler the scenario replaces with a scripted
// behaviour (fail n times, fail a fraction, throttle, ...).

/** Keys each behaviour takes besides `behaviour`; a key of another behaviour gets its own message. */
const FUNCTION_KEYS: Record<FunctionBehaviour, readonly string[]> = {
  succeed: ["result", "durationMs"],
  fail: ["errorType", "errorMessage", "durationMs"],
  "fail-times": ["times", "per", "errorType", "errorMessage", "result", "durationMs"],
  "fail-rate": ["rate", "errorType", "errorMessage", "result", "durationMs"],
  "fail-matching": ["match", "errorType", "errorMessage", "result", "durationMs"],
  "batch-item-failures": ["match", "times", "durationMs"],
  throttle: ["times", "per", "result", "durationMs"],
  sequence: ["steps", "cases", "per"],
};
const BEHAVIOURS = Object.values(FunctionBehaviour);
/** Lambda's own rule for function names. */
const LAMBDA_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Parses the `functions:` mapping (Lambda function name -> scripted behaviour). Invalid entries are
 * reported on `r` and left out; whether the functions exist is checked later against the stack.
 *
 * @param r the reader that collects the problems
 * @param node the value of `functions:`
 * @example
 * ```ts
 * const functions = parseFunctions(reader, functionsNode);
 * functions.receipts?.behaviour; // "fail-times"
 * ```
 */
export function parseFunctions(r: YamlReader, node: YamlNode): Record<string, ScriptedFunctionSpec> {
  const all = r.map(node, "functions", "functions", null);
  const result: Record<string, ScriptedFunctionSpec> = {};
  for (const [name, entry] of all?.entries ?? []) {
    const spec = parseScriptedFunction(r, name, entry);
    if (spec !== undefined) result[name] = spec;
  }
  return result;
}

/** One scripted function; `undefined` (after reporting) when it is invalid. */
function parseScriptedFunction(
  r: YamlReader,
  name: string,
  entry: { readonly key: Node; readonly value: YamlNode },
): ScriptedFunctionSpec | undefined {
  const path = `functions.${name}`;
  if (!LAMBDA_NAME.test(name)) {
    r.report(
      entry.key,
      path,
      `function name "${name}" is invalid; Lambda names are 1 to 64 letters, digits, '-' or '_'`,
    );
    return undefined;
  }
  const loose = r.map(entry.value, path, `function "${name}"`, null);
  if (loose === undefined) return undefined;
  const behaviourNode = r.require(loose, "behaviour", path, `scripted function "${name}"`, "fail-times");
  const behaviour =
    behaviourNode === undefined ? undefined : r.choice(behaviourNode, `${path}.behaviour`, BEHAVIOURS);
  if (behaviour === undefined) return undefined;
  const allowed = FUNCTION_KEYS[behaviour];
  for (const [key, field] of loose.entries) {
    if (key === "behaviour" || allowed.includes(key)) continue;
    const owner = BEHAVIOURS.find((other) => FUNCTION_KEYS[other].includes(key));
    r.report(
      field.key,
      `${path}.${key}`,
      owner === undefined
        ? `unknown key "${key}" in scripted function "${name}"; allowed with behaviour ${behaviour}: ${allowed.join(", ")}`
        : `"${key}" has no meaning with behaviour ${behaviour}; remove it, or use a behaviour that takes it (e.g. ${owner})`,
    );
  }
  const get = (key: string): YamlNode | undefined => loose.entries.get(key)?.value;
  const needs = (key: string, example: string): YamlNode | undefined =>
    r.require(loose, key, path, `behaviour ${behaviour}`, example);
  const timesNode =
    behaviour === "fail-times"
      ? needs("times", "2")
      : behaviour === "throttle" || behaviour === "batch-item-failures"
        ? get("times")
        : undefined;
  const times =
    timesNode === undefined
      ? undefined
      : r.number(timesNode, `${path}.times`, { integer: true, min: 1, max: 1_000_000 });
  const rateNode = behaviour === "fail-rate" ? needs("rate", "0.2") : undefined;
  const rate =
    rateNode === undefined
      ? undefined
      : r.number(rateNode, `${path}.rate`, {
          min: 0,
          max: 1,
          hint: "a fraction of invocations: 0.2 fails one in five",
        });
  const matchNode =
    behaviour === "fail-matching" || behaviour === "batch-item-failures"
      ? needs("match", "poison")
      : undefined;
  const match = matchNode === undefined ? undefined : parsePayloadMatch(r, matchNode, `${path}.match`);
  const errorType =
    get("errorType") === undefined
      ? "Error"
      : r.string(get("errorType"), `${path}.errorType`, {
          pattern: /^[A-Za-z_$][\w$.]*$/,
          hint: "an error name such as PaymentProviderUnavailable",
        });
  const errorMessage =
    get("errorMessage") === undefined
      ? `scripted ${behaviour} of ${name}`
      : r.string(get("errorMessage"), `${path}.errorMessage`);
  const duration =
    get("durationMs") === undefined
      ? { minMs: 0, maxMs: 0 }
      : parseLatency(r, get("durationMs"), `${path}.durationMs`);
  const perNode = get("per");
  const per =
    perNode === undefined ? "event" : r.choice(perNode, `${path}.per`, ["event", "function"] as const);
  if (perNode !== undefined && behaviour === "throttle" && timesNode === undefined) {
    r.report(
      loose.entries.get("per")?.key,
      `${path}.per`,
      "per counts `times`; add `times: <n>` or remove per",
    );
    return undefined;
  }
  const value = get("result") === undefined ? null : r.json(get("result"));
  const stepsNode =
    behaviour === "sequence" ? needs("steps", "[{ outcome: fail }, { outcome: succeed }]") : undefined;
  const steps = stepsNode === undefined ? undefined : parseSequenceSteps(r, stepsNode, `${path}.steps`);
  if (behaviour === "sequence" && steps === undefined) return undefined;
  const cases = get("cases") === undefined ? undefined : parseCases(r, get("cases"), `${path}.cases`);
  if (get("cases") !== undefined && cases === undefined) return undefined;
  // A required setting that is missing or invalid was reported above; leave the function out.
  const required = {
    "fail-times": times,
    "fail-rate": rate,
    "fail-matching": match,
    "batch-item-failures": match,
  } as Partial<Record<FunctionBehaviour, unknown>>;
  if (behaviour in required && required[behaviour] === undefined) return undefined;
  if (
    per === undefined ||
    (timesNode !== undefined && times === undefined) ||
    errorType === undefined ||
    errorMessage === undefined ||
    duration === undefined
  )
    return undefined;
  return {
    behaviour,
    errorType,
    errorMessage,
    times,
    per,
    rate,
    match,
    result: value,
    duration,
    ...(steps === undefined ? {} : { steps }),
    ...(cases === undefined ? {} : { cases }),
    location: r.locate(entry.key),
  };
}

/**
 * `cases:` of a `sequence` function: `[{ when: <match>, steps: [...] }]`, tried in order; the first
 * whose `when` matches an invocation's event gives its steps.
 */
function parseCases(r: YamlReader, node: YamlNode, path: string): SequenceCase[] | undefined {
  const items = r.list(node, path, "cases");
  if (items === undefined) return undefined;
  const cases: SequenceCase[] = [];
  let ok = true;
  items.forEach((item, index) => {
    const at = `${path}[${index}]`;
    const fields = r.map(item, at, "a case", ["when", "steps"]);
    const whenNode =
      fields && r.require(fields, "when", at, "every case", "{ path: $.orderId, equals: o-2 }");
    const stepsNode = fields && r.require(fields, "steps", at, "every case", "[{ outcome: fail }]");
    const when = whenNode === undefined ? undefined : parsePayloadMatch(r, whenNode, `${at}.when`);
    const steps = stepsNode === undefined ? undefined : parseSequenceSteps(r, stepsNode, `${at}.steps`);
    if (when === undefined || steps === undefined) ok = false;
    else cases.push({ when, steps });
  });
  return ok ? cases : undefined;
}
