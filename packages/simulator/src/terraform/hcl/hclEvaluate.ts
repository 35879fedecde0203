import { ConfigurationError } from "../../engine/errors.js";
import { type HclToken, type TemplatePart, tokenizeHcl } from "./hclTokens.js";

/** What an expression's names mean: `var.x`, `local.x`, and references to resources and data sources. */
export interface HclScope {
  /** The value of `var.<name>`, or undefined when the plan does not know it. */
  variable(name: string): unknown;
  /** The value of `local.<name>`, or undefined when it cannot be found. */
  local(name: string): unknown;
  /**
   * A reference such as `["aws_sqs_queue", "dlq", "arn"]` (`data.` included for data sources), as the
   * `${...}` text Rebound's Terraform JSON reader resolves; undefined when it is not a resource.
   */
  reference(parts: readonly string[]): string | undefined;
}

/**
 * Evaluates one HCL expression to the value a Terraform JSON (`.tf.json`) file would hold for it:
 * literals as themselves, a reference to a resource as its `${type.name.attribute}` text (resolved
 * later, like cdktf's output), `var.` and `local.` by value, objects, tuples, string templates, and
 * the functions `jsonencode`, `tostring`, `tonumber`, `tolist`, `toset` and `tomap`. Anything else
 * (operators, conditionals, `for`, other functions, module outputs) is an error naming `where`:
 * Rebound does not reimplement Terraform's language.
 *
 * @example
 * ```ts
 * evaluateHcl(tokens, scope, "aws_sqs_queue.jobs redrive_policy");
 * // '{"deadLetterTargetArn":"${aws_sqs_queue.dlq.arn}","maxReceiveCount":3}'
 * ```
 */
export function evaluateHcl(tokens: readonly HclToken[], scope: HclScope, where: string): unknown {
  let at = 0;
  const fail = (problem: string): never => {
    throw new ConfigurationError(
      where,
      `${where}: ${problem}; Rebound evaluates only literals, references, var./local. values, objects, lists, ` +
        "string templates and jsonencode/tostring/tonumber. Script the function that needs it in the scenario, " +
        "or write that value more plainly",
    );
  };
  const peek = (): HclToken | undefined => tokens[at];
  const isPunct = (value: string): boolean => {
    const token = peek();
    return token?.kind === "punct" && token.value === value;
  };
  const expect = (value: string): void => {
    if (!isPunct(value)) fail(`expected "${value}"`);
    at += 1;
  };
  const skipNewlines = (): void => {
    while (peek()?.kind === "newline") at += 1;
  };

  const template = (parts: readonly TemplatePart[]): unknown => {
    const values = parts.map((part) =>
      "text" in part
        ? part.text
        : evaluateHcl(
            tokenizeHcl(part.interpolation, where).filter((t) => t.kind !== "newline"),
            scope,
            where,
          ),
    );
    if (values.length === 1 && parts[0] && "interpolation" in parts[0]) return values[0];
    return values.map((value) => (typeof value === "string" ? value : JSON.stringify(value))).join("");
  };

  const traversal = (first: string): unknown => {
    const parts = [first];
    for (;;) {
      if (isPunct(".")) {
        at += 1;
        const next = peek();
        if (next?.kind === "ident") parts.push(next.value);
        else if (next?.kind === "number") parts.push(String(next.value));
        else fail("expected a name after .");
        at += 1;
      } else if (isPunct("[")) {
        at += 1;
        const index = primary();
        expect("]");
        parts.push(String(index));
      } else break;
    }
    if (parts[0] === "var") {
      const value = scope.variable(parts[1] ?? "");
      if (value === undefined) fail(`var.${parts[1]} has no value in the plan`);
      return dig(value, parts.slice(2));
    }
    if (parts[0] === "local") {
      const value = scope.local(parts[1] ?? "");
      if (value === undefined) fail(`local.${parts[1]} is not a plain value Rebound can read`);
      return dig(value, parts.slice(2));
    }
    const reference = scope.reference(parts);
    if (reference === undefined) fail(`cannot evaluate ${parts.join(".")}`);
    return reference;
  };

  const dig = (value: unknown, path: readonly string[]): unknown => {
    let current = value;
    for (const key of path) {
      if (typeof current !== "object" || current === null)
        fail(`cannot read .${key} of ${JSON.stringify(current)}`);
      current = (current as Record<string, unknown>)[key];
    }
    return current;
  };

  const call = (name: string): unknown => {
    at += 1; // (
    skipNewlines();
    const args: unknown[] = [];
    while (!isPunct(")")) {
      args.push(primary());
      skipNewlines();
      if (isPunct(",")) at += 1;
      skipNewlines();
    }
    at += 1;
    const [value] = args;
    switch (name) {
      case "jsonencode":
        return JSON.stringify(value);
      case "tostring":
        return typeof value === "string" ? value : JSON.stringify(value);
      case "tonumber":
        return typeof value === "number" ? value : Number(value);
      case "tolist":
      case "toset":
      case "tomap":
        return value;
      default:
        return fail(`the function ${name}() is not evaluated`);
    }
  };

  const collection = (close: "}" | "]"): unknown => {
    const isObject = close === "}";
    const object: Record<string, unknown> = {};
    const list: unknown[] = [];
    skipNewlines();
    while (!isPunct(close)) {
      if (isPunct("for") || (peek()?.kind === "ident" && (peek() as { value: string }).value === "for")) {
        fail("for expressions are not evaluated");
      }
      if (isObject) {
        const keyToken = peek();
        let key: string;
        if (keyToken?.kind === "ident") {
          key = keyToken.value;
          at += 1;
        } else if (keyToken?.kind === "string") {
          key = String(template(keyToken.parts));
          at += 1;
        } else if (isPunct("(")) {
          at += 1;
          key = String(primary());
          expect(")");
        } else return fail("expected an object key");
        if (isPunct("=") || isPunct(":")) at += 1;
        else fail(`expected = after the key ${key}`);
        skipNewlines();
        object[key] = primary();
      } else list.push(primary());
      skipNewlines();
      if (isPunct(",")) at += 1;
      skipNewlines();
    }
    at += 1;
    return isObject ? object : list;
  };

  const primary = (): unknown => {
    skipNewlines();
    const token = peek();
    if (token === undefined) return fail("the expression ends too early");
    at += 1;
    switch (token.kind) {
      case "number":
        return token.value;
      case "string":
        return template(token.parts);
      case "punct":
        if (token.value === "{") return collection("}");
        if (token.value === "[") return collection("]");
        if (token.value === "(") {
          const inner = primary();
          expect(")");
          return inner;
        }
        if (token.value === "-" && peek()?.kind === "number") {
          const number = peek() as { value: number };
          at += 1;
          return -number.value;
        }
        return fail(`unexpected "${token.value}"`);
      case "ident":
        if (token.value === "true") return true;
        if (token.value === "false") return false;
        if (token.value === "null") return null;
        if (isPunct("(")) return call(token.value);
        return traversal(token.value);
      default:
        return fail("unexpected end of line");
    }
  };

  const value = primary();
  skipNewlines();
  if (at < tokens.length) fail("operators and conditionals are not evaluated");
  return value;
}
