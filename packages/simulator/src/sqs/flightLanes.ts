import type { Simulation } from "../engine/Simulation.js";
import { MessageState, type SqsMessage } from "./SqsMessage.js";

/**
 * Messages received with the same visibility timeout, in receive order: their deadlines only grow, so
 * one timer for the head serves the whole lane. A message leaving flight (deleted, redriven) clears its
 * slot, so it can be collected at once instead of living until its deadline; with a 60 s visibility
 * timeout and a million messages this is the difference between tens of thousands of messages promoted
 * to the old generation and none.
 */
interface FlightLane {
  readonly visibilityMs: number;
  readonly entries: (SqsMessage | null)[];
  /** The receive count each entry had when it entered: a later receive makes the slot stale. */
  readonly counts: number[];
  readonly deadlines: number[];
  /** Absolute slot of entries[0]. */
  offset: number;
  head: number;
  armed: boolean;
}

/**
 * A queue's in-flight messages, one lane per visibility timeout, and the timers that end their
 * visibility. When a lane's head deadline passes, the messages still in flight from that receive are
 * handed to `onVisibilityTimeout` (the queue makes them visible again or expires them).
 *
 * @example
 * ```ts
 * const lanes = new FlightLanes(simulation, (messages) => console.log(`${messages.length} visible again`));
 * lanes.enter(message, 30_000);
 * ```
 */
export class FlightLanes {
  readonly #simulation: Simulation;
  readonly #onVisibilityTimeout: (messages: readonly SqsMessage[]) => void;
  readonly #lanes = new Map<number, FlightLane>();

  public constructor(simulation: Simulation, onVisibilityTimeout: (messages: readonly SqsMessage[]) => void) {
    this.#simulation = simulation;
    this.#onVisibilityTimeout = onVisibilityTimeout;
  }

  /** Puts a message just received (its `visibleAtMs` set) at the back of its lane. */
  public enter(message: SqsMessage, visibilityMs: number): void {
    let lane = this.#lanes.get(visibilityMs);
    if (lane === undefined) {
      lane = { visibilityMs, entries: [], counts: [], deadlines: [], offset: 0, head: 0, armed: false };
      this.#lanes.set(visibilityMs, lane);
    }
    message.flightLane = lane;
    message.flightSlot = lane.offset + lane.entries.length;
    lane.entries.push(message);
    lane.counts.push(message.receiveCount);
    lane.deadlines.push(message.visibleAtMs);
    if (!lane.armed) this.#arm(lane);
  }

  /** Clears the message's slot (it left flight, or its visibility was changed and has a timer of its own). */
  public leave(message: SqsMessage): void {
    const lane = message.flightLane;
    if (lane === undefined) return;
    const index = message.flightSlot - lane.offset;
    if (index >= 0 && lane.entries[index] === message) lane.entries[index] = null;
    message.flightLane = undefined;
  }

  /** Every in-flight message still in a lane and not in `seen`, which it adds them to (inspection). */
  public *inFlight(seen: Set<SqsMessage>): Generator<SqsMessage> {
    for (const lane of this.#lanes.values()) {
      for (let i = lane.head; i < lane.entries.length; i++) {
        const message = lane.entries[i];
        if (
          message !== null &&
          message !== undefined &&
          message.state === MessageState.InFlight &&
          !seen.has(message)
        ) {
          seen.add(message);
          yield message;
        }
      }
    }
  }

  #arm(lane: FlightLane): void {
    // Skip cleared slots so the timer fires only for a message still in flight.
    while (lane.head < lane.entries.length && lane.entries[lane.head] === null) lane.head++;
    if (lane.head >= lane.entries.length) {
      lane.armed = false;
      lane.entries.length = 0;
      lane.counts.length = 0;
      lane.deadlines.length = 0;
      lane.offset += lane.head;
      lane.head = 0;
      return;
    }
    lane.armed = true;
    this.#simulation.callAt(lane.deadlines[lane.head]!, this.#drainCall, lane, undefined, undefined);
  }

  readonly #drainCall = (lane: FlightLane): void => this.#drain(lane);

  #drain(lane: FlightLane): void {
    const now = this.#simulation.now();
    const returned: SqsMessage[] = [];
    while (lane.head < lane.entries.length && lane.deadlines[lane.head]! <= now) {
      const message = lane.entries[lane.head];
      const count = lane.counts[lane.head]!;
      lane.entries[lane.head] = null;
      lane.head++;
      if (
        message !== null &&
        message !== undefined &&
        message.state === MessageState.InFlight &&
        message.receiveCount === count
      ) {
        returned.push(message);
      }
    }
    if (lane.head > 4096 && lane.head * 2 > lane.entries.length) {
      lane.entries.splice(0, lane.head);
      lane.counts.splice(0, lane.head);
      lane.deadlines.splice(0, lane.head);
      lane.offset += lane.head;
      lane.head = 0;
    }
    this.#arm(lane);
    if (returned.length > 0) this.#onVisibilityTimeout(returned);
  }
}
