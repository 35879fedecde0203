import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import { didYouMean } from "./didYouMean.js";
import { parseDuration } from "./parseDuration.js";
import type { SourceLocation } from "./Scenario.js";
import type { ScenarioIssue } from "./ScenarioError.js";

/** A YAML node as the parser hands it out: `null` when a key has no node at all. */
export type YamlNode = Node | null | undefined;

/** The entries of a YAML mapping, by key, with the key node for locating problems on the key itself. */
export interface MapFields {
  readonly node: Node;
  readonly entries: ReadonlyMap<string, { readonly key: Node; readonly value: YamlNode }>;
}

/** Options of a number read. */
interface NumberRule {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  /** How to write it right, appended to the message. */
  readonly hint?: string;
}

const DURATION_HINT = 'write a number of seconds (90) or a string like "250ms", "30s", "2m", "1h30m"';

/**
 * Reads a parsed YAML document node by node, collecting every problem with its line and column
 * instead of stopping at the first (a user fixing a file wants the whole list at once).
 * Internal to the scenario parser.
 *
 * @example
 * ```ts
 * const reader = new YamlReader("x.yaml", doc, lineCounter);
 * const fields = reader.map(doc.contents, "scenario", "scenario", ["name", "seed"]);
 * ```
 */
export class YamlReader {
  public readonly issues: ScenarioIssue[] = [];

