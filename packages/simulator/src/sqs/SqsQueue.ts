import { fifoSequenceNumber } from "../engine/fifoSequenceNumber.js";
import type { ModelEnv } from "../engine/ModelEnv.js";
import { Disposition } from "../engine/Outcomes.js";
import { assertIntInRange } from "../engine/validate.js";
import { DeduplicationWindow } from "./fifoDeduplication.js";
import { FifoGroups } from "./fifoGroups.js";
import { FlightLanes } from "./flightLanes.js";
import type { ReceiveSteps } from "./receiveSteps.js";
import { checkDeadLetterQueue, moveToDeadLetterQueue } from "./redrive.js";
import { isPastRetention, RetentionSweep, settleExpired } from "./retention.js";
import { MessageState, SqsMessage } from "./SqsMessage.js";
import {
  checkBodySize,
  checkSendMessage,
  NO_OPTIONS,
  type SendMessageOptions,
} from "./sendMessageOptions.js";
import { md5OfMessageAttributes, type SqsMessageAttributeValue } from "./sqsMd5.js";
import { resolveSqsQueueConfig, type SqsQueueConfig, type SqsRedrivePolicy } from "./sqsQueueConfig.js";
import { StandardBacklog } from "./standardBacklog.js";

/** Something that consumes a queue (an event source mapping): told when messages may be available. */
export interface QueueConsumer {
  notify(): void;
}

/** What a queue needs from the topology: the model environment and the queues its redrive names. */
export interface SqsQueueEnv extends ModelEnv {
  /** A queue by name, ARN or URL; throws `ResourceNotFoundError` naming `where` when there is none. */
  queue(reference: string, where?: string): SqsQueue;
}

/**
 * An SQS queue, standard or FIFO, on the virtual clock: delay, visibility timeout, receive count,
 * redrive to the DLQ at `maxReceiveCount` (same message id), retention, FIFO groups and deduplication.
 * This class is the API (send, receive, delete, change visibility, inspection) and the message
 * counts; the rules live beside it: configuration in sqsQueueConfig.ts, send checks in
 * sendMessageOptions.ts, standard-queue order in standardBacklog.ts, FIFO groups and deduplication in
 * fifoGroups.ts and fifoDeduplication.ts, visibility timers in flightLanes.ts, the DLQ move in
 * redrive.ts, retention in retention.ts.
 *
 * Choices where AWS is silent or best-effort (documented in the README):
 * - Standard queues deliver oldest-visible first (standardBacklog.ts); AWS promises no order for
 *   standard queues, so any order is faithful; this one is reproducible.
 * - Redrive happens on the receive that would exceed `maxReceiveCount` (the function is not invoked
 *   again), as observed on AWS. The DLQ copy keeps message id, body, attributes and, for a standard DLQ,
 *   the original enqueue time (retention keeps running); a FIFO DLQ resets it, as AWS documents.
 *   Its receive count starts again at 0.
 * - Retention is enforced by a sweep at the oldest possible expiry, so a million messages do not cost a
 *   million timers; a message in flight when it expires is removed when its visibility timeout ends.
 *   The sweep is a daemon event: `run()` stops when nothing but retention is left, so messages parked
 *   in a DLQ stay there for inspection; `run(untilMs)` past their retention expires them.
 *
 * @example
 * ```ts
 * const queue = topology.addQueue({ queueName: "orders", visibilityTimeoutSeconds: 60,
 *   redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 } });
 * queue.sendMessage(JSON.stringify({ orderId: 1 }));
 * ```
 */
