/**
 * What the wrappers log through: one call per failure, a message and flat fields. Powertools'
 * `Logger` satisfies it (`logger.warn("message", { ...fields })` merges the fields into its JSON).
 *
 * @example
 * ```ts
 * import { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
 * import { sqsBatchHandler, type Logger } from "@rebound/errors";
 * const logger: Logger = new PowertoolsLogger({ serviceName: "payments" });
 * export const handler = sqsBatchHandler(async (record) => logger.info("received", { body: record.body }), {
 *   logger,
 * });
 * ```
 */
export interface Logger {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

/**
 * Options of {@link createJsonLogger}.
 *
 * @example
 * ```ts
 * import { createJsonLogger, type JsonLoggerOptions } from "@rebound/errors";
 * const lines: string[] = [];
 * const options: JsonLoggerOptions = { clock: () => 0, write: (line) => lines.push(line) };
 * createJsonLogger(options).warn("record failed", { messageId: "m-1" });
 * ```
 */
export interface JsonLoggerOptions {
  /** Epoch-ms clock for `timestamp`; default `Date.now`. */
  readonly clock?: () => number;
  /** Where each line goes (without a trailing newline); default `process.stdout`. */
  readonly write?: (line: string) => void;
}

/**
 * The built-in logger: one JSON object per line on stdout (`level`, `message`, `timestamp`, then the
 * fields), which CloudWatch Logs Insights parses as is. About 30 lines instead of Powertools' Logger
 * (over 20 KB minified), so the minimal SQS handler stays within its 10.5 KB bundle budget.
 *
 * @example
 * ```ts
 * import { createJsonLogger } from "@rebound/errors";
 * const logger = createJsonLogger();
 * logger.warn("record failed", { messageId: "m-1" });
 * // {"level":"WARN","message":"record failed","timestamp":"2024-05-01T12:00:00.000Z","messageId":"m-1"}
 * ```
 */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const clock = options.clock ?? Date.now;
  const write = options.write ?? writeStdout;
  // Failures of one batch usually share a millisecond: formatting the ISO date once per ms saves
  // ~1 µs per line, and the line is assembled as text instead of merging a new object per line.
  let lastMs = Number.NaN;
  let lastIso = "";
  function log(level: string, message: string, fields: Record<string, unknown>): void {
    const now = clock();
    if (now !== lastMs) {
      lastMs = now;
      lastIso = new Date(now).toISOString();
    }
    const encoded = encodeFields(fields);
    write(
      `{"level":"${level}","message":${JSON.stringify(message)},"timestamp":"${lastIso}"${encoded.length > 2 ? `,${encoded.slice(1)}` : "}"}`,
    );
  }
  return {
    info: (message, fields) => log("INFO", message, fields),
    warn: (message, fields) => log("WARN", message, fields),
    error: (message, fields) => log("ERROR", message, fields),
  };
}

function writeStdout(line: string): void {
  process.stdout.write(`${line}\n`);
}

// The fields are serialised in one JSON.stringify and spliced after the fixed keys: one native call
// instead of a merged object per line (which cost 2.5-4 µs) or a call per key and value (1.7 µs).
// A log line must never throw: a BigInt or a cycle in a user's fields would otherwise turn a logged
// failure into a crashed batch; then each value is encoded on its own, a bad one as its String().
function encodeFields(fields: Record<string, unknown>): string {
  try {
    return JSON.stringify(fields);
  } catch {
    const safe: Record<string, unknown> = {};
    for (const key in fields) {
      const value = fields[key];
      try {
        JSON.stringify(value);
        safe[key] = value;
      } catch {
        safe[key] = String(value);
      }
    }
    return JSON.stringify(safe);
  }
}
