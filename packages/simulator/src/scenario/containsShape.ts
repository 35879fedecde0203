/** Text values that match a kind of value rather than one value, in a shape. */
const MATCHERS: Readonly<Record<string, (value: unknown) => boolean>> = {
  $any: (value) => value !== undefined,
  $uuid: (value) =>
    typeof value === "string" &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
  $isoTime: (value) => typeof value === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value),
  $number: (value) => typeof value === "number",
  $string: (value) => typeof value === "string",
  $array: (value) => Array.isArray(value),
  $object: (value) => value !== null && typeof value === "object" && !Array.isArray(value),
};

/** The matcher names a shape may use, for error messages. */
export const SHAPE_MATCHERS = [...Object.keys(MATCHERS), "$absent", "{ $json: <shape> }"];

/**
 * Whether `actual` contains the JSON shape `expected`: an object matches when every key of `expected`
 * matches the same key of `actual` (other keys are ignored), an array when it has the same length and
 * each element matches, anything else when it is equal. Matchers stand for kinds of values: `$any`,
 * `$uuid`, `$isoTime`, `$number`, `$string`, `$array`, `$object`; `$absent` requires the key to be
 * missing; `{ $json: shape }` parses a JSON string and matches the shape inside. Returns the path of
 * the first difference, or undefined when the shape is contained.
 *
 * @example
 * ```ts
 * containsShape({ orderId: "o-1", total: 5 }, { orderId: "o-1", total: "$number" }); // undefined
 * containsShape({ items: [1, 2] }, { items: [1] }); // "$.items: 2 items, expected 1"
 * containsShape({ body: '{"a":1}' }, { body: { $json: { a: 1 } } }); // undefined
 * ```
 */
export function containsShape(actual: unknown, expected: unknown, path = "$"): string | undefined {
  if (typeof expected === "string" && expected in MATCHERS)
    return MATCHERS[expected]!(actual) ? undefined : `${path}: ${show(actual)}, expected ${expected}`;
  if (expected !== null && typeof expected === "object") {
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual)) return `${path}: ${show(actual)}, expected a list`;
      if (actual.length !== expected.length)
        return `${path}: ${actual.length} items, expected ${expected.length}`;
      for (let index = 0; index < expected.length; index++) {
        const difference = containsShape(actual[index], expected[index], `${path}[${index}]`);
        if (difference !== undefined) return difference;
      }
      return undefined;
    }
    const keys = Object.keys(expected);
    if (keys.length === 1 && keys[0] === "$json") {
      if (typeof actual !== "string") return `${path}: ${show(actual)}, expected JSON text`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(actual);
      } catch {
        return `${path}: ${show(actual)} is not JSON`;
      }
      return containsShape(parsed, (expected as { $json: unknown }).$json, `${path}(json)`);
    }
    if (actual === null || typeof actual !== "object" || Array.isArray(actual))
      return `${path}: ${show(actual)}, expected an object`;
    for (const [key, value] of Object.entries(expected)) {
      const present = key in actual;
      if (value === "$absent") {
        if (present)
          return `${path}.${key}: ${show((actual as Record<string, unknown>)[key])}, expected it absent`;
        continue;
      }
      if (!present) return `${path}.${key}: missing`;
      const difference = containsShape((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  return Object.is(actual, expected) ? undefined : `${path}: ${show(actual)}, expected ${show(expected)}`;
}

/** A value inside a one-line difference: shorter than a failure's detail. */
function show(value: unknown): string {
  return shapeText(value, 80);
}

/**
 * A value as one line of JSON for a failure's detail, cut at `maxLength` characters (300 by default).
 *
 * @example
 * ```ts
 * `expected ${shapeText(shape)}\n    actual   ${shapeText(record)}`;
 * ```
 */
export function shapeText(value: unknown, maxLength = 300): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
