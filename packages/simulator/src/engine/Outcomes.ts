import type { Trace } from "./Trace.js";

/**
 * The one final disposition of an injected event.
 * - `processed`: the function succeeded on it (async success, SQS message deleted after success, API 2xx...).
 * - `dead-lettered`: moved to a dead-letter queue (SQS redrive, or an async function's DLQ without an
 *   on-failure destination).
 * - `sent-to-destination`: an on-failure destination received the record (async or stream).
 * - `expired`: discarded because of its age with nowhere to go (SQS retention, async event age).
 * - `dropped`: discarded after its retries with nowhere to go, or undeliverable (e.g. SNS with no subscriber).
 * - `failed`: a synchronous caller received the error; nothing retries a sync invoke.
 *
 * @example
 * ```ts
 * import { Disposition } from "@rebound/simulator";
 * if (outcome.disposition === Disposition.DeadLettered) console.log("in the DLQ");
 * ```
 */
export const Disposition = {
  Processed: "processed",
  DeadLettered: "dead-lettered",
  SentToDestination: "sent-to-destination",
  Expired: "expired",
  Dropped: "dropped",
  Failed: "failed",
  /**
   * The function itself set the event aside in a parking queue of its own (a permanent failure it
   * will not retry) and reported success, so AWS saw no failure. Settled when the event's processing
   * ends, from the park message that named it (`park`).
   */
  Parked: "parked",
  /**
   * The event ended the run held in a queue that no event source mapping consumes (a plain DLQ, a
   * parking queue): nothing in the stack will ever touch it again, so where it rests is final.
   * Settled at the end of a scenario run (`settleRestingMessages`), not by any model.
   */
  Resting: "resting",
} as const;
/** One of `Disposition`'s values. */
export type Disposition = (typeof Disposition)[keyof typeof Disposition];

const DISPOSITIONS: readonly Disposition[] = Object.values(Disposition);
/** Disposition → its one-byte code (index + 1), without a search per settlement. */
const CODES: ReadonlyMap<string, number> = new Map(
  DISPOSITIONS.map((disposition, index) => [disposition, index + 1]),
);

/**
 * The result of one attempt as far as one event is concerned.
 *
 * @example
 * ```ts
 * import { AttemptResult } from "@rebound/simulator";
 * attempt.result === AttemptResult.FunctionError;
 * ```
 */
export const AttemptResult = {
  Success: "success",
  FunctionError: "function-error",
  Timeout: "timeout",
  Throttled: "throttled",
  /** The function returned normally and listed this item in `batchItemFailures`. */
  ItemFailure: "item-failure",
  /** The function returned a partial batch response AWS rejects, so the whole batch failed. */
  InvalidResponse: "invalid-response",
} as const;
/** One of `AttemptResult`'s values. */
export type AttemptResult = (typeof AttemptResult)[keyof typeof AttemptResult];

/** One attempt of one event: when, by whom, with which batch, and how it ended. */
export interface AttemptRecord {
  /** Virtual epoch ms the invocation started. */
  readonly startMs: number;
  /** Virtual epoch ms the invocation ended (equal to `startMs` for a throttle). */
  readonly endMs: number;
  /** Function name. */
  readonly functionName: string;
  readonly requestId: string;
  readonly result: AttemptResult;
  readonly errorType?: string;
  /** Keys (message ids, sequence numbers) of every event of the batch, in batch order; shared by its members. */
  readonly batch?: readonly string[];
  /** SQS ApproximateReceiveCount of this delivery. */
  readonly receiveCount?: number;
}

/** Extra facts of a final disposition. */
export interface SettleDetails {
  /** Where the event or its record went (queue, topic, function or bus ARN). */
  readonly target?: string;
  /** Why, in a few words or AWS's condition (`RetriesExhausted`, `EventAgeExceeded`...). */
  readonly reason?: string;
  /** The record or message that was sent (destination record, DLQ message, API response). */
  readonly record?: unknown;
  /** Further deliveries of the same settlement (e.g. the DLQ copy when an on-failure destination is also set). */
  readonly alsoSentTo?: readonly { readonly target: string; readonly record: unknown }[];
}

