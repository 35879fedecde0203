import { assertOptions } from "./validate.js";

/** A value of a trace field. `undefined` fields are left out of the line. */
export type TraceValue = string | number | boolean | null | undefined;

/** The key=value part of a trace event, in the order the model wrote it (the line keeps that order). */
export type TraceFields = Readonly<Record<string, TraceValue>>;

/**
 * Receives every trace event as data. Invariant checkers listen here: they sit outside the models and
 * see exactly what the trace shows.
 */
export type TraceListener = (timeMs: number, source: string, kind: string, fields: TraceFields) => void;

/** Options of a trace. */
export interface TraceOptions {
  /** Keep the formatted lines in memory (`lines()`). Default false. */
  readonly collect?: boolean;
  /** Receives every formatted line (e.g. to stream a trace file). Default none. */
  readonly sink?: (line: string) => void;
}

const TRACE_OPTION_KEYS = ["collect", "sink"] as const;

/**
 * One stable line per simulated event: `<virtual ISO time> <source> <kind> key=value ...`.
 *
 * Cheap when off: models guard every emit with `if (trace.on)`, so a run without a sink or a listener
 * builds no field objects and formats no strings (the 1M-message benchmark runs that way).
 * Lines are byte-identical for the same seed: times are virtual, fields keep the order the model wrote
 * them, and values are rendered without locale or platform dependence.
 *
 * @example
 * ```ts
 * import { Simulation, Trace } from "@rebound/simulator";
 * const sim = new Simulation({ seed: 1 });
 * const trace = new Trace(() => sim.now(), { collect: true });
 * trace.emit("sqs:orders", "send", { messageId: "m-1", delaySeconds: 0 });
 * trace.lines(); // ["2026-01-01T00:00:00.000Z sqs:orders send messageId=m-1 delaySeconds=0"]
 * ```
 */
export class Trace {
  /** True when something consumes events; models check it before building fields. */
  public on: boolean;
  readonly #clock: () => number;
  readonly #collected: string[] | undefined;
  readonly #sink: ((line: string) => void) | undefined;
  readonly #listeners: TraceListener[] = [];
  #formatLines: boolean;

  public constructor(clock: () => number, options: TraceOptions = {}) {
    assertOptions("Trace", options, TRACE_OPTION_KEYS);
    if (typeof clock !== "function")
      throw new TypeError("Trace: clock must be a function returning epoch ms");
    this.#clock = clock;
    this.#collected = options.collect === true ? [] : undefined;
    this.#sink = options.sink;
    this.#formatLines = this.#collected !== undefined || this.#sink !== undefined;
    this.on = this.#formatLines;
  }

  /** Adds a structured listener; returns a function that removes it. */
  public listen(listener: TraceListener): () => void {
    this.#listeners.push(listener);
    this.on = true;
    return (): void => {
      const index = this.#listeners.indexOf(listener);
      if (index >= 0) this.#listeners.splice(index, 1);
      this.on = this.#formatLines || this.#listeners.length > 0;
    };
  }

  /** Records one event at the current virtual time. */
  public emit(source: string, kind: string, fields: TraceFields = EMPTY): void {
    if (!this.on) return;
    const timeMs = this.#clock();
    for (const listener of this.#listeners) listener(timeMs, source, kind, fields);
    if (!this.#formatLines) return;
    const line = formatTraceLine(timeMs, source, kind, fields);
    this.#collected?.push(line);
    this.#sink?.(line);
  }

  /** The collected lines (empty unless `collect: true`). */
  public lines(): readonly string[] {
    return this.#collected ?? [];
  }
}

const EMPTY: TraceFields = Object.freeze({});
const BARE = /^[A-Za-z0-9_.:/$@+\-#,|[\]]+$/;

/**
 * Formats one trace line. Strings that contain spaces, quotes or `=` are JSON-quoted so a line always
 * splits back into its fields.
 *
 * @example
 * ```ts
 * import { formatTraceLine } from "@rebound/simulator";
 * formatTraceLine(0, "lambda:pay", "attempt", { requestId: "r-1", result: "error" });
 * // "1970-01-01T00:00:00.000Z lambda:pay attempt requestId=r-1 result=error"
 * ```
 */
export function formatTraceLine(timeMs: number, source: string, kind: string, fields: TraceFields): string {
  let line = `${new Date(timeMs).toISOString()} ${source} ${kind}`;
  for (const key in fields) {
    const value = fields[key];
    if (value === undefined) continue;
    line += ` ${key}=${typeof value === "string" ? (BARE.test(value) ? value : JSON.stringify(value)) : String(value)}`;
  }
  return line;
}
