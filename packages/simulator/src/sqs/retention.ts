import type { ModelEnv } from "../engine/ModelEnv.js";
import { Disposition } from "../engine/Outcomes.js";
import type { Simulation } from "../engine/Simulation.js";
import type { SqsMessage } from "./SqsMessage.js";

/** True when the message was enqueued `retentionMs` or more before `now` (MessageRetentionPeriod). */
export function isPastRetention(message: SqsMessage, retentionMs: number, now: number): boolean {
  return message.enqueuedMs + retentionMs <= now;
}

/** Records a message's expiry (already removed from its queue): the trace line and the settlement. */
export function settleExpired(
  env: ModelEnv,
  source: string,
  queueArn: string,
  messageRetentionPeriodSeconds: number,
  message: SqsMessage,
): void {
  if (env.trace.on) env.trace.emit(source, "expire", { messageId: message.messageId });
  env.outcomes.settle(message.eventId, Disposition.Expired, {
    target: queueArn,
    reason: `messageRetentionPeriodSeconds ${messageRetentionPeriodSeconds} passed`,
  });
}

/**
 * Retention by one sweep at the oldest possible expiry, so a million messages do not cost a million
 * timers. The sweep is a daemon event: `run()` stops when nothing but retention is left, so messages
 * parked in a DLQ stay there for inspection; `run(untilMs)` past their retention expires them.
 * `sweep(now)` removes what expired and returns the earliest expiry left (+Infinity when none).
 *
 * @example
 * ```ts
 * const retention = new RetentionSweep(simulation, 60_000, (now) => Number.POSITIVE_INFINITY);
 * retention.schedule(simulation.now()); // a sweep in 60 s
 * ```
 */
export class RetentionSweep {
  readonly #simulation: Simulation;
  readonly #retentionMs: number;
  readonly #sweep: (now: number) => number;
  #sweepAtMs = Number.POSITIVE_INFINITY;

  public constructor(simulation: Simulation, retentionMs: number, sweep: (now: number) => number) {
    this.#simulation = simulation;
    this.#retentionMs = retentionMs;
    this.#sweep = sweep;
  }

  /** Makes sure a sweep runs when a message enqueued at `enqueuedMs` expires. */
  public schedule(enqueuedMs: number): void {
    const expiry = enqueuedMs + this.#retentionMs;
    if (expiry >= this.#sweepAtMs) return;
    this.#sweepAtMs = expiry;
    this.#simulation.daemonAt(expiry, () => this.#run(expiry));
  }

  #run(scheduledFor: number): void {
    if (scheduledFor !== this.#sweepAtMs) return;
    this.#sweepAtMs = Number.POSITIVE_INFINITY;
    const next = this.#sweep(this.#simulation.now());
    if (next !== Number.POSITIVE_INFINITY) this.schedule(next - this.#retentionMs);
  }
}
