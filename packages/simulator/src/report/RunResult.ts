import type { Disposition } from "../engine/Outcomes.js";
import type { ObservedExecution } from "../scenario/evaluateExecution.js";
/**
 * What every `rebound simulate` run produces, one per scenario: the input of the summary, the HTML
 * report and `--json`. All virtual times are virtual epoch milliseconds (the run's clock), so
 * `atMs - virtualStartMs` is the time into the run.
 *
 * @example
 * ```ts
 * import { formatSummary, renderHtmlReport, type RunResult } from "@rebound/simulator";
 * const result: RunResult = await runScenario(scenario);
 * console.log(formatSummary(result));
 * writeFileSync("report.html", renderHtmlReport(result));
 * ```
 */
export interface RunResult {
  readonly scenario: {
    readonly name: string;
    readonly description: string;
    /** The scenario file, as the user named it. */
    readonly file: string;
  };
  readonly seed: number;
  /** The Terraform JSON that was run. */
  readonly stack: string;
  readonly virtualStartMs: number;
  /** Virtual time the run stopped at (idle, duration reached, or the cap). */
  readonly virtualEndMs: number;
  /** The virtual-time cap (start + duration or start + maxVirtual). */
  readonly virtualCapMs: number;
  /** Why the run stopped; `refused`: it never started, because AWS would refuse the stack. */
  readonly stoppedBecause: "idle" | "duration" | "cap" | "refused";
  /** Wall-clock milliseconds the run took (the only wall-clock number in a result). */
  readonly wallMs: number;
  /** One outcome per event (injected by the scenario, or produced by the stack: a message a handler sent). */
  readonly events: readonly RunEvent[];
  /**
   * Totals per source. Optional: when absent they are computed from `events`; a run that keeps
   * counts only (a million events) fills this and leaves `events` short or empty.
   */
  readonly sources?: readonly SourceTotals[];
  /** Attempts per source over virtual time (see `attemptSeriesFromEvents`). */
  readonly attemptSeries: readonly AttemptSeries[];
  /** Depth over virtual time of every DLQ, failure-destination and parking queue. */
  readonly queueDepthSeries: readonly QueueDepthSeries[];
  readonly expectations: readonly ExpectationResult[];
  /** Step Functions executions with their history's event types (empty without state machines). */
  readonly executions?: readonly ObservedExecution[];
  /** Terraform resources the simulator does not model: listed, never silently dropped. */
  readonly unmodelled: readonly UnmodelledResource[];
  /** Where the trace was written (`--trace FILE`), if it was. */
  readonly tracePath: string | undefined;
  /** Where the HTML report was written, if it was. */
  readonly reportPath: string | undefined;
  /** The command that reproduces this run exactly (same scenario, same seed). */
  readonly reproduce: string;
}

/**
 * Final dispositions: the outcome book's, `parked` included (the function itself moved a permanent
 * failure to its parking queue and returned success, so AWS saw no failure).
 */
export type RunDisposition = Disposition;

/** How one attempt ended for one event (the core model's `AttemptResult` values). */
export type RunAttemptResult =
  | "success"
  | "function-error"
  | "timeout"
  | "throttled"
  | "item-failure"
  | "invalid-response";

/** One attempt of one event. */
export interface RunAttempt {
  /** Virtual epoch ms the invocation started. */
  readonly atMs: number;
  /** Virtual epoch ms it ended (equal to `atMs` for a throttle). */
  readonly endMs?: number;
  readonly result: RunAttemptResult;
  /** Number of events in the batch this attempt delivered (1 for async and API). */
  readonly batchSize: number;
  readonly requestId: string;
  readonly functionName?: string;
  /** Lambda's errorType when the attempt failed. */
  readonly errorType?: string;
}

/** The outcome of one event. */
export interface RunEvent {
  /** Scenario event id (`e1`, `poison-1`, `orders#3`) or the model's key (message id, request id). */
  readonly id: string;
  /** The model's own key when `id` is a scenario id: message id, request id, sequence number, execution name. */
  readonly key?: string;
  /** `<kind>:<name>`: `apigw:orders`, `sqs:payments`, `lambda:receipts`, `dynamodb-stream:orders`, ... */
  readonly source: string;
  /** The event as delivered (message body, stream record, async payload), when the run kept it. */
  readonly payload?: unknown;
  readonly injectedAtMs: number;
  readonly attempts: readonly RunAttempt[];
  /** `null` when the event had not reached a final disposition when the run stopped. */
  readonly disposition: RunDisposition | null;
  readonly settledAtMs?: number;
  /** Where it ended: queue, destination or topic name. */
  readonly where?: string;
  /** Why, e.g. AWS's condition (`RetriesExhausted`, `EventAgeExceeded`). */
  readonly reason?: string;
  /** The record that was sent (destination record, DLQ message, API response). */
  readonly record?: unknown;
}

/** Counts per source. */
export interface SourceTotals {
  readonly source: string;
  readonly events: number;
  readonly attempts: number;
  /** Events per final disposition; events still pending are `unfinished`. */
  readonly dispositions: Readonly<Record<RunDisposition, number>>;
  readonly unfinished: number;
}

/** Attempts started in each bucket of virtual time `[atMs, atMs + bucketMs)`, for one source. */
export interface AttemptSeries {
  readonly source: string;
  readonly bucketMs: number;
  readonly points: readonly {
    readonly atMs: number;
    readonly ok: number;
    /** Function errors, timeouts, item failures and rejected responses. */
    readonly failed: number;
    readonly throttled: number;
  }[];
}

/** Depth of one queue: each point holds from its `atMs` until the next point. */
export interface QueueDepthSeries {
  readonly queue: string;
  readonly role: "dlq" | "destination" | "parking";
  readonly points: readonly { readonly atMs: number; readonly depth: number }[];
}

/** One evaluated expectation. */
export interface ExpectationResult {
  readonly name: string;
  readonly ok: boolean;
  /** What was found: counts, the offending ids (a few), or the measured time. */
  readonly detail: string;
}

/** A Terraform resource the simulator does not model. */
export interface UnmodelledResource {
  /** Terraform type, e.g. `aws_cloudwatch_metric_alarm`. */
  readonly type: string;
  /** Terraform resource name. */
  readonly name: string;
  /** Why it does not matter for retries, or what is missing. */
  readonly note?: string;
}

/** Every disposition in display order. */
export const RUN_DISPOSITIONS: readonly RunDisposition[] = [
  "processed",
  "dead-lettered",
  "sent-to-destination",
  "parked",
  "resting",
  "expired",
  "dropped",
  "failed",
];
