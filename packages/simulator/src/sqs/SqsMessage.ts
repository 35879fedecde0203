import { md5OfBody, type SqsMessageAttributeValue } from "./sqsMd5.js";

/**
 * @internal Where a message is in its queue's life: delayed (DelaySeconds), visible, in flight (received,
 * hidden by the visibility timeout) or gone (deleted, redriven, expired, purged).
 */
export enum MessageState {
  Delayed = 0,
  Visible = 1,
  InFlight = 2,
  Gone = 3,
}

/**
 * @internal The part of an in-flight lane (flightLanes.ts) a message needs to clear its own slot when it
 * leaves flight early. Declared here so the message does not depend on the lanes that depend on it.
 */
export interface LaneSlots {
  readonly entries: (SqsMessage | null)[];
  /** Absolute slot of entries[0]. */
  readonly offset: number;
}

/**
 * One message as the queue holds it. Models read it; only the queue changes it.
 * `receiveCount` doubles as the receipt generation: a receipt handle is valid only for the receive that
 * produced it.
 *
 * @example
 * ```ts
 * const [message] = queue.receive(1, 30, "batch-1");
 * message?.receiptHandle; // "<messageId>#1"
 * ```
 */
export class SqsMessage {
  public receiveCount = 0;
  public firstReceiveMs = 0;
  public visibleAtMs = 0;
  /** @internal The in-flight lane holding this message and its absolute slot there. */
  public flightLane: LaneSlots | undefined;
  /** @internal */
  public flightSlot = 0;
  /** Set when the message has attributes (SQS's encoding, computed once at send). */
  public md5OfMessageAttributes: string | undefined;
  /** On a message SQS moved here from a source queue's redrive: that queue (`DeadLetterQueueSourceArn`). */
  public deadLetterQueueSourceArn: string | undefined;
  /** @internal One of {@link MessageState}. */
  public state: number = MessageState.Delayed;

  #md5OfBody: string | undefined;

  public constructor(
    public readonly messageId: string,
    public readonly body: string,
    /** Known already (a redriven copy), or undefined: computed on first read. */
    md5OfBody: string | undefined,
    public readonly sentMs: number,
    /** Retention runs from here: the original enqueue time, kept across a standard-queue redrive. */
    public readonly enqueuedMs: number,
    /** Outcome id of the event this message carries. */
    public readonly eventId: number,
    public readonly messageAttributes: Readonly<Record<string, SqsMessageAttributeValue>> | undefined,
    public readonly groupId: string | undefined,
    public readonly deduplicationId: string | undefined,
    public readonly sequenceNumber: string | undefined,
  ) {
    this.#md5OfBody = md5OfBody;
  }

  /**
   * MD5 of the body (hex), as `md5OfBody` in Lambda's record. Computed when first read and kept: only a
   * consumer that reads records needs it, and hashing every body at send was a fifth of the 1M-message
   * benchmark.
   */
  public get md5OfBody(): string {
    this.#md5OfBody ??= md5OfBody(this.body);
    return this.#md5OfBody;
  }

  /** @internal The MD5 if it was computed already (a redrive copies it without computing it). */
  public get knownMd5OfBody(): string | undefined {
    return this.#md5OfBody;
  }

  /** The opaque handle of the current receive. */
  public get receiptHandle(): string {
    return `${this.messageId}#${this.receiveCount}`;
  }
}