export class SqsQueue {
  public readonly queueName: string;
  public readonly arn: string;
  public readonly url: string;
  public readonly fifo: boolean;
  public readonly visibilityTimeoutSeconds: number;
  public readonly messageRetentionPeriodSeconds: number;
  public readonly delaySeconds: number;
  public readonly maximumMessageSize: number;
  public readonly redrivePolicy: SqsRedrivePolicy | undefined;
  public readonly contentBasedDeduplication: boolean;
  public consumer: QueueConsumer | undefined;
  /** Messages received (deliveries), for benchmarks and summaries. */
  public receives = 0;
  readonly #topology: SqsQueueEnv;
  readonly #source: string;
  readonly #retentionMs: number;
  // Standard: visible, delayed and re-timed in-flight messages (the other in-flight ones are in a lane).
  readonly #standard = new StandardBacklog();
  // FIFO: groups in first-seen order, and the deduplication ids of the last 5 minutes.
  readonly #groups = new FifoGroups();
  readonly #deduplication = new DeduplicationWindow();
  #sequence = 0n;
  #count = 0;
  #inFlight = 0;
  #delayed = 0;
  readonly #lanes: FlightLanes;
  readonly #retention: RetentionSweep;
  readonly #receiveSteps: ReceiveSteps;
  /** The details of every "processed" settlement, built once (the book copies what it keeps). */
  readonly #processed: { readonly target: string };

