import type { ReceiveSteps } from "./receiveSteps.js";
import { MessageState, type SqsMessage } from "./SqsMessage.js";

/** One message group of a FIFO queue: its messages in send order, and how many of them are in flight. */
interface FifoGroup {
  readonly messages: SqsMessage[];
  head: number;
  inFlight: number;
}

/**
 * The message groups of a FIFO queue, in first-seen order. A group's messages are delivered in order,
 * and a group with a message in flight delivers nothing more until it is deleted or visible again (one
 * batch per group at a time); a group whose messages are all gone is forgotten.
 *
 * @example
 * ```ts
 * const groups = new FifoGroups();
 * groups.add(message); // message.groupId "customer-1"
 * for (const message of groups.messages()) console.log(message.groupId, message.sequenceNumber);
 * ```
 */
export class FifoGroups {
  readonly #groups = new Map<string, FifoGroup>();

  /** Appends a message just sent to its group. */
  public add(message: SqsMessage): void {
    const groupId = message.groupId!;
    let group = this.#groups.get(groupId);
    if (group === undefined) {
      group = { messages: [], head: 0, inFlight: 0 };
      this.#groups.set(groupId, group);
    }
    group.messages.push(message);
  }

  /**
   * Appends to `received` up to `maxMessages` visible messages within `maxBytes` of bodies (at least one
   * message), walking the groups in first-seen order: a group's messages in order, and a group with
   * messages in flight returns nothing (one batch per group at a time). Messages past retention or
   * redrive leave instead (`steps`).
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
    for (const [groupId, group] of this.#groups) {
      if (received.length >= maxMessages) break;
      if (group.inFlight > 0) continue;
      skipGone(group);
      for (let i = group.head; i < group.messages.length && received.length < maxMessages; i++) {
        const message = group.messages[i]!;
        if (message.state === MessageState.Gone) continue;
        if (message.state !== MessageState.Visible) break;
        if (received.length > 0 && bytes + message.body.length > maxBytes) break;
        if (steps.leavesQueue(message, now)) continue;
        steps.take(message, now, visibilityTimeoutSeconds, batchId);
        bytes += message.body.length;
        group.inFlight++;
        received.push(message);
      }
      if (group.head >= group.messages.length) this.#groups.delete(groupId);
    }
  }

  /** The groups' messages, in group order (inspection). */
  public *messages(): Generator<SqsMessage> {
    for (const group of this.#groups.values()) {
      for (let i = group.head; i < group.messages.length; i++) {
        const message = group.messages[i]!;
        if (message.state !== MessageState.Gone) yield message;
      }
    }
  }

  /** A message of the group left flight (deleted, visible again, redriven, purged). */
  public leftFlight(message: SqsMessage): void {
    const group = this.#groups.get(message.groupId!);
    if (group !== undefined) group.inFlight--;
  }

  /** A message of the group is gone: moves the group's head past it and forgets an empty group. */
  public removed(message: SqsMessage): void {
    const group = this.#groups.get(message.groupId!);
    if (group !== undefined) {
      skipGone(group);
      if (group.head >= group.messages.length) this.#groups.delete(message.groupId!);
    }
  }
}

/** Moves a group's head past messages that are gone, compacting its array now and then. */
function skipGone(group: FifoGroup): void {
  while (group.head < group.messages.length && group.messages[group.head]!.state === MessageState.Gone)
    group.head++;
  if (group.head > 256 && group.head * 2 > group.messages.length) {
    group.messages.splice(0, group.head);
    group.head = 0;
  }
}
