import { createHash } from "node:crypto";
import { AslDefinitionError, StatesFailure } from "../../engine/errors.js";
import { type AslPath, isPlainObject, parseAslPath, readAslPath, show } from "./aslPath.js";

/** What a compiled template or path reads at run time. */
export interface AslEvaluationScope {
  /** The state's effective input (what `$` refers to). */
  readonly input: unknown;
  /** The context object (what `$$` refers to). */
  readonly context: unknown;
  /** Seeded random number in [0, 1) for States.UUID and States.MathRandom. */
  readonly random: () => number;
}

/** A payload template (Parameters, ResultSelector) compiled once when the definition loads. */
export type AslTemplate = (scope: AslEvaluationScope) => unknown;

/**
 * Compiles a payload template: fields whose names end in `.$` take their value from a path (`$.x`), the
 * context object (`$$.Execution.Id`) or an intrinsic function (`States.Format('{}', $.id)`), with `.$`
 * removed from the name; other values are copied. Paths and intrinsics are checked now, so a typo
 * fails when the definition loads, not hours into a run. A path that finds nothing at run time throws
 * `States.ParameterPathFailure`, as AWS does.
 *
 * @example
 * ```ts
 * import { compileAslTemplate } from "@rebound/simulator";
 * const template = compileAslTemplate({ "orderId.$": "$.id", source: "sfn" }, "state Charge, field Parameters");
 * template({ input: { id: "o-1" }, context: {}, random: Math.random }); // { orderId: "o-1", source: "sfn" }
 * ```
 */
export function compileAslTemplate(template: unknown, where: string): AslTemplate {
  if (Array.isArray(template)) {
    const items = template.map((item, index) => compileAslTemplate(item, `${where}[${index}]`));
    return (scope) => items.map((item) => item(scope));
  }
  if (!isPlainObject(template)) return () => template;
  const fields: Array<readonly [string, AslTemplate]> = [];
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith(".$")) {
      const name = key.slice(0, -2);
      if (typeof value !== "string") {
        throw new AslDefinitionError(
          `${where}: field ${JSON.stringify(key)} ends in ".$", so its value must be a path or an intrinsic function string, got ${show(value)}`,
        );
      }
      fields.push([name, compileAslExpression(value, `${where}.${key}`)]);
    } else {
      fields.push([key, compileAslTemplate(value, `${where}.${key}`)]);
    }
  }
  return (scope) => {
    const out: Record<string, unknown> = {};
    for (const [name, field] of fields) out[name] = field(scope);
    return out;
  };
}

/**
 * Compiles the value of one `.$` field: a path or an intrinsic function call.
 *
 * @example
 * ```ts
 * import { compileAslExpression } from "@rebound/simulator";
 * compileAslExpression("States.Format('order {}', $.id)", "example")({ input: { id: 7 }, context: {}, random: Math.random }); // "order 7"
 * ```
 */
export function compileAslExpression(text: string, where: string): AslTemplate {
  if (text.startsWith("States.")) {
    const parser = new IntrinsicParser(text, where);
    const call = parser.parseCall();
    parser.expectEnd();
    return call;
  }
  const path = parseAslPath(text, where);
  return (scope) => readOrFail(path, scope, "States.ParameterPathFailure", where);
}

/** Reads a path in a scope or throws the given States error, naming the path as AWS does. */
export function readOrFail(path: AslPath, scope: AslEvaluationScope, error: string, where: string): unknown {
  const lookup = readAslPath(path.root === "context" ? scope.context : scope.input, path);
  if (!lookup.found) {
    throw new StatesFailure(error, `${where}: the JSONPath '${path.text}' could not be found in the input`);
  }
  return lookup.value;
}

type IntrinsicImpl = (args: unknown[], scope: AslEvaluationScope, fail: (why: string) => never) => unknown;