/** The JSON outcome of one injected event (detailed mode). */
export interface EventOutcome {
  readonly id: number;
  /** The event's own key: message id, request id, sequence number, execution name. */
  readonly key: string;
  /** Where it was injected: `sqs:orders`, `lambda:receipts`, `sns:order-events`... */
  readonly source: string;
  /** Virtual epoch ms it was injected (a number, not text: a million outcomes are held at once). */
  readonly injectedAtMs: number;
  /** The id of the event this one was derived from (a DLQ copy, a fan-out delivery, a destination record). */
  readonly parent?: number;
  readonly attempts: AttemptRecord[];
  disposition?: Disposition;
  /** Virtual epoch ms it reached its final disposition. */
  settledAtMs?: number;
  target?: string;
  reason?: string;
  record?: unknown;
  alsoSentTo?: readonly { readonly target: string; readonly record: unknown }[];
}

/** Totals of a run, available in both modes. */
export interface OutcomeCounts {
  readonly injected: number;
  readonly pending: number;
  readonly attempts: number;
  readonly settledTwice: number;
  readonly byDisposition: Readonly<Record<Disposition, number>>;
}

/** Options of an outcome book. */
export interface OutcomesOptions {
  /** Keep every attempt and record per event (JSON outcomes). Default true; turn off for million-event runs. */
  readonly detailed?: boolean;
  /** Receives `outcome inject` and `outcome settle` events. */
  readonly trace?: Trace;
}

/**
 * The book of every injected event: its attempts and its one final disposition.
 *
 * Two modes. Detailed keeps an `EventOutcome` per event (attempt timestamps, batch composition, the
 * record sent) for tests, scenarios and reports. Counts-only keeps one byte per event (its disposition
 * code) plus totals, which is what lets 1,000,000 events run in well under 1 GB: ~1 MB for the codes
 * instead of hundreds of bytes of objects per event. Both modes count an event settled twice, which
 * the invariant checker reports; the book itself never throws, so a model bug shows up as a finding.
 *
 * @example
 * ```ts
 * import { Disposition, Outcomes } from "@rebound/simulator";
 * const outcomes = new Outcomes(() => 0);
 * const id = outcomes.inject("sqs:orders", "m-1");
 * outcomes.settle(id, Disposition.Processed);
 * outcomes.counts().byDisposition.processed; // 1
 * ```
 */
export class Outcomes {
  public readonly detailed: boolean;
  readonly #clock: () => number;
  readonly #trace: Trace | undefined;
  #codes = new Uint8Array(1024);
  #injected = 0;
  #attempts = 0;
  #settledTwice = 0;
  readonly #byCode: number[] = new Array<number>(DISPOSITIONS.length + 1).fill(0);
  readonly #events: EventOutcome[] = [];
  /** Event key → the queue its park message went to, until the event settles. */
  readonly #parkedIn = new Map<string, string>();

  public constructor(clock: () => number, options: OutcomesOptions = {}) {
    this.#clock = clock;
    this.detailed = options.detailed ?? true;
    this.#trace = options.trace;
  }

