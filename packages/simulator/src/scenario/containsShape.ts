/**
 * Whether `actual` contains the JSON shape `expected`: an object matches when every key of `expected`
 * matches the same key of `actual` (other keys are ignored), an array when it has the same length and
 * each element matches, anything else when it is equal. Returns the path of the first difference, or
 * undefined when the shape is contained.
 *
 * @example
 * ```ts
 * containsShape({ orderId: "o-1", total: 5 }, { orderId: "o-1" }); // undefined
 * containsShape({ items: [1, 2] }, { items: [1] }); // "$.items: 2 items, expected 1"
 * ```
 */
export function containsShape(actual: unknown, expected: unknown, path = "$"): string | undefined {
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
    if (actual === null || typeof actual !== "object" || Array.isArray(actual))
      return `${path}: ${show(actual)}, expected an object`;
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual)) return `${path}.${key}: missing`;
      const difference = containsShape((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  return Object.is(actual, expected) ? undefined : `${path}: ${show(actual)}, expected ${show(expected)}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
