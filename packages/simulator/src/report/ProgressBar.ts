import { formatVirtualDuration } from "./formatVirtualDuration.js";

/** The part of a writable stream the bar uses (process.stdout fits). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

/** Options of a progress bar. */
export interface ProgressBarOptions {
  /** Where to draw. Default `process.stdout`. Nothing is drawn unless it is a TTY. */
  readonly stream?: ProgressStream;
  /** `false` turns the bar off (the CLI passes `!json`). Default true. */
  readonly enabled?: boolean;
  /** Wall clock in ms, for the redraw rate limit. Default `performance.now`. */
  readonly clock?: () => number;
  /** Minimum wall time between redraws. Default 100 ms (10 redraws per second at most). */
  readonly minIntervalMs?: number;
  /** Label drawn before the bar, e.g. the scenario name. */
  readonly label?: string;
}

/** Where a run is. */
export interface ProgressState {
  /** Virtual time covered so far, from the start of the run. */
  readonly virtualMs: number;
  /** Virtual-time cap of the run. */
  readonly capMs: number;
  /** Events that reached a final disposition so far. */
  readonly eventsProcessed: number;
  /** Invocations so far; shown as a rate per wall second when given. */
  readonly attempts?: number;
}

/** How often a non-terminal gets a progress line, in wall milliseconds. */
const LINE_INTERVAL_MS = 5_000;

const OPTION_KEYS = ["stream", "enabled", "clock", "minIntervalMs", "label"] as const;

/**
 * A one-line progress bar for a terminal: virtual time covered out of the cap, and events processed.
 * Draws only when the stream is a TTY and the bar is enabled (never into a pipe, a file or `--json`
 * output), and redraws at most every `minIntervalMs` of wall time (default 100 ms), so updating it on
 * every simulation step costs one clock read. `finish()` erases the line.
 *
 * @example
 * ```ts
 * import { ProgressBar } from "@rebound/simulator";
 * const bar = new ProgressBar({ enabled: !json, label: scenario.name });
 * sim.onStep(() => bar.update({ virtualMs: sim.elapsedMs, capMs, eventsProcessed: outcomes.settled }));
 * bar.finish();
 * ```
 */
export class ProgressBar {
  /** Whether anything will be drawn. */
  public readonly active: boolean;
  readonly #stream: ProgressStream;
  readonly #clock: () => number;
  readonly #minIntervalMs: number;
  readonly #label: string;
  #lastDrawMs = Number.NEGATIVE_INFINITY;
  #drawn = false;
  #last: ProgressState | undefined;

  public constructor(options: ProgressBarOptions = {}) {
    for (const key of Object.keys(options)) {
      if (!(OPTION_KEYS as readonly string[]).includes(key)) {
        throw new TypeError(`unknown ProgressBar option "${key}"; allowed: ${OPTION_KEYS.join(", ")}`);
      }
    }
    const minIntervalMs = options.minIntervalMs ?? 100;
    if (!(minIntervalMs >= 0) || !Number.isFinite(minIntervalMs)) {
      throw new RangeError(`ProgressBar minIntervalMs must be a finite number ≥ 0, got ${minIntervalMs}`);
    }
    this.#stream = options.stream ?? process.stdout;
    this.#clock = options.clock ?? (() => performance.now());
    this.#minIntervalMs = minIntervalMs;
    this.#label = options.label ?? "";
    const enabled = options.enabled ?? true;
    this.active = enabled && this.#stream.isTTY === true;
    // Not a terminal (CI, a pipe): no bar to redraw, but a long run still says it is alive.
    this.#lines = enabled && this.#stream.isTTY !== true;
    this.#startMs = this.#clock();
  }

  readonly #lines: boolean;
  readonly #startMs: number;
  #lastLineMs = 0;

  /** Records the state and redraws if the last redraw is at least `minIntervalMs` old. */
  public update(state: ProgressState): void {
    if (this.#lines) {
      const now = this.#clock();
      if (now - this.#startMs >= LINE_INTERVAL_MS && now - this.#lastLineMs >= LINE_INTERVAL_MS) {
        this.#lastLineMs = now;
        this.#stream.write(
          `${this.#label === "" ? "" : `${this.#label} `}${this.#stats(state, now).trim()}\n`,
        );
      }
      return;
    }
    if (!this.active) return;
    this.#last = state;
    const now = this.#clock();
    if (now - this.#lastDrawMs < this.#minIntervalMs) return;
    this.#lastDrawMs = now;
    this.#draw(state);
  }

  /** Erases the bar so the summary starts on a clean line. */
  public finish(): void {
    if (!this.active || !this.#drawn) return;
    this.#stream.write("\r\x1b[2K");
    this.#drawn = false;
  }

  /** The line that would be drawn for a state (without control characters). */
  public render(state: ProgressState): string {
    const columns = Math.max(40, Math.min(this.#stream.columns ?? 80, 120));
    const fraction = state.capMs > 0 ? Math.min(1, Math.max(0, state.virtualMs / state.capMs)) : 1;
    const text = this.#stats(state, this.#clock());
    const label = this.#label === "" ? "" : `${this.#label} `;
    const barWidth = Math.max(10, columns - 1 - label.length - text.length - 2);
    const filled = Math.round(fraction * barWidth);
    const line = `${label}▕${"█".repeat(filled)}${"░".repeat(barWidth - filled)}▏${text}`;
    return line.length >= columns ? line.slice(0, columns - 1) : line;
  }

  /** "N% virtual T / CAP · E events · A attempts/s". */
  #stats(state: ProgressState, now: number): string {
    const fraction = state.capMs > 0 ? Math.min(1, Math.max(0, state.virtualMs / state.capMs)) : 1;
    const seconds = (now - this.#startMs) / 1000;
    const rate =
      state.attempts === undefined || seconds <= 0
        ? ""
        : ` · ${Math.round(state.attempts / seconds).toLocaleString("en-US")} attempts/s`;
    return (
      ` ${String(Math.floor(fraction * 100)).padStart(3)}% virtual ${formatVirtualDuration(state.virtualMs)}` +
      ` / ${formatVirtualDuration(state.capMs)} · ${state.eventsProcessed.toLocaleString("en-US")} events${rate}`
    );
  }

  #draw(state: ProgressState): void {
    this.#stream.write(`\r\x1b[2K${this.render(state)}`);
    this.#drawn = true;
  }

  /** The last state given to `update`, drawn or not. */
  public get last(): ProgressState | undefined {
    return this.#last;
  }
}
