import type { ReceiveSteps } from "./receiveSteps.js";
import { MessageState, type SqsMessage } from "./SqsMessage.js";

/**
 * The messages of a standard queue that are not in a flight lane: visible ones in a deque (array + head
 * index, compacted when half is consumed), and "outstanding" ones, delayed or in flight with a changed
 * visibility, so inspection, retention sweeps and the "nothing lost" invariant can find every held
 * message.
 *
 * Standard queues deliver oldest-visible first; a message whose visibility timeout ends goes to the
 * back. AWS promises no order for standard queues, so any order is faithful; this one is reproducible.
 *
 * @example
 * ```ts
 * const backlog = new StandardBacklog();
 * backlog.push(message); // visible
 * ```
 */
export class StandardBacklog {
  #visible: SqsMessage[] = [];
  #visibleHead = 0;
  readonly #outstanding = new Set<SqsMessage>();

  /** A message became visible: it goes to the back. */
  public push(message: SqsMessage): void {
    this.#visible.push(message);
  }

  /** A message is delayed, or in flight with a timer of its own: keep it findable. */
  public hold(message: SqsMessage): void {
    this.#outstanding.add(message);
  }

  /** A held message became visible, went back to a lane's care, or is gone. */
  public release(message: SqsMessage): void {
    this.#outstanding.delete(message);
  }

  /**
   * Appends to `received` up to `maxMessages` visible messages, oldest first, within `maxBytes` of
   * bodies (at least one message); messages past retention or redrive leave instead (`steps`).
   */
  public receive(
    received: SqsMessage[],
    maxMessages: number,
    maxBytes: number,
    now: number,
    visibilityTimeoutSeconds: number,
    batchId: string,
    steps: ReceiveSteps,
  ): void {
    let bytes = 0;
    while (received.length < maxMessages && this.#visibleHead < this.#visible.length) {
      const message = this.#visible[this.#visibleHead]!;
      if (
        message.state === MessageState.Visible &&
        received.length > 0 &&
        bytes + message.body.length > maxBytes
      )
        break;
      this.#visibleHead++;
      if (message.state !== MessageState.Visible) continue;
      if (steps.leavesQueue(message, now)) continue;
      steps.take(message, now, visibilityTimeoutSeconds, batchId);
      bytes += message.body.length;
      received.push(message);
    }
    if (this.#visibleHead > 1024 && this.#visibleHead * 2 > this.#visible.length) {
      this.#visible = this.#visible.slice(this.#visibleHead);
      this.#visibleHead = 0;
    }
  }

  /** Visible then outstanding messages not in `seen`, which it adds them to (inspection). */
  public *messages(seen: Set<SqsMessage>): Generator<SqsMessage> {
    for (let i = this.#visibleHead; i < this.#visible.length; i++) {
      const message = this.#visible[i]!;
      if (message.state === MessageState.Visible && !seen.has(message)) {
        seen.add(message);
        yield message;
      }
    }
    for (const message of this.#outstanding) {
      if (message.state !== MessageState.Gone && !seen.has(message)) {
        seen.add(message);
        yield message;
      }
    }
  }
}
