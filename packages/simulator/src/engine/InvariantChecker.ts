import { InvariantViolationError } from "./errors.js";
import type { Outcomes } from "./Outcomes.js";
import type { Trace, TraceFields } from "./Trace.js";

/** Which invariants to check. All default to true. */
export interface InvariantCheckerOptions {
  /** Every injected event reaches exactly one final disposition; nothing is settled twice or lost. */
  readonly exactlyOneDisposition?: boolean;
  /** FIFO queues: a message is delivered only after every earlier message of its group left the queue or is ahead of it in the same batch; one batch per group in flight. */
  readonly fifoOrder?: boolean;
  /** No message is delivered after it was deleted. */
  readonly noDeliveryAfterDeletion?: boolean;
}

interface MessageState {
  readonly group: string | undefined;
  inFlight: boolean;
  batch: string | undefined;
  gone: boolean;
  deleted: boolean;
}

interface GroupState {
  /** Messages of the group still in the queue, in send order. */
  outstanding: string[];
  head: number;
}

/** What the checker reads: the trace it listens to, the outcome book and the events models still hold. */
export interface InvariantEnv {
  readonly trace: Trace;
  readonly outcomes: Outcomes;
  /** Outcome ids of events still held by a model (in a queue, waiting for a retry, ...). */
  heldEventIds(): Set<number>;
}

/**
 * Checks the models from the outside, by listening to the trace: it never reads model state, so a bug in
 * a model cannot hide itself. Attach before injecting events, run, then call `violations()` or
 * `assert()`.
 *
 * @example
 * ```ts
 * import { InvariantChecker, Topology } from "@rebound/simulator";
 * const topology = new Topology({ seed });
 * const checker = new InvariantChecker(topology);
 * // ... build, inject, topology.run() ...
 * checker.assert(); // throws InvariantViolationError listing every violation
 * ```
 */
export class InvariantChecker {
  readonly #topology: InvariantEnv;
  readonly #options: Required<InvariantCheckerOptions>;
  readonly #injected = new Set<number>();
  readonly #settled = new Set<number>();
  readonly #violations: string[] = [];
  readonly #messages = new Map<string, MessageState>();
  readonly #groups = new Map<string, GroupState>();
  readonly #stop: () => void;

