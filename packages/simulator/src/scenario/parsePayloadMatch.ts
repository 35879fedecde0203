import { isMap } from "yaml";
import { type PayloadMatch, parseJsonPath } from "../lambda/payloadMatch.js";
import type { YamlNode, YamlReader } from "./YamlReader.js";
import { joinPath } from "./YamlReader.js";

const PATH_HINT =
  'write a JSON path from $: "$.orderId", "$.items[0].sku" or "$[\\"x-key\\"]" (no wildcards or filters)';

/**
 * Parses what a scripted function looks for in a record: text (`match: poison`, the record's JSON
 * text contains it) or a JSON path with `equals` (any JSON value) or `exists` (true or false):
 * `{ path: $.orderId, equals: o-2 }`, `{ path: $.retry, exists: true }`.
 *
 * @example
 * ```ts
 * // match: { path: $.job, equals: poison }
 * const match = parsePayloadMatch(r, node, "functions.worker.match"); // { path: "$.job", equals: "poison" }
 * ```
 */
export function parsePayloadMatch(r: YamlReader, node: YamlNode, path: string): PayloadMatch | undefined {
  if (!isMap(r.resolve(node))) {
    const text = r.string(node, path);
    return text === undefined ? undefined : { contains: text };
  }
  const fields = r.map(node, path, "a match", ["path", "equals", "exists"]);
  if (fields === undefined) return undefined;
  const pathNode = r.require(fields, "path", path, "a match", "$.orderId");
  let jsonPath = pathNode === undefined ? undefined : r.string(pathNode, joinPath(path, "path"));
  if (jsonPath !== undefined && parseJsonPath(jsonPath) === undefined) {
    r.report(
      pathNode,
      joinPath(path, "path"),
      `${joinPath(path, "path")} ${JSON.stringify(jsonPath)} is not a JSON path; ${PATH_HINT}`,
    );
    jsonPath = undefined;
  }
  const equalsNode = fields.entries.get("equals");
  const existsNode = fields.entries.get("exists");
  if ((equalsNode === undefined) === (existsNode === undefined)) {
    r.report(
      fields.node,
      path,
      "a match takes exactly one of equals (a JSON value) or exists (true or false), e.g. { path: $.orderId, equals: o-2 }",
    );
    return undefined;
  }
  // Every problem at once: the value is read even when the path is wrong.
  if (equalsNode !== undefined) {
    const equals = r.json(equalsNode.value);
    return jsonPath === undefined ? undefined : { path: jsonPath, equals };
  }
  const exists = r.boolean(existsNode!.value, joinPath(path, "exists"));
  return jsonPath === undefined || exists === undefined ? undefined : { path: jsonPath, exists };
}
