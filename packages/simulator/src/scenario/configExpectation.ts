import { containsShape } from "./containsShape.js";
import type { ConfigExpectation } from "./Scenario.js";
import type { MapFields, YamlReader } from "./YamlReader.js";
import { joinPath } from "./YamlReader.js";

/** The effective configuration of a resource, with AWS's field names, as the run read it. */
export type ConfigLookup = (resource: ConfigExpectation["resource"]) => Record<string, unknown>;

const KINDS = ["function", "queue", "mapping", "eventInvokeConfig"] as const;

/**
 * Parses a `config` expectation: one of `function` (GetFunctionConfiguration), `eventInvokeConfig`
 * (a function's GetFunctionEventInvokeConfig), `queue` (GetQueueAttributes) or `mapping`
 * (`{ function, source }`: GetEventSourceMapping), and `matches`, a shape of AWS's fields.
 *
 * @example
 * ```ts
 * // - { check: config, queue: payments, matches: { VisibilityTimeout: "61" } }
 * const config = parseConfigFields(r, fields, "expect[5]");
 * ```
 */
export function parseConfigFields(
  r: YamlReader,
  fields: MapFields,
  path: string,
): Omit<ConfigExpectation, never> | undefined {
  const given = KINDS.filter((kind) => fields.entries.has(kind));
  if (given.length !== 1) {
    r.report(
      fields.node,
      path,
      `expectation config names exactly one of ${KINDS.join(", ")}; it names ${given.length === 0 ? "none" : given.join(" and ")}`,
    );
    return undefined;
  }
  const kind = given[0]!;
  const node = fields.entries.get(kind)!.value;
  const matchesNode = r.require(fields, "matches", path, "expectation config", "{ Timeout: 10 }");
  const matches = matchesNode === undefined ? undefined : r.json(matchesNode);
  if (kind === "mapping") {
    const mapping = r.map(node, joinPath(path, kind), "a mapping", ["function", "source"]);
    const fn = mapping?.entries.get("function")?.value;
    const source = mapping?.entries.get("source")?.value;
    const fnName = fn === undefined ? undefined : r.string(fn, `${joinPath(path, kind)}.function`);
    const sourceName =
      source === undefined
        ? undefined
        : r.string(source, `${joinPath(path, kind)}.source`, {
            pattern: /^(sqs|dynamodb-stream|kinesis):\S+$/,
            hint: "sqs:<queue>, dynamodb-stream:<table> or kinesis:<stream>",
          });
    if (fnName === undefined || sourceName === undefined || matchesNode === undefined) {
      if (mapping !== undefined && (fn === undefined || source === undefined))
        r.report(
          node,
          joinPath(path, kind),
          "mapping needs function and source, e.g. { function: payments-worker, source: sqs:payments }",
        );
      return undefined;
    }
    return { resource: { kind, function: fnName, source: sourceName }, matches };
  }
  const name = r.string(node, joinPath(path, kind));
  if (name === undefined || matchesNode === undefined) return undefined;
  return { resource: { kind, name }, matches };
}

/**
 * Checks a `config` expectation: the resource's effective configuration contains the shape.
 *
 * @example
 * ```ts
 * evaluateConfig(expectation, (resource) => functionConfiguration(topology, resource.name));
 * ```
 */
export function evaluateConfig(
  expectation: ConfigExpectation,
  lookup: ConfigLookup | undefined,
): { ok: boolean; detail: string } {
  if (lookup === undefined) return { ok: false, detail: "this run kept no configuration to check" };
  let actual: Record<string, unknown>;
  try {
    actual = lookup(expectation.resource);
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
  const difference = containsShape(actual, expectation.matches);
  return difference === undefined
    ? { ok: true, detail: `matches ${JSON.stringify(expectation.matches)}` }
    : {
        ok: false,
        detail: `${difference}\n    expected ${JSON.stringify(expectation.matches)}\n    actual   ${JSON.stringify(actual)}`,
      };
}
