import { SimulatorError } from "../engine/errors.js";

/** One problem found in a scenario file, with where it is and how to fix it. */
export interface ScenarioIssue {
  readonly file: string;
  /** 1-based line and column of the offending key or value. */
  readonly line: number;
  readonly column: number;
  /** Path of the offending node, e.g. `events[2].queue`. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/**
 * A scenario file is invalid: `issues` lists every problem found (all of them, not just the first),
 * and the message has one `file:line:column: problem; fix` line per issue, the format editors and
 * terminals turn into links.
 *
 * @example
 * ```ts
 * import { parseScenario, ScenarioError } from "@rebound/simulator";
 * try { parseScenario("sed: 1\n", "scenarios/x.yaml"); }
 * catch (error) { if (error instanceof ScenarioError) console.error(error.issues[0]?.line); } // 1
 * ```
 */
export class ScenarioError extends SimulatorError {
  public constructor(
    public readonly issues: readonly ScenarioIssue[],
    options?: ErrorOptions,
  ) {
    super(
      `${issues.length === 1 ? "1 problem" : `${issues.length} problems`} in scenario ${issues[0]?.file ?? ""}:\n` +
        issues.map(formatIssue).join("\n"),
      options,
    );
    this.name = "ScenarioError";
  }
}

/**
 * One issue as `file:line:column: message`.
 *
 * @example
 * ```ts
 * import { formatIssue } from "@rebound/simulator";
 * formatIssue({ file: "x.yaml", line: 3, column: 1, path: "sed", message: 'unknown key "sed"' }); // "x.yaml:3:1: unknown key \"sed\""
 * ```
 */
export function formatIssue(issue: ScenarioIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`;
}
