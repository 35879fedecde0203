import { createHash } from "node:crypto";
import { ConfigurationError } from "../engine/errors.js";
import type { ModelEnv } from "../engine/ModelEnv.js";
import { Disposition } from "../engine/Outcomes.js";
import {
  assertBoolean,
  assertIntInRange,
  assertOptions,
  assertString,
  describe,
} from "../engine/validate.js";
import { md5OfBody, md5OfMessageAttributes, type SqsMessageAttributeValue } from "./sqsMd5.js";

/** SQS queue configuration, with AWS's names (seconds as in the API). */
export interface SqsQueueConfig {
  /** Must end in `.fifo` for a FIFO queue. */
  readonly queueName: string;
  readonly fifoQueue?: boolean;
  /** Default 30, 0–43200 (12 h). */
  readonly visibilityTimeoutSeconds?: number;
  /** Default 345600 (4 days), 60–1209600 (14 days). */
  readonly messageRetentionPeriodSeconds?: number;
  /** Default 0, 0–900. */
  readonly delaySeconds?: number;
  /** Redrive to a dead-letter queue after `maxReceiveCount` receives (1–1000). */
  readonly redrivePolicy?: { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number };
  /** FIFO only: deduplicate by the SHA-256 of the body when no deduplication id is sent. */
  readonly contentBasedDeduplication?: boolean;
  /** Default 262144 bytes (256 KiB), 1024–262144. */
  readonly maximumMessageSize?: number;
}

const CONFIG_KEYS = [
  "queueName",
  "fifoQueue",
  "visibilityTimeoutSeconds",
  "messageRetentionPeriodSeconds",
  "delaySeconds",
  "redrivePolicy",
  "contentBasedDeduplication",
  "maximumMessageSize",
] as const;

/** Options of SendMessage. */
export interface SendMessageOptions {
  /** Standard queues only, 0–900; overrides the queue's delay. */
  readonly delaySeconds?: number;
  /** Required on FIFO queues. */
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
  readonly messageAttributes?: Readonly<Record<string, SqsMessageAttributeValue>>;
}

const SEND_KEYS = ["delaySeconds", "messageGroupId", "messageDeduplicationId", "messageAttributes"] as const;

enum State {
  Delayed = 0,
  Visible = 1,
  InFlight = 2,
  Gone = 3,
}

/**
 * One message as the queue holds it. Models read it; only the queue changes it.
 * `receiveCount` doubles as the receipt generation: a receipt handle is valid only for the receive that
 * produced it.
 */
export class SqsMessage {
  public receiveCount = 0;
  public firstReceiveMs = 0;
  public visibleAtMs = 0;
  /** @internal The in-flight lane holding this message and its absolute slot there. */
  public flightLane: FlightLane | undefined;
  /** @internal */
  public flightSlot = 0;
  /** Set when the message has attributes (SQS's encoding, computed once at send). */
  public md5OfMessageAttributes: string | undefined;
  /** On a message SQS moved here from a source queue's redrive: that queue (`DeadLetterQueueSourceArn`). */
  public deadLetterQueueSourceArn: string | undefined;
  /** @internal */
  public state: number = State.Delayed;

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

/** Something that consumes a queue (an event source mapping): told when messages may be available. */
export interface QueueConsumer {
  notify(): void;
}

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
  readonly counts: number[];
  readonly deadlines: number[];
  /** Absolute slot of entries[0]. */
  offset: number;
  head: number;
  armed: boolean;
}

interface FifoGroup {
  readonly messages: SqsMessage[];
  head: number;
  inFlight: number;
}

const DEFAULTS = {
  visibilityTimeoutSeconds: 30,
  messageRetentionPeriodSeconds: 345_600,
  delaySeconds: 0,
  maximumMessageSize: 262_144,
} as const;

/** The default options of `sendMessage`, recognised by identity so a plain send skips the key check. */
const NO_OPTIONS: SendMessageOptions = Object.freeze({});

/** FIFO deduplication interval: 5 minutes (AWS, fixed). */
const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

/** What a queue needs from the topology: the model environment and the queues its redrive names. */
export interface SqsQueueEnv extends ModelEnv {
  /** A queue by name, ARN or URL; throws `ResourceNotFoundError` naming `where` when there is none. */
  queue(reference: string, where?: string): SqsQueue;
}