  public constructor(topology: InvariantEnv, options: InvariantCheckerOptions = {}) {
    this.#topology = topology;
    this.#options = {
      exactlyOneDisposition: options.exactlyOneDisposition ?? true,
      fifoOrder: options.fifoOrder ?? true,
      noDeliveryAfterDeletion: options.noDeliveryAfterDeletion ?? true,
    };
    this.#stop = topology.trace.listen((timeMs, source, kind, fields) =>
      this.#observe(timeMs, source, kind, fields),
    );
  }

  /** Stops listening. */
  public stop(): void {
    this.#stop();
  }

  /**
   * Every violation seen so far, plus the end-of-run check: each event without a disposition must still
   * be held by a model (in a queue, waiting for a retry); one that is not was lost.
   */
  public violations(): string[] {
    const found = [...this.#violations];
    if (this.#options.exactlyOneDisposition) {
      const held = this.#topology.heldEventIds();
      for (const id of this.#injected) {
        if (!this.#settled.has(id) && !held.has(id)) {
          found.push(
            `event ${id} (${this.#describe(id)}) has no final disposition and no model holds it: lost`,
          );
        }
      }
      const counts = this.#topology.outcomes.counts();
      if (counts.settledTwice > 0)
        found.push(`the outcome book counted ${counts.settledTwice} second settlement(s)`);
    }
    return found;
  }

  /** Throws `InvariantViolationError` when there is any violation. */
  public assert(): void {
    const found = this.violations();
    if (found.length > 0) throw new InvariantViolationError(found);
  }

  #describe(id: number): string {
    const outcome = this.#topology.outcomes.get(id);
    return outcome === undefined ? "no details in counts-only mode" : `${outcome.source} ${outcome.key}`;
  }

  #observe(timeMs: number, source: string, kind: string, fields: TraceFields): void {
    if (source === "outcome") {
      const id = fields["event"] as number;
      if (kind === "inject") {
        this.#injected.add(id);
      } else if (kind === "settle" && this.#options.exactlyOneDisposition) {
        if (!this.#injected.has(id)) this.#violate(timeMs, `event ${id} was settled but never injected`);
        if (this.#settled.has(id))
          this.#violate(timeMs, `event ${id} was settled twice (${String(fields["disposition"])})`);
        this.#settled.add(id);
      }
      return;
    }
    if (!source.startsWith("sqs:")) return;
    const messageId = fields["messageId"] as string | undefined;
    if (messageId === undefined) return;
    const key = `${source} ${messageId}`;
    switch (kind) {
      case "send": {
        const group = fields["group"] as string | undefined;
        this.#messages.set(key, { group, inFlight: false, batch: undefined, gone: false, deleted: false });
        if (group !== undefined) this.#group(source, group).outstanding.push(messageId);
        return;
      }
      case "deliver":
        this.#deliver(timeMs, source, key, messageId, fields["batch"] as string);
        return;
      case "visible": {
        const state = this.#messages.get(key);
        if (state !== undefined) state.inFlight = false;
        return;
      }
      case "delete":
      case "redrive":
      case "expire": {
        const state = this.#messages.get(key);
        if (state === undefined) return;
        state.inFlight = false;
        state.gone = true;
        if (kind === "delete") state.deleted = true;
        if (state.group !== undefined) this.#leaveGroup(source, state.group, messageId);
        return;
      }
      default:
    }
  }

  #deliver(timeMs: number, source: string, key: string, messageId: string, batch: string): void {
    const state = this.#messages.get(key);
    if (state === undefined) {
      this.#violate(timeMs, `${source}: ${messageId} delivered but never sent`);
      return;
    }
    if (state.deleted && this.#options.noDeliveryAfterDeletion) {
      this.#violate(timeMs, `${source}: ${messageId} delivered after it was deleted`);
    } else if (state.gone) {
      this.#violate(timeMs, `${source}: ${messageId} delivered after it left the queue`);
    }
    if (state.group !== undefined && this.#options.fifoOrder) {
      const group = this.#group(source, state.group);
      for (let i = group.head; i < group.outstanding.length; i++) {
        const other = group.outstanding[i]!;
        if (other === messageId) break;
        const otherState = this.#messages.get(`${source} ${other}`);
        if (otherState === undefined || otherState.gone) continue;
        if (!(otherState.inFlight && otherState.batch === batch)) {
          this.#violate(
            timeMs,
            `${source}: group ${state.group}: ${messageId} delivered while the earlier ${other} is still queued and not ahead of it in batch ${batch}`,
          );
          break;
        }
      }
      for (let i = group.head; i < group.outstanding.length; i++) {
        const otherState = this.#messages.get(`${source} ${group.outstanding[i]!}`);
        if (otherState?.inFlight && otherState.batch !== batch) {
          this.#violate(
            timeMs,
            `${source}: group ${state.group}: batch ${batch} delivered while batch ${otherState.batch} of the same group is in flight`,
          );
          break;
        }
      }
    }
    state.inFlight = true;
    state.batch = batch;
  }

  #group(source: string, group: string): GroupState {
    const key = `${source} ${group}`;
    let state = this.#groups.get(key);
    if (state === undefined) {
      state = { outstanding: [], head: 0 };
      this.#groups.set(key, state);
    }
    return state;
  }

  #leaveGroup(source: string, group: string, messageId: string): void {
    const state = this.#group(source, group);
    // Advance past every message that left; the rest stay for order checks.
    if (
      state.outstanding[state.head] === messageId ||
      this.#messages.get(`${source} ${state.outstanding[state.head]}`)?.gone
    ) {
      while (
        state.head < state.outstanding.length &&
        this.#messages.get(`${source} ${state.outstanding[state.head]!}`)?.gone
      ) {
        state.head++;
      }
    }
  }

  #violate(timeMs: number, message: string): void {
    if (this.#violations.length < 1000) this.#violations.push(`${new Date(timeMs).toISOString()} ${message}`);
  }
}