  /** Registers an injected (or derived) event and returns its id. */
  public inject(source: string, key: string, parent?: number): number {
    const id = this.#injected++;
    if (id >= this.#codes.length) {
      const grown = new Uint8Array(this.#codes.length * 2);
      grown.set(this.#codes);
      this.#codes = grown;
    }
    if (this.detailed) {
      const outcome: EventOutcome = {
        id,
        key,
        source,
        injectedAtMs: this.#clock(),
        attempts: [],
      };
      if (parent !== undefined) (outcome as { parent?: number }).parent = parent;
      this.#events.push(outcome);
    }
    if (this.#trace?.on) this.#trace.emit("outcome", "inject", { event: id, source, key, parent });
    return id;
  }

  /** Records one attempt of an event. In counts-only mode only the total moves, so pass a shared object. */
  public attempt(id: number, attempt: AttemptRecord): void {
    this.#attempts++;
    if (!this.detailed) return;
    const outcome = this.#events[id];
    if (outcome === undefined) return;
    // Most events have one attempt: a one-element list, where a push onto [] would reserve 17 slots.
    if (outcome.attempts.length === 0) (outcome as { attempts: AttemptRecord[] }).attempts = [attempt];
    else outcome.attempts.push(attempt);
  }

  /** Counts attempts without recording them (counts-only fast path). */
  public countAttempts(count: number): void {
    this.#attempts += count;
  }

  /**
   * A park message naming these event keys (a message id, sequence number or request id) reached
   * `target`: when the event it names is processed, it settles as `parked` in `target` instead. Keys
   * are known only in detailed mode; counts-only runs keep such events as processed.
   */
  public park(keys: readonly string[], target: string): void {
    if (this.detailed) for (const key of keys) this.#parkedIn.set(key, target);
  }

  /** Records the final disposition of an event. Settling twice is counted, never thrown. */
  public settle(id: number, requested: Disposition, requestedDetails?: SettleDetails): void {
    let disposition = requested;
    let details = requestedDetails;
    if (requested === Disposition.Processed && this.#parkedIn.size > 0) {
      const key = this.#events[id]?.key;
      const parkedIn = key === undefined ? undefined : this.#parkedIn.get(key);
      if (parkedIn !== undefined) {
        this.#parkedIn.delete(key!);
        disposition = Disposition.Parked;
        details = { ...requestedDetails, target: parkedIn };
      }
    }
    const code = CODES.get(disposition) ?? 0;
    if (code === 0) throw new RangeError(`unknown disposition ${String(disposition)}`);
    const previous = this.#codes[id] ?? 0;
    if (previous !== 0) {
      this.#settledTwice++;
    } else {
      this.#codes[id] = code;
      this.#byCode[code]!++;
      if (this.detailed) {
        const outcome = this.#events[id];
        if (outcome !== undefined) {
          outcome.disposition = disposition;
          outcome.settledAtMs = this.#clock();
          if (details?.target !== undefined) outcome.target = details.target;
          if (details?.reason !== undefined) outcome.reason = details.reason;
          if (details?.record !== undefined) outcome.record = details.record;
          if (details?.alsoSentTo !== undefined) outcome.alsoSentTo = details.alsoSentTo;
        }
      }
    }
    if (this.#trace?.on) {
      this.#trace.emit("outcome", "settle", {
        event: id,
        disposition,
        reason: details?.reason,
        target: details?.target,
        again: previous !== 0 ? true : undefined,
      });
    }
  }

  /** The disposition of an event, or undefined while it is pending. */
  public dispositionOf(id: number): Disposition | undefined {
    const code = this.#codes[id] ?? 0;
    return code === 0 ? undefined : DISPOSITIONS[code - 1];
  }

  /** Number of events injected so far (ids run from 0 to this minus one). */
  public get size(): number {
    return this.#injected;
  }

  /** Totals of the run. */
  public counts(): OutcomeCounts {
    const byDisposition = {} as Record<Disposition, number>;
    let settled = 0;
    DISPOSITIONS.forEach((disposition, index) => {
      byDisposition[disposition] = this.#byCode[index + 1]!;
      settled += this.#byCode[index + 1]!;
    });
    return {
      injected: this.#injected,
      pending: this.#injected - settled,
      attempts: this.#attempts,
      settledTwice: this.#settledTwice,
      byDisposition,
    };
  }

  /** Ids of events without a final disposition. */
  public pendingIds(): number[] {
    const ids: number[] = [];
    for (let id = 0; id < this.#injected; id++) if (this.#codes[id] === 0) ids.push(id);
    return ids;
  }

  /** One event's outcome (detailed mode only). */
  public get(id: number): EventOutcome | undefined {
    return this.#events[id];
  }

  /** Every event's outcome, in injection order (detailed mode only; empty otherwise). */
  public all(): readonly EventOutcome[] {
    return this.#events;
  }

  /**
   * Hands every event's outcome to `take`, in injection order, and forgets each one after it (the
   * totals stay). What a finished run does to turn the book into its result without holding both at
   * once: at a million events each is hundreds of megabytes.
   */
  public drain(take: (outcome: EventOutcome) => void): void {
    for (let index = 0; index < this.#events.length; index++) {
      const outcome = this.#events[index];
      if (outcome === undefined) continue;
      (this.#events as (EventOutcome | undefined)[])[index] = undefined;
      take(outcome);
    }
    this.#events.length = 0;
  }

  /** The outcome of the first event with this key (detailed mode only). */
  public byKey(key: string): EventOutcome | undefined {
    return this.#events.find((event) => event.key === key);
  }

  /** JSON form: totals, plus every outcome in detailed mode. */
  public toJSON(): { counts: OutcomeCounts; events: readonly EventOutcome[] } {
    return { counts: this.counts(), events: this.#events };
  }
}