  public constructor(
    public readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Location of a node (its first character), or of the fallback node when it has none. */
  public locate(node: YamlNode, fallback?: YamlNode): SourceLocation {
    const target = node?.range ? node : fallback;
    const offset = target?.range?.[0] ?? 0;
    const position = this.lines.linePos(offset);
    return { file: this.file, line: position.line, column: position.col };
  }

  public report(node: YamlNode, path: string, message: string, fallback?: YamlNode): void {
    const where = this.locate(node, fallback);
    this.issues.push({ file: this.file, line: where.line, column: where.column, path, message });
  }

  /** Follows a YAML alias (`*anchor`) to the node it names. */
  public resolve(node: YamlNode): YamlNode {
    return isAlias(node) ? (node.resolve(this.doc) as YamlNode) : node;
  }

  /** Plain JSON-like value of a node (aliases resolved), for bodies, payloads and items. */
  public json(node: YamlNode): unknown {
    if (node === null || node === undefined) return null;
    try {
      return node.toJS(this.doc, { maxAliasCount: 100 });
    } catch (error) {
      // yaml refuses to expand aliases past maxAliasCount (a "billion laughs" file); that is the
      // file's problem, reported where the value starts, not a crash.
      if (!(error instanceof ReferenceError)) throw error;
      this.report(
        node,
        "",
        "this value expands YAML aliases (*name) more than 100 times; write the value out or use fewer aliases",
      );
      return null;
    }
  }

  /**
   * A mapping whose keys are all in `allowed`; unknown keys are reported (with a suggestion) and
   * left out. `what` names the mapping in messages ("scenario", "sqs event").
   */
  public map(
    node: YamlNode,
    path: string,
    what: string,
    allowed: readonly string[] | null,
  ): MapFields | undefined {
    const resolved = this.resolve(node);
    if (!isMap(resolved)) {
      this.report(node, path, `${what} must be a mapping of keys to values, got ${describe(resolved)}`);
      return undefined;
    }
    const entries = new Map<string, { key: Node; value: YamlNode }>();
    for (const pair of resolved.items) {
      const key = pair.key as YamlNode;
      if (!isScalar(key) || (typeof key.value !== "string" && typeof key.value !== "number")) {
        this.report(key, path, `keys in ${what} must be plain names`, resolved);
        continue;
      }
      const name = String(key.value);
      if (allowed !== null && !allowed.includes(name)) {
        const suggestion = didYouMean(name, allowed);
        this.report(
          key,
          joinPath(path, name),
          `unknown key "${name}" in ${what}; ` +
            (suggestion ? `did you mean "${suggestion}"?` : `allowed keys: ${allowed.join(", ")}`),
        );
        continue;
      }
      entries.set(name, { key, value: pair.value as YamlNode });
    }
    return { node: resolved, entries };
  }

  /** A sequence's items; anything else is reported. */
  public list(node: YamlNode, path: string, what: string): YamlNode[] | undefined {
    const resolved = this.resolve(node);
    if (!isSeq(resolved)) {
      this.report(node, path, `${what} must be a list (lines starting with "- "), got ${describe(resolved)}`);
      return undefined;
    }
    return resolved.items as YamlNode[];
  }

  /** Reports a required key that is missing, on the mapping's first line. */
  public require(
    fields: MapFields,
    key: string,
    path: string,
    what: string,
    example: string,
  ): YamlNode | undefined {
    const entry = fields.entries.get(key);
    if (entry === undefined) {
      this.report(fields.node, path, `${what} needs "${key}"; add e.g. \`${key}: ${example}\``);
      return undefined;
    }
    return entry.value;
  }

  public string(
    node: YamlNode,
    path: string,
    rule: { readonly pattern?: RegExp; readonly hint?: string; readonly maxLength?: number } = {},
  ): string | undefined {
    const resolved = this.resolve(node);
    const value = isScalar(resolved) ? resolved.value : undefined;
    if (typeof value !== "string" && typeof value !== "number") {
      this.report(node, path, `${path} must be text, got ${describe(resolved)}`);
      return undefined;
    }
    const text = String(value);
    const tooLong = rule.maxLength !== undefined && text.length > rule.maxLength;
    if (text === "" || tooLong || (rule.pattern !== undefined && !rule.pattern.test(text))) {
      const why =
        text === "" ? "is empty" : tooLong ? `is longer than ${rule.maxLength} characters` : "is invalid";
      this.report(node, path, `${path} ${JSON.stringify(text)} ${why}${rule.hint ? `; ${rule.hint}` : ""}`);
      return undefined;
    }
    return text;
  }

  /** One of a closed set of words, with a suggestion for a near miss. */
  public choice<T extends string>(node: YamlNode, path: string, choices: readonly T[]): T | undefined {
    const text = this.string(node, path);
    if (text === undefined) return undefined;
    if ((choices as readonly string[]).includes(text)) return text as T;
    const suggestion = didYouMean(text, choices);
    this.report(
      node,
      path,
      `unknown ${path.split(/[.[]/).pop()?.replace("]", "") ?? "value"} "${text}"; ` +
        (suggestion ? `did you mean "${suggestion}"? ` : "") +
        `use one of: ${choices.join(", ")}`,
    );
    return undefined;
  }

  public number(node: YamlNode, path: string, rule: NumberRule = {}): number | undefined {
    const resolved = this.resolve(node);
    const value = isScalar(resolved) ? resolved.value : undefined;
    const hint = rule.hint ? `; ${rule.hint}` : "";
    if (typeof value !== "number" || !Number.isFinite(value)) {
      this.report(node, path, `${path} must be a number, got ${describe(resolved)}${hint}`);
      return undefined;
    }
    if (rule.integer && !Number.isSafeInteger(value)) {
      this.report(node, path, `${path} must be a whole number, got ${value}${hint}`);
      return undefined;
    }
    if ((rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max)) {
      const range =
        rule.max === undefined
          ? `at least ${rule.min}`
          : rule.min === undefined
            ? `at most ${rule.max}`
            : `between ${rule.min} and ${rule.max}`;
      this.report(node, path, `${path} is ${value}, which is impossible: it must be ${range}${hint}`);
      return undefined;
    }
    return value;
  }

  /** A duration in milliseconds (see `parseDuration`); negative values are reported as impossible. */
  public duration(node: YamlNode, path: string): number | undefined {
    const resolved = this.resolve(node);
    const value = isScalar(resolved) ? resolved.value : undefined;
    const ms = parseDuration(value);
    if (ms !== undefined) return ms;
    const negative =
      (typeof value === "number" && value < 0) || (typeof value === "string" && value.trim().startsWith("-"));
    this.report(
      node,
      path,
      negative
        ? `${path} is ${JSON.stringify(value)}: negative times are impossible; virtual time starts at 0`
        : `${path} ${JSON.stringify(value ?? describe(resolved))} is not a duration; ${DURATION_HINT}`,
    );
    return undefined;
  }

  public boolean(node: YamlNode, path: string): boolean | undefined {
    const resolved = this.resolve(node);
    if (isScalar(resolved) && typeof resolved.value === "boolean") return resolved.value;
    this.report(node, path, `${path} must be true or false, got ${describe(resolved)}`);
    return undefined;
  }

  /** Text, or a JSON value written in YAML (sent as its JSON text): bodies, messages, record data. */
  public text(node: YamlNode, path: string): string | undefined {
    const resolved = this.resolve(node);
    if (resolved === null || resolved === undefined || (isScalar(resolved) && resolved.value === null)) {
      this.report(node, path, `${path} is empty; give text or a JSON value (a mapping is sent as JSON)`);
      return undefined;
    }
    if (isScalar(resolved) && typeof resolved.value === "string") return resolved.value;
    return JSON.stringify(this.json(resolved));
  }

  /** A mapping of names to text values (headers, message attributes). */
  public stringMap(node: YamlNode, path: string, what: string): Record<string, string> | undefined {
    const fields = this.map(node, path, what, null);
    if (fields === undefined) return undefined;
    const result: Record<string, string> = {};
    for (const [name, entry] of fields.entries) {
      const resolved = this.resolve(entry.value);
      const value = isScalar(resolved) ? resolved.value : undefined;
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
        result[name] = String(value);
      } else {
        this.report(
          entry.value,
          joinPath(path, name),
          `${joinPath(path, name)} must be text, got ${describe(resolved)}`,
          entry.key,
        );
      }
    }
    return result;
  }

  /** A mapping holding a JSON object (items, keys, `set`). */
  public object(node: YamlNode, path: string, what: string): Record<string, unknown> | undefined {
    const fields = this.map(node, path, what, null);
    if (fields === undefined) return undefined;
    if (fields.entries.size === 0) {
      this.report(node, path, `${what} is empty; give at least one attribute`);
      return undefined;
    }
    return this.json(fields.node) as Record<string, unknown>;
  }
}

/** `a` + `b` → `a.b`; top-level keys have no prefix. */
export function joinPath(path: string, key: string): string {
  return path === "" || path === "scenario" ? key : `${path}.${key}`;
}

function describe(node: YamlNode): string {
  if (node === null || node === undefined) return "nothing";
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) {
    if (node.value === null) return "nothing";
    return `${typeof node.value === "string" ? "text" : typeof node.value} ${JSON.stringify(node.value)}`;
  }
  return "an alias";
}
