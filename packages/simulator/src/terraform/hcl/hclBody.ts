import { ConfigurationError } from "../../engine/errors.js";
import { type HclToken, tokenizeHcl } from "./hclTokens.js";

/** One block of an HCL file (`resource "aws_sqs_queue" "jobs" { ... }`, `environment { ... }`). */
export interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: HclBody;
}

/** A block's body: its attributes as unevaluated tokens (read on demand), and its nested blocks. */
export interface HclBody {
  readonly attributes: ReadonlyMap<string, readonly HclToken[]>;
  readonly blocks: readonly HclBlock[];
}

/**
 * Reads the structure of an HCL file: blocks, their labels and bodies, and each attribute's
 * expression as tokens, without evaluating anything (most attributes are never needed: the plan
 * already has their values).
 *
 * @example
 * ```ts
 * const body = parseHclBody(readFileSync("main.tf", "utf8"), "main.tf");
 * body.blocks.find((block) => block.type === "resource" && block.labels[1] === "jobs");
 * ```
 */
export function parseHclBody(source: string, where: string): HclBody {
  const tokens = tokenizeHcl(source, where);
  let at = 0;
  const fail = (problem: string): never => {
    throw new ConfigurationError(where, `${where}:${tokens[at]?.line ?? "?"}: ${problem}`);
  };
  const body = (closing: boolean): HclBody => {
    const attributes = new Map<string, HclToken[]>();
    const blocks: HclBlock[] = [];
    for (;;) {
      const token = tokens[at];
      if (token === undefined) {
        if (closing) fail("a block is never closed with }");
        return { attributes, blocks };
      }
      if (token.kind === "newline") {
        at += 1;
        continue;
      }
      if (token.kind === "punct" && token.value === "}") {
        if (!closing) fail("unexpected }");
        at += 1;
        return { attributes, blocks };
      }
      if (token.kind !== "ident") fail("expected an attribute or a block");
      const name = (token as { value: string }).value;
      at += 1;
      const next = tokens[at];
      if (next?.kind === "punct" && next.value === "=") {
        at += 1;
        const start = at;
        let depth = 0;
        while (at < tokens.length) {
          const t = tokens[at]!;
          if (t.kind === "punct" && "{[(".includes(t.value)) depth += 1;
          if (t.kind === "punct" && "}])".includes(t.value)) {
            if (depth === 0) break; // a one-line block's closing brace
            depth -= 1;
          }
          if (t.kind === "newline" && depth === 0) break;
          at += 1;
        }
        attributes.set(
          name,
          tokens.slice(start, at).filter((t) => t.kind !== "newline"),
        );
        continue;
      }
      const labels: string[] = [];
      while (tokens[at]?.kind === "string" || tokens[at]?.kind === "ident") {
        const label = tokens[at]!;
        labels.push(
          label.kind === "ident"
            ? label.value
            : (label as { parts: readonly { text?: string }[] }).parts
                .map((part) => part.text ?? "")
                .join(""),
        );
        at += 1;
      }
      const open = tokens[at];
      if (!(open?.kind === "punct" && open.value === "{")) fail(`expected { after ${name}`);
      at += 1;
      blocks.push({ type: name, labels, body: body(true) });
    }
  };
  return body(false);
}
