import { ConfigurationError } from "../../engine/errors.js";

/** A piece of a quoted string or heredoc: literal text, or the source of an `${...}` interpolation. */
export type TemplatePart = { readonly text: string } | { readonly interpolation: string };

/** One token of HCL's native syntax, as far as Rebound reads it. */
export type HclToken =
  | { readonly kind: "ident"; readonly value: string; readonly line: number }
  | { readonly kind: "number"; readonly value: number; readonly line: number }
  | { readonly kind: "string"; readonly parts: readonly TemplatePart[]; readonly line: number }
  | { readonly kind: "punct"; readonly value: string; readonly line: number }
  | { readonly kind: "newline"; readonly line: number };

const PUNCTUATION = [
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "=>",
  "...",
  "{",
  "}",
  "[",
  "]",
  "(",
  ")",
  "=",
  ",",
  ".",
  ":",
  "?",
  "!",
  "+",
  "-",
  "*",
  "/",
  "%",
  "<",
  ">",
];

/**
 * Splits HCL source (a `.tf` file, or one expression) into tokens: identifiers, numbers, quoted
 * strings and heredocs (with their `${...}` interpolations kept as source), punctuation and the
 * newlines that end attributes. Comments (`#`, `//`, `/* *\/`) are dropped. `where` names the file
 * in errors.
 *
 * @example
 * ```ts
 * tokenizeHcl('name = "${var.prefix}-jobs"', "main.tf");
 * ```
 */
export function tokenizeHcl(source: string, where: string): HclToken[] {
  const tokens: HclToken[] = [];
  let at = 0;
  let line = 1;
  const fail = (problem: string): never => {
    throw new ConfigurationError(
      where,
      `${where}:${line}: ${problem}; Rebound reads plain HCL native syntax`,
    );
  };
  while (at < source.length) {
    const char = source[at]!;
    if (char === "\n") {
      tokens.push({ kind: "newline", line });
      line += 1;
      at += 1;
    } else if (char === " " || char === "\t" || char === "\r") {
      at += 1;
    } else if (char === "#" || source.startsWith("//", at)) {
      while (at < source.length && source[at] !== "\n") at += 1;
    } else if (source.startsWith("/*", at)) {
      const end = source.indexOf("*/", at + 2);
      if (end < 0) fail("unterminated /* comment");
      for (const c of source.slice(at, end)) if (c === "\n") line += 1;
      at = end + 2;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(at))!;
      tokens.push({ kind: "ident", value: match[0], line });
      at += match[0].length;
    } else if (/[0-9]/.test(char)) {
      const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(at))!;
      tokens.push({ kind: "number", value: Number(match[0]), line });
      at += match[0].length;
    } else if (char === '"') {
      const startLine = line;
      const { parts, end } = readTemplate(source, at + 1, '"', fail);
      tokens.push({ kind: "string", parts, line: startLine });
      at = end;
    } else if (source.startsWith("<<", at) && /^<<-?[A-Za-z_]/.test(source.slice(at, at + 4))) {
      const match = /^<<(-?)([A-Za-z_][A-Za-z0-9_]*)\r?\n/.exec(source.slice(at));
      if (!match) fail("a heredoc marker must end its line");
      const body = at + match![0].length;
      const close = new RegExp(`^[ \\t]*${match![2]}[ \\t]*$`, "m");
      const rest = source.slice(body);
      const found = close.exec(rest);
      if (!found) fail(`heredoc ${match![2]} is never closed`);
      let text = rest.slice(0, found!.index);
      if (match![1] === "-") text = dedent(text);
      const { parts } = readTemplate(`${text}\u0000`, 0, "\u0000", fail);
      tokens.push({ kind: "string", parts, line });
      for (const c of source.slice(at, body + found!.index + found![0].length)) if (c === "\n") line += 1;
      at = body + found!.index + found![0].length;
    } else {
      const punct = PUNCTUATION.find((candidate) => source.startsWith(candidate, at));
      if (punct === undefined) fail(`unexpected character ${JSON.stringify(char)}`);
      tokens.push({ kind: "punct", value: punct!, line });
      at += punct!.length;
    }
  }
  tokens.push({ kind: "newline", line });
  return tokens;
}

/** Reads a template up to `terminator`, keeping each `${...}`'s source (nested braces and strings included). */
function readTemplate(
  source: string,
  start: number,
  terminator: string,
  fail: (problem: string) => never,
): { parts: TemplatePart[]; end: number } {
  const parts: TemplatePart[] = [];
  let text = "";
  let at = start;
  while (at < source.length) {
    const char = source[at]!;
    if (char === terminator) {
      if (text !== "") parts.push({ text });
      return { parts, end: at + 1 };
    }
    if (char === "\\" && terminator === '"') {
      const next = source[at + 1];
      const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" };
      if (next === "u") {
        text += String.fromCodePoint(Number.parseInt(source.slice(at + 2, at + 6), 16));
        at += 6;
      } else {
        text += escapes[next ?? ""] ?? next ?? "";
        at += 2;
      }
    } else if (source.startsWith("$${", at) || source.startsWith("%%{", at)) {
      text += source.slice(at + 1, at + 3);
      at += 3;
    } else if (source.startsWith("%{", at)) {
      fail("template directives (%{ if }, %{ for }) are not evaluated");
    } else if (source.startsWith("${", at)) {
      if (text !== "") parts.push({ text });
      text = "";
      let depth = 1;
      let inner = at + 2;
      while (inner < source.length && depth > 0) {
        const c = source[inner]!;
        if (c === '"') inner = readTemplate(source, inner + 1, '"', fail).end - 1;
        else if (c === "{") depth += 1;
        else if (c === "}") depth -= 1;
        inner += 1;
      }
      if (depth > 0) fail("an interpolation ${ is never closed");
      parts.push({
        interpolation: source
          .slice(at + 2, inner - 1)
          .replace(/^~|~$/g, "")
          .trim(),
      });
      at = inner;
    } else {
      if (char === "\n" && terminator === '"') fail("a quoted string must end on its line");
      text += char;
      at += 1;
    }
  }
  return fail("a string is never closed");
}

function dedent(text: string): string {
  const lines = text.split("\n");
  const indents = lines.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join("\n");
}