  public constructor(topology: SqsQueueEnv, config: SqsQueueConfig) {
    const resolved = resolveSqsQueueConfig(config);
    this.#topology = topology;
    this.queueName = resolved.queueName;
    this.fifo = resolved.fifo;
    this.arn = `arn:aws:sqs:${topology.region}:${topology.accountId}:${resolved.queueName}`;
    this.url = `https://sqs.${topology.region}.amazonaws.com/${topology.accountId}/${resolved.queueName}`;
    this.visibilityTimeoutSeconds = resolved.visibilityTimeoutSeconds;
    this.messageRetentionPeriodSeconds = resolved.messageRetentionPeriodSeconds;
    this.delaySeconds = resolved.delaySeconds;
    this.maximumMessageSize = resolved.maximumMessageSize;
    this.redrivePolicy = resolved.redrivePolicy;
    this.contentBasedDeduplication = resolved.contentBasedDeduplication;
    this.#source = `sqs:${resolved.queueName}`;
    this.#retentionMs = resolved.messageRetentionPeriodSeconds * 1000;
    this.#processed = Object.freeze({ target: this.arn });
    this.#lanes = new FlightLanes(topology.simulation, (batch) => this.#visibilityTimeout(batch));
    this.#retention = new RetentionSweep(topology.simulation, this.#retentionMs, (now) => this.#sweep(now));
    this.#receiveSteps = {
      leavesQueue: (message, now) => this.#expiredOrRedriven(message, now),
      take: (message, now, visibilityTimeoutSeconds, batchId) =>
        this.#take(message, now, visibilityTimeoutSeconds, batchId),
    };
  }

  /** Checks what can only be checked once every resource exists (the DLQ). */
  public validateReferences(): void {
    if (this.redrivePolicy === undefined) return;
    checkDeadLetterQueue(this, this.#deadLetterQueue(this.redrivePolicy));
  }

  #deadLetterQueue(policy: SqsRedrivePolicy): SqsQueue {
    return this.#topology.queue(
      policy.deadLetterTargetArn,
      `${this.queueName} redrivePolicy.deadLetterTargetArn`,
    );
  }

  /** Messages held: visible, in flight and delayed (ApproximateNumberOfMessages + NotVisible + Delayed). */
  public get size(): number {
    return this.#count;
  }

  /** ApproximateNumberOfMessagesNotVisible. */
  public get inFlight(): number {
    return this.#inFlight;
  }

  /** ApproximateNumberOfMessagesDelayed. */
  public get delayed(): number {
    return this.#delayed;
  }

  /** ApproximateNumberOfMessages (visible). */
  public get visible(): number {
    return this.#count - this.#inFlight - this.#delayed;
  }

  /**
   * SendMessage. Returns the message id, or undefined when a FIFO queue dropped it as a duplicate
   * within the 5-minute deduplication interval (SQS answers success and does not deliver it twice).
   * `parent` links the outcome of a derived message (a destination record, a fan-out copy).
   */
  public sendMessage(
    body: string,
    options: SendMessageOptions = NO_OPTIONS,
    parent?: number,
  ): string | undefined {
    if (options === NO_OPTIONS && !this.fifo && typeof body === "string" && body.length > 0) {
      // Fast path for a plain send to a standard queue (the 1M-message benchmark): the same checks,
      // without building the error context or counting UTF-8 bytes of a body that cannot be too long
      // (a UTF-16 code unit is at most 3 bytes of UTF-8).
      if (body.length * 3 > this.maximumMessageSize)
        checkBodySize(`sendMessage(${this.queueName})`, body, this.maximumMessageSize);
      const messageId = this.#topology.newId();
      const eventId = this.#topology.outcomes.inject(this.#source, messageId, parent);
      this.#accept(
        messageId,
        body,
        undefined,
        undefined,
        undefined,
        this.delaySeconds,
        eventId,
        undefined,
        undefined,
      );
      return messageId;
    }
    const deduplicationId = checkSendMessage(`sendMessage(${this.queueName})`, body, options, this);
    if (
      deduplicationId !== undefined &&
      !this.#deduplication.admit(deduplicationId, this.#topology.simulation.now())
    ) {
      if (this.#topology.trace.on)
        this.#topology.trace.emit(this.#source, "deduplicated", { deduplicationId });
      return undefined;
    }
    const messageId = this.#topology.newId();
    const eventId = this.#topology.outcomes.inject(this.#source, messageId, parent);
    this.#accept(
      messageId,
      body,
      options.messageAttributes,
      options.messageGroupId,
      deduplicationId,
      options.delaySeconds ?? this.delaySeconds,
      eventId,
      undefined,
      undefined,
    );
    return messageId;
  }

  /** Moves a message here from its source queue on redrive: same id, body and attributes. @internal */
  public acceptRedriven(message: SqsMessage, parent: number, sourceArn: string): void {
    const eventId = this.#topology.outcomes.inject(this.#source, message.messageId, parent);
    this.#accept(
      message.messageId,
      message.body,
      message.messageAttributes,
      message.groupId,
      message.deduplicationId,
      0,
      eventId,
      this.fifo ? undefined : message.enqueuedMs,
      message.knownMd5OfBody,
      sourceArn,
    );
  }

  #accept(
    messageId: string,
    body: string,
    attributes: Readonly<Record<string, SqsMessageAttributeValue>> | undefined,
    groupId: string | undefined,
    deduplicationId: string | undefined,
    delaySeconds: number,
    eventId: number,
    enqueuedMs: number | undefined,
    md5: string | undefined,
    deadLetterQueueSourceArn?: string,
  ): void {
    const sim = this.#topology.simulation;
    const now = sim.now();
    const sequenceNumber = this.fifo ? fifoSequenceNumber(++this.#sequence) : undefined;
    const message = new SqsMessage(
      messageId,
      body,
      md5,
      now,
      enqueuedMs ?? now,
      eventId,
      attributes,
      groupId,
      deduplicationId,
      sequenceNumber,
    );
    if (attributes !== undefined && Object.keys(attributes).length > 0) {
      message.md5OfMessageAttributes = md5OfMessageAttributes(attributes);
    }
    message.deadLetterQueueSourceArn = deadLetterQueueSourceArn;
    this.#count++;
    const trace = this.#topology.trace;
    if (trace.on) {
      trace.emit(this.#source, "send", {
        messageId,
        event: eventId,
        group: groupId,
        seq: sequenceNumber,
        delaySeconds: delaySeconds || undefined,
      });
    }
    if (this.fifo) this.#groups.add(message);
    this.#retention.schedule(message.enqueuedMs);
    if (delaySeconds > 0) {
      this.#delayed++;
      if (!this.fifo) this.#standard.hold(message);
      message.visibleAtMs = now + delaySeconds * 1000;
      sim.callAt(message.visibleAtMs, this.#delayEnds, message, undefined, undefined);
      return;
    }
    this.#makeVisible(message);
  }

  readonly #delayEnds = (message: SqsMessage): void => {
    if (message.state !== MessageState.Delayed) return;
    this.#delayed--;
    if (!this.fifo) this.#standard.release(message);
    this.#makeVisible(message);
  };

  #makeVisible(message: SqsMessage): void {
    message.state = MessageState.Visible;
    if (!this.fifo) this.#standard.push(message);
    this.consumer?.notify();
  }

  /**
   * ReceiveMessage: up to `maxMessages` visible messages (and `maxBytes` of bodies, at least one message), hidden for `visibilityTimeoutSeconds`. Each
   * receive increments the receive count; a message already received `maxReceiveCount` times is moved to
   * the DLQ instead of being returned. FIFO: messages of a group come in order, and a group with
   * messages in flight returns nothing (one batch per group at a time).
   * `batchId` names the receive in the trace (the invocation's request id).
   */
  public receive(
    maxMessages: number,
    visibilityTimeoutSeconds: number,
    batchId: string,
    maxBytes = Number.POSITIVE_INFINITY,
  ): SqsMessage[] {
    const received: SqsMessage[] = [];
    const now = this.#topology.simulation.now();
    // Two call sites, not one through a union: each stays monomorphic.
    if (this.fifo) {
      this.#groups.receive(
        received,
        maxMessages,
        maxBytes,
        now,
        visibilityTimeoutSeconds,
        batchId,
        this.#receiveSteps,
      );
    } else {
      this.#standard.receive(
        received,
        maxMessages,
        maxBytes,
        now,
        visibilityTimeoutSeconds,
        batchId,
        this.#receiveSteps,
      );
    }
    this.receives += received.length;
    return received;
  }

  #take(message: SqsMessage, now: number, visibilityTimeoutSeconds: number, batchId: string): void {
    message.state = MessageState.InFlight;
    message.receiveCount++;
    if (message.receiveCount === 1) message.firstReceiveMs = now;
    message.visibleAtMs = now + visibilityTimeoutSeconds * 1000;
    this.#inFlight++;
    this.#lanes.enter(message, visibilityTimeoutSeconds * 1000);
    const trace = this.#topology.trace;
    if (trace.on) {
      trace.emit(this.#source, "deliver", {
        messageId: message.messageId,
        event: message.eventId,
        receiveCount: message.receiveCount,
        group: message.groupId,
        seq: message.sequenceNumber,
        batch: batchId,
      });
    }
  }

  /** Handles retention and redrive at receive time; true when the message left the queue. */
  #expiredOrRedriven(message: SqsMessage, now: number): boolean {
    if (isPastRetention(message, this.#retentionMs, now)) {
      this.#expire(message);
      return true;
    }
    const policy = this.redrivePolicy;
    if (policy !== undefined && message.receiveCount >= policy.maxReceiveCount) {
      const dlq = this.#deadLetterQueue(policy);
      this.#remove(message);
      moveToDeadLetterQueue(this.#topology, this.#source, this, this.redrivePolicy, message, dlq);
      return true;
    }
    return false;
  }

  /** Visibility timeouts that ended: messages still in flight become visible again, or expire. */
  #visibilityTimeout(batch: readonly SqsMessage[]): void {
    const now = this.#topology.simulation.now();
    let returned = false;
    for (const message of batch) {
      if (message.state !== MessageState.InFlight || message.visibleAtMs > now) continue;
      this.#leaveFlight(message);
      if (isPastRetention(message, this.#retentionMs, now)) {
        this.#remove(message);
        this.#settleExpired(message);
        continue;
      }
      if (this.#topology.trace.on) {
        this.#topology.trace.emit(this.#source, "visible", {
          messageId: message.messageId,
          receiveCount: message.receiveCount,
        });
      }
      message.state = MessageState.Visible;
      if (!this.fifo) this.#standard.push(message);
      returned = true;
    }
    if (returned) this.consumer?.notify();
  }

  #leaveFlight(message: SqsMessage): void {
    this.#inFlight--;
    this.#lanes.leave(message);
    if (this.fifo) this.#groups.leftFlight(message);
    if (!this.fifo) this.#standard.release(message);
  }

  /**
   * DeleteMessage for a message of the receive identified by `receiveCount`. False when the receipt is
   * stale (the message was received again or is gone), as a late delete after the visibility timeout is.
   */
  public deleteMessage(message: SqsMessage, receiveCount: number): boolean {
    if (message.state !== MessageState.InFlight || message.receiveCount !== receiveCount) {
      if (this.#topology.trace.on) {
        this.#topology.trace.emit(this.#source, "delete-stale", {
          messageId: message.messageId,
          receiveCount,
        });
      }
      return false;
    }
    this.#leaveFlight(message);
    this.#remove(message);
    if (this.#topology.trace.on)
      this.#topology.trace.emit(this.#source, "delete", { messageId: message.messageId });
    this.#topology.outcomes.settle(message.eventId, Disposition.Processed, this.#processed);
    return true;
  }

  /** DeleteMessage by receipt handle (the API a real handler calls). */
  public deleteByReceiptHandle(receiptHandle: string): boolean {
    const message = this.findInFlight(receiptHandle);
    return message === undefined ? false : this.deleteMessage(message, message.receiveCount);
  }

  /** ChangeMessageVisibility: the message becomes visible `seconds` from now (0: at once). */
  public changeMessageVisibility(message: SqsMessage, receiveCount: number, seconds: number): boolean {
    assertIntInRange(`changeMessageVisibility(${this.queueName})`, "visibilityTimeout", seconds, 0, 43_200);
    if (message.state !== MessageState.InFlight || message.receiveCount !== receiveCount) return false;
    const sim = this.#topology.simulation;
    message.visibleAtMs = sim.now() + seconds * 1000;
    this.#lanes.leave(message);
    if (!this.fifo) this.#standard.hold(message);
    if (this.#topology.trace.on) {
      this.#topology.trace.emit(this.#source, "change-visibility", { messageId: message.messageId, seconds });
    }
    sim.at(message.visibleAtMs, () => this.#visibilityTimeout([message]));
    return true;
  }

  /** The in-flight message of a receipt handle (a scan: only handlers calling DeleteMessage need it). */
  public findInFlight(receiptHandle: string): SqsMessage | undefined {
    for (const message of this.#allMessages()) {
      if (message.state === MessageState.InFlight && message.receiptHandle === receiptHandle) {
        return message;
      }
    }
    return undefined;
  }

  /** Every message still held, in queue order (inspection: DLQ contents, reports). */
  public messages(): SqsMessage[] {
    return [...this.#allMessages()];
  }

  *#allMessages(): Generator<SqsMessage> {
    if (this.fifo) {
      yield* this.#groups.messages();
      return;
    }
    const seen = new Set<SqsMessage>();
    yield* this.#standard.messages(seen);
    yield* this.#lanes.inFlight(seen);
  }

  /** Outcome ids of the events still in this queue (for the "nothing lost" invariant). */
  public heldEventIds(): number[] {
    return this.messages().map((message) => message.eventId);
  }

  /** PurgeQueue: every message is dropped. */
  public purge(): void {
    for (const message of this.messages()) {
      if (message.state === MessageState.InFlight) this.#leaveFlight(message);
      if (message.state === MessageState.Delayed) this.#delayed--;
      this.#remove(message);
      this.#topology.outcomes.settle(message.eventId, Disposition.Dropped, {
        reason: "PurgeQueue",
        target: this.arn,
      });
    }
  }

  #remove(message: SqsMessage): void {
    message.state = MessageState.Gone;
    this.#count--;
    if (!this.fifo) this.#standard.release(message);
    if (this.fifo) this.#groups.removed(message);
  }

  #expire(message: SqsMessage): void {
    this.#remove(message);
    this.#settleExpired(message);
  }

  #settleExpired(message: SqsMessage): void {
    settleExpired(this.#topology, this.#source, this.arn, this.messageRetentionPeriodSeconds, message);
  }

  /**
   * The retention sweep: removes visible and delayed messages past retention (in-flight ones go when
   * they become visible) and returns the earliest expiry left.
   */
  #sweep(now: number): number {
    const limit = this.#retentionMs;
    let next = Number.POSITIVE_INFINITY;
    for (const message of this.messages()) {
      if (message.enqueuedMs + limit <= now) {
        if (message.state === MessageState.InFlight) continue;
        if (message.state === MessageState.Delayed) this.#delayed--;
        this.#expire(message);
      } else {
        next = Math.min(next, message.enqueuedMs + limit);
      }
    }
    return next;
  }
}

export { md5OfMessageAttributes };