/**
 * An SQS queue, standard or FIFO, on the virtual clock: delay, visibility timeout, receive count,
 * redrive to the DLQ at `maxReceiveCount` (same message id), retention, FIFO groups and deduplication.
 *
 * Choices where AWS is silent or best-effort (documented in the README):
 * - Standard queues deliver oldest-visible first; a message whose visibility timeout ends goes to the
 *   back. AWS promises no order for standard queues, so any order is faithful; this one is reproducible.
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
  public readonly redrivePolicy:
    | { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number }
    | undefined;
  public readonly contentBasedDeduplication: boolean;
  public consumer: QueueConsumer | undefined;
  /** Messages received (deliveries), for benchmarks and summaries. */
  public receives = 0;
  readonly #topology: SqsQueueEnv;
  readonly #source: string;
  // Standard: visible messages in a deque (array + head index, compacted when half is consumed).
  #visible: SqsMessage[] = [];
  #visibleHead = 0;
  // FIFO: groups in first-seen order.
  readonly #groups = new Map<string, FifoGroup>();
  readonly #deduplication = new Map<string, number>();
  #sequence = 0n;
  #count = 0;
  #inFlight = 0;
  #delayed = 0;
  // Standard queues: delayed messages and in-flight ones whose visibility was changed (the visible ones
  // are in the deque, the other in-flight ones in a lane), so inspection, retention sweeps and the
  // "nothing lost" invariant can find every held message.
  readonly #outstanding = new Set<SqsMessage>();
  readonly #lanes = new Map<number, FlightLane>();
  #sweepAtMs = Number.POSITIVE_INFINITY;
  /** The details of every "processed" settlement, built once (the book copies what it keeps). */
  readonly #processed: { readonly target: string };

  public constructor(topology: SqsQueueEnv, config: SqsQueueConfig) {
    const where = "addQueue";
    assertOptions(where, config, CONFIG_KEYS);
    assertString(where, "queueName", config.queueName);
    const fifo = config.fifoQueue ?? false;
    assertBoolean(where, "fifoQueue", fifo);
    if (!/^[A-Za-z0-9_-]{1,75}(\.fifo)?$/.test(config.queueName) || config.queueName.length > 80) {
      throw new ConfigurationError(
        "queueName",
        `${where}: queueName ${describe(config.queueName)} is not valid (AWS: up to 80 letters, digits, hyphens or underscores, FIFO names end in .fifo)`,
      );
    }
    if (fifo !== config.queueName.endsWith(".fifo")) {
      throw new ConfigurationError(
        "queueName",
        `${where}: ${config.queueName}: ${fifo ? "a FIFO queue name must end with .fifo" : "only a FIFO queue (fifoQueue: true) may end with .fifo"} (AWS: "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix")`,
      );
    }
    const visibility = config.visibilityTimeoutSeconds ?? DEFAULTS.visibilityTimeoutSeconds;
    assertIntInRange(
      where,
      "visibilityTimeoutSeconds",
      visibility,
      0,
      43_200,
      "VisibilityTimeout is 0 to 43200 seconds",
    );
    const retention = config.messageRetentionPeriodSeconds ?? DEFAULTS.messageRetentionPeriodSeconds;
    assertIntInRange(
      where,
      "messageRetentionPeriodSeconds",
      retention,
      60,
      1_209_600,
      "MessageRetentionPeriod is 60 seconds to 14 days",
    );
    const delay = config.delaySeconds ?? DEFAULTS.delaySeconds;
    assertIntInRange(where, "delaySeconds", delay, 0, 900, "DelaySeconds is 0 to 900");
    const maxSize = config.maximumMessageSize ?? DEFAULTS.maximumMessageSize;
    assertIntInRange(
      where,
      "maximumMessageSize",
      maxSize,
      1024,
      262_144,
      "MaximumMessageSize is 1024 to 262144 bytes",
    );
    if (config.contentBasedDeduplication !== undefined) {
      assertBoolean(where, "contentBasedDeduplication", config.contentBasedDeduplication);
      if (config.contentBasedDeduplication && !fifo) {
        throw new ConfigurationError(
          "contentBasedDeduplication",
          `${where}: ${config.queueName}: contentBasedDeduplication applies to FIFO queues only`,
        );
      }
    }
    if (config.redrivePolicy !== undefined) {
      assertOptions(`${where} redrivePolicy`, config.redrivePolicy, [
        "deadLetterTargetArn",
        "maxReceiveCount",
      ]);
      assertString(where, "redrivePolicy.deadLetterTargetArn", config.redrivePolicy.deadLetterTargetArn);
      assertIntInRange(
        where,
        "redrivePolicy.maxReceiveCount",
        config.redrivePolicy.maxReceiveCount,
        1,
        1000,
        "maxReceiveCount is 1 to 1000",
      );
    }
    this.#topology = topology;
    this.queueName = config.queueName;
    this.fifo = fifo;
    this.arn = `arn:aws:sqs:${topology.region}:${topology.accountId}:${config.queueName}`;
    this.url = `https://sqs.${topology.region}.amazonaws.com/${topology.accountId}/${config.queueName}`;
    this.visibilityTimeoutSeconds = visibility;
    this.messageRetentionPeriodSeconds = retention;
    this.delaySeconds = delay;
    this.maximumMessageSize = maxSize;
    this.redrivePolicy = config.redrivePolicy;
    this.contentBasedDeduplication = config.contentBasedDeduplication ?? false;
    this.#source = `sqs:${config.queueName}`;
    this.#processed = Object.freeze({ target: this.arn });
  }

  /** Checks what can only be checked once every resource exists (the DLQ). */
  public validateReferences(): void {
    if (this.redrivePolicy === undefined) return;
    const dlq = this.#topology.queue(
      this.redrivePolicy.deadLetterTargetArn,
      `${this.queueName} redrivePolicy.deadLetterTargetArn`,
    );
    if (dlq.fifo !== this.fifo) {
      throw new ConfigurationError(
        "redrivePolicy.deadLetterTargetArn",
        `${this.queueName}: the dead-letter queue of a ${this.fifo ? "FIFO" : "standard"} queue must also be ${this.fifo ? "FIFO" : "standard"} (AWS: "The dead-letter queue of a FIFO queue must also be a FIFO queue")`,
      );
    }
    if (dlq === this) {
      throw new ConfigurationError(
        "redrivePolicy.deadLetterTargetArn",
        `${this.queueName}: a queue cannot be its own dead-letter queue`,
      );
    }
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
      if (body.length * 3 > this.maximumMessageSize) this.#checkSize(`sendMessage(${this.queueName})`, body);
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
    const where = `sendMessage(${this.queueName})`;
    assertOptions(where, options, SEND_KEYS);
    if (typeof body !== "string" || body.length === 0) {
      throw new ConfigurationError(
        "body",
        `${where}: the body must be a non-empty string (send JSON.stringify(value))`,
      );
    }
    if (body.length * 3 > this.maximumMessageSize) this.#checkSize(where, body);
    let deduplicationId: string | undefined;
    if (this.fifo) {
      if (typeof options.messageGroupId !== "string" || options.messageGroupId === "") {
        throw new ConfigurationError(
          "messageGroupId",
          `${where}: FIFO queues require a messageGroupId (AWS: "The request must contain the parameter MessageGroupId.")`,
        );
      }
      if (options.delaySeconds !== undefined) {
        throw new ConfigurationError(
          "delaySeconds",
          `${where}: FIFO queues take no per-message delay (AWS: "Value ... for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type."); set the queue's delaySeconds instead`,
        );
      }
      deduplicationId = options.messageDeduplicationId;
      if (deduplicationId === undefined) {
        if (!this.contentBasedDeduplication) {
          throw new ConfigurationError(
            "messageDeduplicationId",
            `${where}: send a messageDeduplicationId or enable contentBasedDeduplication (AWS: "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")`,
          );
        }
        deduplicationId = createHash("sha256").update(body).digest("hex");
      }
      const now = this.#topology.simulation.now();
      const until = this.#deduplication.get(deduplicationId);
      if (until !== undefined && until > now) {
        if (this.#topology.trace.on)
          this.#topology.trace.emit(this.#source, "deduplicated", { deduplicationId });
        return undefined;
      }
      this.#deduplication.set(deduplicationId, now + DEDUPLICATION_WINDOW_MS);
      if (this.#deduplication.size > 10_000) this.#pruneDeduplication(now);
    } else if (options.messageGroupId !== undefined || options.messageDeduplicationId !== undefined) {
      throw new ConfigurationError(
        "messageGroupId",
        `${where}: messageGroupId and messageDeduplicationId are for FIFO queues only`,
      );
    }
    if (options.delaySeconds !== undefined)
      assertIntInRange(where, "delaySeconds", options.delaySeconds, 0, 900, "DelaySeconds is 0 to 900");
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

  #checkSize(where: string, body: string): void {
    if (Buffer.byteLength(body) > this.maximumMessageSize) {
      throw new ConfigurationError(
        "body",
        `${where}: the body is ${Buffer.byteLength(body)} bytes, over the queue's maximumMessageSize ${this.maximumMessageSize}`,
      );
    }
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
    const sequenceNumber = this.fifo ? (++this.#sequence).toString().padStart(20, "1") : undefined;
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
    if (this.fifo) {
      let group = this.#groups.get(groupId!);
      if (group === undefined) {
        group = { messages: [], head: 0, inFlight: 0 };
        this.#groups.set(groupId!, group);
      }
      group.messages.push(message);
    }
    this.#scheduleSweep(message.enqueuedMs);
    if (delaySeconds > 0) {
      this.#delayed++;
      if (!this.fifo) this.#outstanding.add(message);
      message.visibleAtMs = now + delaySeconds * 1000;
      sim.callAt(message.visibleAtMs, this.#delayEnds, message, undefined, undefined);
      return;
    }
    this.#makeVisible(message);
  }

  readonly #delayEnds = (message: SqsMessage): void => {
    if (message.state !== State.Delayed) return;
    this.#delayed--;
    if (!this.fifo) this.#outstanding.delete(message);
    this.#makeVisible(message);
  };

  #makeVisible(message: SqsMessage): void {
    message.state = State.Visible;
    if (!this.fifo) this.#visible.push(message);
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
    let bytes = 0;
    const now = this.#topology.simulation.now();
    if (this.fifo) {
      for (const [groupId, group] of this.#groups) {
        if (received.length >= maxMessages) break;
        if (group.inFlight > 0) continue;
        this.#skipGone(group);
        for (let i = group.head; i < group.messages.length && received.length < maxMessages; i++) {
          const message = group.messages[i]!;
          if (message.state === State.Gone) continue;
          if (message.state !== State.Visible) break;
          if (received.length > 0 && bytes + message.body.length > maxBytes) break;
          if (this.#expiredOrRedriven(message, now)) continue;
          this.#take(message, now, visibilityTimeoutSeconds, batchId);
          bytes += message.body.length;
          group.inFlight++;
          received.push(message);
        }
        if (group.head >= group.messages.length) this.#groups.delete(groupId);
      }
    } else {
      while (received.length < maxMessages && this.#visibleHead < this.#visible.length) {
        const message = this.#visible[this.#visibleHead]!;
        if (message.state === State.Visible && received.length > 0 && bytes + message.body.length > maxBytes)
          break;
        this.#visibleHead++;
        if (message.state !== State.Visible) continue;
        if (this.#expiredOrRedriven(message, now)) continue;
        this.#take(message, now, visibilityTimeoutSeconds, batchId);
        bytes += message.body.length;
        received.push(message);
      }
      if (this.#visibleHead > 1024 && this.#visibleHead * 2 > this.#visible.length) {
        this.#visible = this.#visible.slice(this.#visibleHead);
        this.#visibleHead = 0;
      }
    }
    this.receives += received.length;
    return received;
  }

  #take(message: SqsMessage, now: number, visibilityTimeoutSeconds: number, batchId: string): void {
    message.state = State.InFlight;
    message.receiveCount++;
    if (message.receiveCount === 1) message.firstReceiveMs = now;
    message.visibleAtMs = now + visibilityTimeoutSeconds * 1000;
    this.#inFlight++;
    this.#enterLane(message, visibilityTimeoutSeconds * 1000);
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
    if (message.enqueuedMs + this.messageRetentionPeriodSeconds * 1000 <= now) {
      this.#expire(message);
      return true;
    }
    const policy = this.redrivePolicy;
    if (policy !== undefined && message.receiveCount >= policy.maxReceiveCount) {
      this.#redrive(message, policy.deadLetterTargetArn);
      return true;
    }
    return false;
  }

  #visibilityTimeout(batch: readonly SqsMessage[]): void {
    const now = this.#topology.simulation.now();
    let returned = false;
    for (const message of batch) {
      if (message.state !== State.InFlight || message.visibleAtMs > now) continue;
      this.#leaveFlight(message);
      if (message.enqueuedMs + this.messageRetentionPeriodSeconds * 1000 <= now) {
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
      message.state = State.Visible;
      if (!this.fifo) this.#visible.push(message);
      returned = true;
    }
    if (returned) this.consumer?.notify();
  }

  #enterLane(message: SqsMessage, visibilityMs: number): void {
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
    this.#topology.simulation.callAt(lane.deadlines[lane.head]!, this.#drainCall, lane, undefined, undefined);
  }

  readonly #drainCall = (lane: FlightLane): void => this.#drain(lane);

  #drain(lane: FlightLane): void {
    const now = this.#topology.simulation.now();
    const returned: SqsMessage[] = [];
    while (lane.head < lane.entries.length && lane.deadlines[lane.head]! <= now) {
      const message = lane.entries[lane.head];
      const count = lane.counts[lane.head]!;
      lane.entries[lane.head] = null;
      lane.head++;
      if (
        message !== null &&
        message !== undefined &&
        message.state === State.InFlight &&
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
    if (returned.length > 0) this.#visibilityTimeout(returned);
  }

  #leaveLane(message: SqsMessage): void {
    const lane = message.flightLane;
    if (lane === undefined) return;
    const index = message.flightSlot - lane.offset;
    if (index >= 0 && lane.entries[index] === message) lane.entries[index] = null;
    message.flightLane = undefined;
  }

  #leaveFlight(message: SqsMessage): void {
    this.#inFlight--;
    this.#leaveLane(message);
    if (this.fifo) {
      const group = this.#groups.get(message.groupId!);
      if (group !== undefined) group.inFlight--;
    }
    if (!this.fifo) this.#outstanding.delete(message);
  }

  /**
   * DeleteMessage for a message of the receive identified by `receiveCount`. False when the receipt is
   * stale (the message was received again or is gone), as a late delete after the visibility timeout is.
   */
  public deleteMessage(message: SqsMessage, receiveCount: number): boolean {
    if (message.state !== State.InFlight || message.receiveCount !== receiveCount) {
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
    if (message.state !== State.InFlight || message.receiveCount !== receiveCount) return false;
    const sim = this.#topology.simulation;
    message.visibleAtMs = sim.now() + seconds * 1000;
    this.#leaveLane(message);
    if (!this.fifo) this.#outstanding.add(message);
    if (this.#topology.trace.on) {
      this.#topology.trace.emit(this.#source, "change-visibility", { messageId: message.messageId, seconds });
    }
    sim.at(message.visibleAtMs, () => this.#visibilityTimeout([message]));
    return true;
  }

  /** The in-flight message of a receipt handle (a scan: only handlers calling DeleteMessage need it). */
  public findInFlight(receiptHandle: string): SqsMessage | undefined {
    for (const message of this.#allMessages()) {
      if (message.state === State.InFlight && message.receiptHandle === receiptHandle) {
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
    const seen = new Set<SqsMessage>();
    if (this.fifo) {
      for (const group of this.#groups.values()) {
        for (let i = group.head; i < group.messages.length; i++) {
          const message = group.messages[i]!;
          if (message.state !== State.Gone) yield message;
        }
      }
      return;
    }
    for (let i = this.#visibleHead; i < this.#visible.length; i++) {
      const message = this.#visible[i]!;
      if (message.state === State.Visible && !seen.has(message)) {
        seen.add(message);
        yield message;
      }
    }
    for (const message of this.#outstanding) {
      if (message.state !== State.Gone && !seen.has(message)) {
        seen.add(message);
        yield message;
      }
    }
    for (const lane of this.#lanes.values()) {
      for (let i = lane.head; i < lane.entries.length; i++) {
        const message = lane.entries[i];
        if (
          message !== null &&
          message !== undefined &&
          message.state === State.InFlight &&
          !seen.has(message)
        ) {
          seen.add(message);
          yield message;
        }
      }
    }
  }

  /** Outcome ids of the events still in this queue (for the "nothing lost" invariant). */
  public heldEventIds(): number[] {
    return this.messages().map((message) => message.eventId);
  }

  /** PurgeQueue: every message is dropped. */
  public purge(): void {
    for (const message of this.messages()) {
      if (message.state === State.InFlight) this.#leaveFlight(message);
      if (message.state === State.Delayed) this.#delayed--;
      this.#remove(message);
      this.#topology.outcomes.settle(message.eventId, Disposition.Dropped, {
        reason: "PurgeQueue",
        target: this.arn,
      });
    }
  }

  #remove(message: SqsMessage): void {
    message.state = State.Gone;
    this.#count--;
    if (!this.fifo) this.#outstanding.delete(message);
    if (this.fifo) {
      const group = this.#groups.get(message.groupId!);
      if (group !== undefined) {
        this.#skipGone(group);
        if (group.head >= group.messages.length) this.#groups.delete(message.groupId!);
      }
    }
  }

  #skipGone(group: FifoGroup): void {
    while (group.head < group.messages.length && group.messages[group.head]!.state === State.Gone)
      group.head++;
    if (group.head > 256 && group.head * 2 > group.messages.length) {
      group.messages.splice(0, group.head);
      group.head = 0;
    }
  }

  #redrive(message: SqsMessage, deadLetterTargetArn: string): void {
    const dlq = this.#topology.queue(
      deadLetterTargetArn,
      `${this.queueName} redrivePolicy.deadLetterTargetArn`,
    );
    this.#remove(message);
    if (this.#topology.trace.on) {
      this.#topology.trace.emit(this.#source, "redrive", {
        messageId: message.messageId,
        receiveCount: message.receiveCount,
        to: dlq.queueName,
      });
    }
    this.#topology.outcomes.settle(message.eventId, Disposition.DeadLettered, {
      target: dlq.arn,
      reason: `maxReceiveCount ${this.redrivePolicy?.maxReceiveCount} reached`,
      record: this.#topology.outcomes.detailed
        ? { messageId: message.messageId, body: message.body }
        : undefined,
    });
    dlq.acceptRedriven(message, message.eventId, this.arn);
  }

  #expire(message: SqsMessage): void {
    this.#remove(message);
    this.#settleExpired(message);
  }

  #settleExpired(message: SqsMessage): void {
    if (this.#topology.trace.on)
      this.#topology.trace.emit(this.#source, "expire", { messageId: message.messageId });
    this.#topology.outcomes.settle(message.eventId, Disposition.Expired, {
      target: this.arn,
      reason: `messageRetentionPeriodSeconds ${this.messageRetentionPeriodSeconds} passed`,
    });
  }

  #scheduleSweep(enqueuedMs: number): void {
    const expiry = enqueuedMs + this.messageRetentionPeriodSeconds * 1000;
    if (expiry >= this.#sweepAtMs) return;
    this.#sweepAtMs = expiry;
    this.#topology.simulation.daemonAt(expiry, () => this.#sweep(expiry));
  }

  /** Removes visible and delayed messages past retention; in-flight ones go when they become visible. */
  #sweep(scheduledFor: number): void {
    if (scheduledFor !== this.#sweepAtMs) return;
    this.#sweepAtMs = Number.POSITIVE_INFINITY;
    const now = this.#topology.simulation.now();
    const limit = this.messageRetentionPeriodSeconds * 1000;
    let next = Number.POSITIVE_INFINITY;
    for (const message of this.messages()) {
      if (message.enqueuedMs + limit <= now) {
        if (message.state === State.InFlight) continue;
        if (message.state === State.Delayed) this.#delayed--;
        this.#expire(message);
      } else {
        next = Math.min(next, message.enqueuedMs + limit);
      }
    }
    if (next !== Number.POSITIVE_INFINITY) this.#scheduleSweep(next - limit);
  }

  #pruneDeduplication(now: number): void {
    for (const [id, until] of this.#deduplication) if (until <= now) this.#deduplication.delete(id);
  }
}

export { md5OfMessageAttributes };
