import { AslDefinitionError } from "../../engine/errors.js";

/** One step of a parsed JSONPath: an object field or an array index. */
export type AslPathSegment = { readonly field: string } | { readonly index: number };

/** A parsed reference path: which root it reads (`$` the state data, `$$` the context object) and its steps. */
export interface AslPath {
  readonly text: string;
  readonly root: "data" | "context";
  readonly segments: readonly AslPathSegment[];
}

/** A lookup result: `found` false when some step of the path does not exist in the value. */
export type AslPathLookup = { readonly found: true; readonly value: unknown } | { readonly found: false };

// Field names after a dot: anything but the characters that start another step or end the path.
// AWS accepts more JSONPath (wildcards, filters, `..`) in InputPath/Parameters; Rebound rejects those at
// load time instead of guessing their output shape, so a definition that uses one fails loudly.
const DOT_FIELD = /^[^.[\]\s'"]+/;

/**
 * Parses a JSONPath of the subset Rebound's Step Functions executor runs: `$`, `$.a.b`, `$['a b']`,
 * `$.items[0]`, and `$$.Execution.Id` for the context object. Anything else throws a definition error
 * naming `where` (state and field) and the supported forms.
 *
 * @example
 * ```ts
 * import { parseAslPath } from "@rebound/simulator";
 * parseAslPath("$.order.items[0]", "state Charge, field InputPath").segments; // [{field:"order"},{field:"items"},{index:0}]
 * ```
 */
export function parseAslPath(text: string, where: string): AslPath {
  if (typeof text !== "string") {
    throw new AslDefinitionError(`${where}: expected a JSONPath string such as "$.order", got ${show(text)}`);
  }
  const fail = (why: string): never => {
    throw new AslDefinitionError(
      `${where}: unsupported JSONPath ${JSON.stringify(text)} (${why}); ` +
        `Rebound supports $, $.field, $['field'], $.list[0] and $$.Context paths`,
    );
  };
  let root: AslPath["root"];
  let rest: string;
  if (text.startsWith("$$")) {
    root = "context";
    rest = text.slice(2);
  } else if (text.startsWith("$")) {
    root = "data";
    rest = text.slice(1);
  } else {
    return fail("a path must start with $ or $$");
  }
  const segments: AslPathSegment[] = [];
  while (rest.length > 0) {
    if (rest.startsWith("..")) return fail("recursive descent .. is not supported");
    if (rest.startsWith(".")) {
      const match = DOT_FIELD.exec(rest.slice(1));
      if (match === null) return fail(`expected a field name after "." at ${JSON.stringify(rest)}`);
      if (match[0] === "*") return fail("wildcards are not supported");
      segments.push({ field: match[0] });
      rest = rest.slice(1 + match[0].length);
      continue;
    }
    if (rest.startsWith("[")) {
      const close = rest.indexOf("]");
      if (close < 0) return fail("unclosed [");
      const inside = rest.slice(1, close).trim();
      const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(inside);
      if (quoted !== null) segments.push({ field: quoted[1] ?? quoted[2] ?? "" });
      else if (/^\d+$/.test(inside)) segments.push({ index: Number(inside) });
      else return fail(`[${inside}] is not a quoted field name or a non-negative index`);
      rest = rest.slice(close + 1);
      continue;
    }
    return fail(`unexpected ${JSON.stringify(rest[0])}`);
  }
  return { text, root, segments };
}

/**
 * Reads a parsed path from a JSON value.
 *
 * @example
 * ```ts
 * import { parseAslPath, readAslPath } from "@rebound/simulator";
 * readAslPath({ a: [5] }, parseAslPath("$.a[0]", "example")); // { found: true, value: 5 }
 * ```
 */
export function readAslPath(value: unknown, path: AslPath): AslPathLookup {
  let current: unknown = value;
  for (const segment of path.segments) {
    if ("field" in segment) {
      if (!isPlainObject(current) || !Object.hasOwn(current, segment.field)) return { found: false };
      current = current[segment.field];
    } else {
      if (!Array.isArray(current) || segment.index >= current.length) return { found: false };
      current = current[segment.index];
    }
  }
  return { found: true, value: current };
}

/**
 * Returns a copy of `target` with `value` placed at `path` (ResultPath semantics): objects missing
 * along the way are created; only the spine of the path is copied, the rest is shared. Returns
 * `undefined` when a step crosses a value that is not an object (AWS: `States.ResultPathMatchFailure`).
 *
 * @example
 * ```ts
 * import { parseAslPath, writeAslPath } from "@rebound/simulator";
 * writeAslPath({ id: 1 }, parseAslPath("$.result.charge", "example"), { ok: true }); // { id: 1, result: { charge: { ok: true } } }
 * ```
 */
export function writeAslPath(target: unknown, path: AslPath, value: unknown): unknown {
  const write = (current: unknown, depth: number): { ok: boolean; value: unknown } => {
    if (depth === path.segments.length) return { ok: true, value };
    const segment = path.segments[depth]!;
    if ("index" in segment) {
      if (!Array.isArray(current) || segment.index >= current.length) return { ok: false, value: undefined };
      const inner = write(current[segment.index], depth + 1);
      if (!inner.ok) return inner;
      const copy = [...current];
      copy[segment.index] = inner.value;
      return { ok: true, value: copy };
    }
    if (current !== undefined && !isPlainObject(current)) return { ok: false, value: undefined };
    const object = current ?? {};
    const inner = write(object[segment.field], depth + 1);
    if (!inner.ok) return inner;
    return { ok: true, value: { ...object, [segment.field]: inner.value } };
  };
  const result = write(target, 0);
  return result.ok ? result.value : undefined;
}

/** True for a JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A short rendering of a value for error messages (at most 80 characters). */
export function show(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? "undefined" : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