// The intrinsic functions Rebound runs; any other States.* name is rejected when the definition loads.
const INTRINSICS: Record<string, { readonly arity: readonly [number, number]; readonly run: IntrinsicImpl }> =
  {
    "States.Format": {
      arity: [1, Number.POSITIVE_INFINITY],
      run: ([template, ...values], _scope, fail) => {
        if (typeof template !== "string") return fail("the first argument must be a string");
        let next = 0;
        const out = template.replace(/\\([{}\\'])|\{\}/g, (_match, escaped: string | undefined) => {
          if (escaped !== undefined) return escaped;
          if (next >= values.length) return fail(`more {} placeholders than arguments in ${show(template)}`);
          const value = values[next++];
          if (isPlainObject(value) || Array.isArray(value))
            return fail("arguments must be strings, numbers, booleans or null");
          return typeof value === "string" ? value : String(value === undefined ? null : value);
        });
        if (next !== values.length) fail(`${values.length} arguments for ${next} {} placeholders`);
        return out;
      },
    },
    "States.StringToJson": {
      arity: [1, 1],
      run: ([text], _scope, fail) => {
        if (typeof text !== "string") return fail("the argument must be a string");
        try {
          return JSON.parse(text) as unknown;
        } catch (error) {
          return fail(`the argument is not valid JSON (${(error as Error).message})`);
        }
      },
    },
    "States.JsonToString": { arity: [1, 1], run: ([value]) => JSON.stringify(value) },
    "States.Array": { arity: [0, Number.POSITIVE_INFINITY], run: (values) => values },
    "States.ArrayLength": {
      arity: [1, 1],
      run: ([list], _scope, fail) =>
        Array.isArray(list) ? list.length : fail("the argument must be an array"),
    },
    "States.ArrayGetItem": {
      arity: [2, 2],
      run: ([list, index], _scope, fail) => {
        if (!Array.isArray(list)) return fail("the first argument must be an array");
        if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= list.length) {
          return fail(`index ${show(index)} is outside the array of length ${list.length}`);
        }
        return list[index as number];
      },
    },
    "States.ArrayContains": {
      arity: [2, 2],
      run: ([list, value], _scope, fail) =>
        Array.isArray(list)
          ? list.some((item) => JSON.stringify(item) === JSON.stringify(value))
          : fail("the first argument must be an array"),
    },
    "States.MathAdd": {
      arity: [2, 2],
      run: ([a, b], _scope, fail) =>
        typeof a === "number" && typeof b === "number" ? a + b : fail("both arguments must be numbers"),
    },
    "States.MathRandom": {
      arity: [2, 3],
      run: ([start, end], scope, fail) => {
        if (!Number.isInteger(start) || !Number.isInteger(end) || (start as number) >= (end as number)) {
          return fail("start and end must be integers with start < end");
        }
        // The optional seed argument is ignored: the run's seeded source already makes it reproducible.
        return (start as number) + Math.floor(scope.random() * ((end as number) - (start as number)));
      },
    },
    "States.StringSplit": {
      arity: [2, 2],
      run: ([text, delimiters], _scope, fail) => {
        if (typeof text !== "string" || typeof delimiters !== "string")
          return fail("both arguments must be strings");
        const set = new Set(delimiters);
        const parts: string[] = [];
        let current = "";
        for (const char of text) {
          if (set.has(char)) {
            if (current !== "") parts.push(current);
            current = "";
          } else current += char;
        }
        if (current !== "") parts.push(current);
        return parts;
      },
    },
    "States.UUID": {
      arity: [0, 0],
      run: (_args, scope) => {
        const hex = (n: number): string =>
          Array.from({ length: n }, () => Math.floor(scope.random() * 16).toString(16)).join("");
        return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + Math.floor(scope.random() * 4)).toString(16)}${hex(3)}-${hex(12)}`;
      },
    },
    "States.Base64Encode": {
      arity: [1, 1],
      run: ([text], _scope, fail) =>
        typeof text === "string"
          ? Buffer.from(text, "utf8").toString("base64")
          : fail("the argument must be a string"),
    },
    "States.Base64Decode": {
      arity: [1, 1],
      run: ([text], _scope, fail) =>
        typeof text === "string"
          ? Buffer.from(text, "base64").toString("utf8")
          : fail("the argument must be a string"),
    },
    "States.Hash": {
      arity: [2, 2],
      run: ([data, algorithm], _scope, fail) => {
        const names: Record<string, string> = {
          MD5: "md5",
          "SHA-1": "sha1",
          "SHA-256": "sha256",
          "SHA-384": "sha384",
          "SHA-512": "sha512",
        };
        const name = typeof algorithm === "string" ? names[algorithm] : undefined;
        if (name === undefined) return fail(`algorithm must be one of ${Object.keys(names).join(", ")}`);
        const text = typeof data === "string" ? data : JSON.stringify(data);
        return createHash(name).update(text).digest("hex");
      },
    },
  };

/** Recursive-descent parser for intrinsic function calls; builds closures evaluated at run time. */
class IntrinsicParser {
  #at = 0;
  public constructor(
    private readonly text: string,
    private readonly where: string,
  ) {}

  #fail(why: string): never {
    throw new AslDefinitionError(
      `${this.where}: cannot parse intrinsic function ${JSON.stringify(this.text)} at character ${this.#at} (${why})`,
    );
  }

  #skipSpaces(): void {
    while (this.text[this.#at] === " ") this.#at++;
  }

  public expectEnd(): void {
    this.#skipSpaces();
    if (this.#at !== this.text.length) this.#fail("unexpected text after the closing parenthesis");
  }

  public parseCall(): AslTemplate {
    const name = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.#at))?.[0];
    if (name === undefined) return this.#fail("expected States.<Function>(...)");
    const impl = INTRINSICS[name];
    if (impl === undefined) {
      return this.#fail(`${name} is not supported; supported: ${Object.keys(INTRINSICS).join(", ")}`);
    }
    this.#at += name.length;
    this.#skipSpaces();
    if (this.text[this.#at] !== "(") this.#fail("expected (");
    this.#at++;
    const args: AslTemplate[] = [];
    this.#skipSpaces();
    if (this.text[this.#at] === ")") this.#at++;
    else {
      for (;;) {
        args.push(this.#parseArgument());
        this.#skipSpaces();
        const separator = this.text[this.#at++];
        if (separator === ")") break;
        if (separator !== ",") this.#fail("expected , or )");
      }
    }
    const [min, max] = impl.arity;
    if (args.length < min || args.length > max) {
      this.#fail(`${name} takes ${min === max ? min : `${min} to ${max}`} arguments, got ${args.length}`);
    }
    const where = this.where;
    return (scope) => {
      const values = args.map((arg) => arg(scope));
      return impl.run(values, scope, (why) => {
        throw new StatesFailure("States.IntrinsicFailure", `${where}: ${name} failed: ${why}`);
      });
    };
  }

  #parseArgument(): AslTemplate {
    this.#skipSpaces();
    const rest = this.text.slice(this.#at);
    if (rest.startsWith("'")) {
      let value = "";
      this.#at++;
      for (;;) {
        const char = this.text[this.#at++];
        if (char === undefined) return this.#fail("unterminated string");
        if (char === "\\") {
          const escaped = this.text[this.#at++];
          // Keep the backslash for braces so States.Format can tell an escaped \{ from a placeholder.
          value += escaped === "{" || escaped === "}" ? `\\${escaped}` : (escaped ?? "");
        } else if (char === "'") break;
        else value += char;
      }
      return () => value;
    }
    if (rest.startsWith("States.")) return this.parseCall();
    if (rest.startsWith("$")) {
      let end = this.#at;
      let depth = 0;
      let quote: string | null = null;
      for (; end < this.text.length; end++) {
        const char = this.text[end]!;
        if (quote !== null) {
          if (char === quote) quote = null;
        } else if (char === "'" || char === '"') quote = char;
        else if (char === "[") depth++;
        else if (char === "]") depth--;
        else if (depth === 0 && (char === "," || char === ")" || char === " ")) break;
      }
      const path = parseAslPath(this.text.slice(this.#at, end), this.where);
      this.#at = end;
      const where = this.where;
      return (scope) => readOrFail(path, scope, "States.ParameterPathFailure", where);
    }
    const literal = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|null|true|false)/.exec(rest)?.[0];
    if (literal === undefined)
      return this.#fail("expected a 'string', a number, null, true, false, a $.path or a States.* call");
    this.#at += literal.length;
    const value = JSON.parse(literal) as unknown;
    return () => value;
  }
}
