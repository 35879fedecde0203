import { isMap } from "yaml";
import type { CountSpec } from "./Scenario.js";
import type { MapFields, YamlNode, YamlReader } from "./YamlReader.js";

// Counts in expectations (`3`, `{equals: 3}`, `{atLeast: 1, atMost: 5}`): reading them, and putting
// them in words for expectation names and failure details.

const COUNT_RULE = { integer: true, min: 0 } as const;

/**
 * A count: `3`, or a mapping `{equals}`, `{atLeast, atMost}`; `undefined` (after reporting) when
 * it is invalid. A missing bound is open: `{atLeast: 1}` is 1 to `Number.MAX_SAFE_INTEGER`.
 *
 * @example
 * ```ts
 * const count = parseCount(reader, node, "expect[0].count"); // { atLeast: 3, atMost: 3 }
 * ```
 */
export function parseCount(r: YamlReader, node: YamlNode, path: string): CountSpec | undefined {
  const resolved = r.resolve(node);
  if (isMap(resolved)) {
    const fields = r.map(node, path, "a count", ["equals", "atLeast", "atMost"]);
    if (fields === undefined) return undefined;
    return parseBounds(r, fields, path, "a count");
  }
  const exact = r.number(node, path, {
    ...COUNT_RULE,
    hint: "a count such as 3, or {atLeast: 1, atMost: 5}",
  });
  return exact === undefined ? undefined : { atLeast: exact, atMost: exact };
}

/**
 * The `equals` / `atLeast` / `atMost` keys of a mapping read as one count: inside a count mapping, or
 * on the expectation itself (queue-depth). `what` names the owner in messages ("a count").
 *
 * @example
 * ```ts
 * const count = parseBounds(reader, fields, "expect[0]", "a queue-depth expectation");
 * ```
 */
export function parseBounds(
  r: YamlReader,
  fields: MapFields,
  path: string,
  what: string,
): CountSpec | undefined {
  const read = (key: string) => {
    const node = fields.entries.get(key)?.value;
    return node === undefined ? undefined : r.number(node, `${path}.${key}`, COUNT_RULE);
  };
  const has = (key: string) => fields.entries.has(key);
  if (!has("equals") && !has("atLeast") && !has("atMost")) {
    r.report(fields.node, path, `${what} needs equals, atMost or atLeast; add e.g. \`equals: 0\``);
    return undefined;
  }
  if (has("equals") && (has("atLeast") || has("atMost"))) {
    r.report(
      fields.entries.get("equals")?.key,
      `${path}.equals`,
      "equals cannot be combined with atLeast/atMost; keep one form",
    );
    return undefined;
  }
  return finishBounds(r, fields.node, path, read("equals"), read("atLeast"), read("atMost"), has);
}

/** Checks that every bound given was valid and that they do not cross, then builds the count. */
function finishBounds(
  r: YamlReader,
  node: YamlNode,
  path: string,
  equals: number | undefined,
  atLeast: number | undefined,
  atMost: number | undefined,
  has: (key: string) => boolean,
): CountSpec | undefined {
  if (
    (has("equals") && equals === undefined) ||
    (has("atLeast") && atLeast === undefined) ||
    (has("atMost") && atMost === undefined)
  )
    return undefined;
  if (equals !== undefined) return { atLeast: equals, atMost: equals };
  const low = atLeast ?? 0;
  const high = atMost ?? Number.MAX_SAFE_INTEGER;
  if (high < low) {
    r.report(
      node,
      path,
      `${path} asks for at least ${low} and at most ${high}, which is impossible; swap them`,
    );
    return undefined;
  }
  return { atLeast: low, atMost: high };
}

/**
 * A count in words: "= 3", "≤ 2", "≥ 1", "between 1 and 5".
 *
 * @example
 * ```ts
 * import { describeCount } from "@rebound/simulator";
 * describeCount({ atLeast: 0, atMost: 0 }); // "= 0"
 * ```
 */
export function describeCount(count: CountSpec): string {
  if (count.atLeast === count.atMost) return `= ${count.atLeast}`;
  if (count.atMost === Number.MAX_SAFE_INTEGER) return `≥ ${count.atLeast}`;
  if (count.atLeast === 0) return `≤ ${count.atMost}`;
  return `between ${count.atLeast} and ${count.atMost}`;
}

/**
 * Whether a number is within a count's bounds.
 *
 * @example
 * ```ts
 * within(3, { atLeast: 1, atMost: 5 }); // true
 * ```
 */
export function within(value: number, count: CountSpec): boolean {
  return value >= count.atLeast && value <= count.atMost;
}
