import { SimulatorError } from "../engine/errors.js";
import { terminalText } from "../report/terminalText.js";
import { ScenarioError } from "../scenario/ScenarioError.js";

/**
 * The `rebound` command's exit status, the contract scripts and CI rely on.
 *
 * @example
 * ```ts
 * process.exitCode = failed ? ExitCode.ExpectationFailed : ExitCode.Ok;
 * ```
 */
export const ExitCode = {
  /** Every expectation of every scenario holds (or `explain`/`--help` printed what was asked). */
  Ok: 0,
  /** The runs completed and at least one expectation does not hold. */
  ExpectationFailed: 1,
  /** Bad input: a file, flag, scenario or stack the command cannot use; nothing was run. */
  BadInput: 2,
  /** A bug in Rebound: the message asks for a report, `--debug` prints the stack trace. */
  InternalError: 3,
} as const;

/** One of the `ExitCode` values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A problem with what the user gave the command (a file, a flag, a folder): exit 2, one line per
 * problem naming the file or flag and the fix.
 *
 * @example
 * ```ts
 * throw new InputError(["--seed 1.5: a seed is a whole number from 0 to 4294967295"]);
 * ```
 */
export class InputError extends SimulatorError {
  public constructor(
    public readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(problems.join("\n"), options);
    this.name = "InputError";
  }
}

const BUG_REPORT =
  "rebound: this is a bug in Rebound, not in your files. Please report it with the command you ran " +
  "and this output (run again with --debug for the stack trace).";

/**
 * The exit status and the lines to print for an error that ended a command. Bad input (Rebound's
 * own errors, `node:util` argument errors, a parser's stack overflow on absurdly nested input) is one
 * escaped line per problem and never a stack trace; anything else is an internal error, with the stack
 * trace only when `debug` is set.
 *
 * @example
 * ```ts
 * const { code, lines } = describeFailure(error, false);
 * for (const line of lines) console.error(line);
 * process.exitCode = code;
 * ```
 */
export function describeFailure(error: unknown, debug: boolean): { code: ExitCodeValue; lines: string[] } {
  if (error instanceof ScenarioError) {
    // The issues already name file:line:column; the "N problems in scenario" header adds nothing.
    return {
      code: ExitCode.BadInput,
      lines: error.issues.map((issue) =>
        terminalText(`${issue.file}:${issue.line}:${issue.column}: ${issue.message}`, 500),
      ),
    };
  }
  if (error instanceof InputError) {
    // A problem that starts with file:line:column stays at the start of its line, where editors and
    // terminals make it a link.
    const lines = error.problems.map((line) =>
      /^[^\s:]+:\d+:\d+: /.test(line) ? terminalText(line, 500) : `rebound: ${terminalText(line, 500)}`,
    );
    return { code: ExitCode.BadInput, lines };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof SimulatorError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"))) {
    const message = (error as Error).message;
    return {
      code: ExitCode.BadInput,
      lines: message.split("\n").map((line) => `rebound: ${terminalText(line, 500)}`),
    };
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const lines = [`rebound: internal error: ${terminalText(detail, 500)}`];
  if (debug && error instanceof Error && error.stack) lines.push(error.stack);
  lines.push(BUG_REPORT);
  return { code: ExitCode.InternalError, lines };
}
