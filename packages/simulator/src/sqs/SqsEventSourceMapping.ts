import { PartialBatchVerdict, readPartialBatchResponse } from "@rebound/errors";
import { ConfigurationError } from "../engine/errors.js";
import type { ModelEnv } from "../engine/ModelEnv.js";
import { AttemptResult } from "../engine/Outcomes.js";
import { assertBoolean, assertIntInRange, assertOptions, describe } from "../engine/validate.js";
import { attemptResultOf } from "../lambda/attemptResult.js";
import { type InvocationResult, InvocationStatus, type LambdaFunction } from "../lambda/LambdaFunction.js";
import type { ControllableMapping, EventSourceMappingStatus } from "../lambda/mappingStatus.js";
import type { SqsMessage } from "./SqsMessage.js";
import type { SqsQueue } from "./SqsQueue.js";

/** CreateEventSourceMapping for an SQS queue, with AWS's names. */
export interface SqsEventSourceMappingConfig {
  readonly eventSourceArn: string;
  readonly functionName: string;
  /** Default 10; 1–10000 (standard), 1–10 (FIFO). Over 10 needs a batching window. */
  readonly batchSize?: number;
  /** Default 0, 0–300. */
  readonly maximumBatchingWindowInSeconds?: number;
  /** MaximumConcurrency 2–1000: concurrent invocations this mapping may run. */
  readonly scalingConfig?: { readonly maximumConcurrency?: number };
  /** `["ReportBatchItemFailures"]` to read partial batch responses. Default []. */
  readonly functionResponseTypes?: readonly string[];
  /** Default true. */
  readonly enabled?: boolean;
}

const CONFIG_KEYS = [
  "eventSourceArn",
  "functionName",
  "batchSize",
  "maximumBatchingWindowInSeconds",
  "scalingConfig",
  "functionResponseTypes",
  "enabled",
] as const;

/** Settings AWS accepts only on stream mappings: named so the error says why, not just "unknown". */
const STREAM_ONLY_KEYS = [
  "maximumRetryAttempts",
  "maximumRecordAgeInSeconds",
  "bisectBatchOnFunctionError",
  "parallelizationFactor",
  "startingPosition",
  "startingPositionTimestamp",
  "tumblingWindowInSeconds",
] as const;

/** Without a MaximumConcurrency, Rebound caps an SQS mapping at 1000 concurrent batches (AWS's documented maximum). */
const DEFAULT_MAXIMUM_CONCURRENCY = 1000;
/** A batch also closes at 6 MB, the synchronous invoke payload limit. */
const MAX_BATCH_BYTES = 6 * 1024 * 1024;
/** The invoke of a throttled batch is retried after 1 s, doubling, while its messages stay invisible. */
const THROTTLE_FIRST_DELAY_MS = 1_000;
/** Who sent the messages, as the `SenderId` attribute shows it (an IAM role id; any stable value will do). */
const SENDER_ID = "AROAREBOUNDSIMULATOR0:rebound";

/**
 * The SQS event source mapping (poller): reads batches, invokes the function synchronously, deletes
 * what succeeded. There is no Lambda-side retry counter for SQS: a failed message comes back when its
 * visibility timeout ends, and the queue's redrive policy moves it to the DLQ.
 *
 * - Batches close at `batchSize`, at the end of the batching window (from the first message received),
 *   or at 6 MB. With no window a poll takes what is visible now.
 * - Concurrency: at most `scalingConfig.maximumConcurrency` batches in flight (1000 without it). AWS's
 *   poller ramp-up (5 pollers, then +60 or +300 per minute depending on the documentation's date) is
 *   not modelled; the sources disagree and it changes no retry outcome.
 * - Visibility: messages are received with the queue's visibility timeout; when the batching window plus
 *   the function timeout exceed it, AWS uses window + timeout + 30 s, and so does Rebound.
 * - Throttled invoke: the batch stays invisible and the invoke is retried (1 s, doubling) until its
 *   visibility timeout would pass; then the messages return to the queue with their receive count
 *   already raised (so throttles alone can dead-letter a message, as on AWS). No new batch starts while
 *   one waits on a throttle.
 * - `ReportBatchItemFailures`: the response is read with AWS's rules (`readPartialBatchResponse`);
 *   listed messages are left to their visibility timeout, the others deleted; a thrown error, a timeout
 *   or a rejected response fails the whole batch. Without it, any return value is a complete success.
 * - FIFO: the queue hands out one batch per message group at a time, in order.
 *
 * @example
 * ```ts
 * topology.createEventSourceMapping({ eventSourceArn: queue.arn, functionName: "pay", batchSize: 10,
 *   functionResponseTypes: ["ReportBatchItemFailures"], scalingConfig: { maximumConcurrency: 5 } });
 * ```
 */
export class SqsEventSourceMapping implements ControllableMapping {
  public readonly uuid: string;
  public readonly batchSize: number;
  public readonly maximumBatchingWindowInSeconds: number;
  public readonly maximumConcurrency: number;
  public readonly reportBatchItemFailures: boolean;
  #enabled: boolean;
  /** Batches invoked (including re-invokes after a throttle), and throttled invokes. */
  public invocations = 0;
  public throttles = 0;
  readonly #topology: ModelEnv;
  readonly #source: string;
  readonly #visibilityTimeoutSeconds: number;
  #inFlight = 0;
  #pollScheduled = false;
  #blocked = false;
  #gathering: { requestId: string; messages: SqsMessage[]; bytes: number } | undefined;
  readonly #poll = (): void => this.#pollNow();

  public constructor(
    topology: ModelEnv,
    public readonly queue: SqsQueue,
    public readonly fn: LambdaFunction,
    config: SqsEventSourceMappingConfig,
  ) {
    const where = "createEventSourceMapping";
    for (const key of STREAM_ONLY_KEYS) {
      if (key in (config as object)) {
        throw new ConfigurationError(
          key,
          `${where}: ${key} is a stream (Kinesis, DynamoDB) setting; SQS mappings do not take it ` +
            "(retries are the queue's maxReceiveCount, failures go to the queue's redrive DLQ)",
        );
      }
    }
    if ("destinationConfig" in (config as object)) {
      throw new ConfigurationError(
        "destinationConfig",
        `${where}: AWS rejects this with "Unsupported DestinationConfig parameter for given event source mapping type."; configure a redrivePolicy on the queue instead`,
      );
    }
    assertOptions(where, config, CONFIG_KEYS);
    const batchSize = config.batchSize ?? 10;
    if (queue.fifo) {
      assertIntInRange(
        where,
        "batchSize",
        batchSize,
        1,
        10,
        "for FIFO queues BatchSize must be between 1 and 10",
      );
    } else {
      assertIntInRange(
        where,
        "batchSize",
        batchSize,
        1,
        10_000,
        "for standard queues BatchSize must be between 1 and 10000",
      );
    }
    const window = config.maximumBatchingWindowInSeconds ?? 0;
    assertIntInRange(
      where,
      "maximumBatchingWindowInSeconds",
      window,
      0,
      300,
      "MaximumBatchingWindowInSeconds is 0 to 300",
    );
    if (batchSize > 10 && window === 0) {
      throw new ConfigurationError(
        "maximumBatchingWindowInSeconds",
        `${where}: batchSize ${batchSize} needs a batching window (AWS: "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"); set maximumBatchingWindowInSeconds to 1-300 or batchSize to 10 or less`,
      );
    }
    let maximumConcurrency = DEFAULT_MAXIMUM_CONCURRENCY;
    if (config.scalingConfig !== undefined) {
      assertOptions(`${where} scalingConfig`, config.scalingConfig, ["maximumConcurrency"]);
      if (config.scalingConfig.maximumConcurrency !== undefined) {
        assertIntInRange(
          where,
          "scalingConfig.maximumConcurrency",
          config.scalingConfig.maximumConcurrency,
          2,
          1000,
          "MaximumConcurrency is 2 to 1000",
        );
        maximumConcurrency = config.scalingConfig.maximumConcurrency;
      }
    }
    const types = config.functionResponseTypes ?? [];
    if (!Array.isArray(types) || types.some((type) => type !== "ReportBatchItemFailures")) {
      throw new ConfigurationError(
        "functionResponseTypes",
        `${where}: functionResponseTypes must be [] or ["ReportBatchItemFailures"], got ${describe(types)}`,
      );
    }
    if (config.enabled !== undefined) assertBoolean(where, "enabled", config.enabled);
    this.#topology = topology;
    this.uuid = topology.newId();
    this.batchSize = batchSize;
    this.maximumBatchingWindowInSeconds = window;
    this.maximumConcurrency = maximumConcurrency;
    this.reportBatchItemFailures = types.length > 0;
    this.#enabled = config.enabled ?? true;
    this.#source = `esm:${queue.queueName}->${fn.functionName}`;
    const needed = window + fn.timeoutSeconds;
    this.#visibilityTimeoutSeconds =
      needed > queue.visibilityTimeoutSeconds ? needed + 30 : queue.visibilityTimeoutSeconds;
    if (queue.consumer !== undefined) {
      throw new ConfigurationError(
        "eventSourceArn",
        `${where}: ${queue.queueName} already feeds another function; Rebound models one mapping per queue (several mappings on one queue compete for its messages on AWS)`,
      );
    }
    queue.consumer = this;
    if (this.#enabled) this.notify();
  }

  /** Whether the mapping polls its queue (`Enabled`). */
  public get enabled(): boolean {
    return this.#enabled;
  }

  public get eventSourceArn(): string {
    return this.queue.arn;
  }

  public get functionName(): string {
    return this.fn.functionName;
  }

  /**
   * UpdateEventSourceMapping `Enabled`: a disabled mapping stops polling (batches in flight finish,
   * their messages are deleted or become visible again as usual); enabling it polls at once.
   */
  public setEnabled(enabled: boolean): void {
    assertBoolean("setEnabled", "enabled", enabled);
    if (enabled === this.#enabled) return;
    this.#enabled = enabled;
    const trace = this.#topology.trace;
    if (trace.on) trace.emit(this.#source, enabled ? "enabled" : "disabled", {});
    if (enabled) this.notify();
  }

  /** GetEventSourceMapping's state fields. */
  public status(): EventSourceMappingStatus {
    return {
      UUID: this.uuid,
      EventSourceArn: this.queue.arn,
      FunctionArn: this.fn.arn,
      State: this.#enabled ? "Enabled" : "Disabled",
      StateTransitionReason: "USER_INITIATED",
    };
  }

  /** The visibility timeout this mapping receives with (see the class documentation). */
  public get effectiveVisibilityTimeoutSeconds(): number {
    return this.#visibilityTimeoutSeconds;
  }

  /** Called by the queue when messages may be visible: schedules one poll at the current time. */
  public notify(): void {
    if (this.#pollScheduled || !this.#enabled) return;
    this.#pollScheduled = true;
    this.#topology.simulation.at(this.#topology.simulation.now(), this.#poll);
  }

  #pollNow(): void {
    this.#pollScheduled = false;
    if (!this.#enabled || this.#blocked) return;
    const queue = this.queue;
    while (this.#inFlight < this.maximumConcurrency) {
      if (this.maximumBatchingWindowInSeconds > 0) {
        this.#gather();
        return;
      }
      const requestId = this.#topology.newId();
      const messages = queue.receive(
        this.batchSize,
        this.#visibilityTimeoutSeconds,
        requestId,
        MAX_BATCH_BYTES,
      );
      if (messages.length === 0) return;
      this.#invoke(messages, requestId);
    }
  }

  #gather(): void {
    const queue = this.queue;
    for (;;) {
      if (this.#inFlight >= this.maximumConcurrency) return;
      let batch = this.#gathering;
      if (batch === undefined) {
        const requestId = this.#topology.newId();
        const messages = queue.receive(
          this.batchSize,
          this.#visibilityTimeoutSeconds,
          requestId,
          MAX_BATCH_BYTES,
        );
        if (messages.length === 0) return;
        batch = { requestId, messages, bytes: bytesOf(messages) };
        this.#gathering = batch;
        const opened = batch;
        if (this.#topology.trace.on) {
          this.#topology.trace.emit(this.#source, "window-open", {
            requestId,
            size: messages.length,
            windowSeconds: this.maximumBatchingWindowInSeconds,
          });
        }
        this.#topology.simulation.at(
          this.#topology.simulation.now() + this.maximumBatchingWindowInSeconds * 1000,
          () => {
            if (this.#gathering !== opened) return;
            this.#gathering = undefined;
            this.#invoke(opened.messages, opened.requestId);
            this.notify();
          },
        );
      } else {
        const more = queue.receive(
          this.batchSize - batch.messages.length,
          this.#visibilityTimeoutSeconds,
          batch.requestId,
          MAX_BATCH_BYTES - batch.bytes,
        );
        if (more.length === 0) return;
        for (const message of more) batch.messages.push(message);
        batch.bytes += bytesOf(more);
      }
      if (batch.messages.length < this.batchSize && batch.bytes < MAX_BATCH_BYTES) return;
      this.#gathering = undefined;
      this.#invoke(batch.messages, batch.requestId);
    }
  }

  #invoke(messages: SqsMessage[], requestId: string): void {
    this.#inFlight++;
    const receiveCounts = new Array<number>(messages.length);
    for (let i = 0; i < messages.length; i++) receiveCounts[i] = messages[i]!.receiveCount;
    // A function whose handler reads no event (a scripted one that says so) is handed none: building
    // ten records per batch was the largest cost of the 1M-message benchmark after the MD5s.
    const event = this.fn.readsEvent
      ? { Records: messages.map((message) => this.#record(message)) }
      : undefined;
    const keys = this.#topology.outcomes.detailed ? messages.map((message) => message.messageId) : undefined;
    this.#attempt(new SqsBatch(messages, requestId, receiveCounts, event, keys));
  }

  readonly #attemptCall = (batch: SqsBatch): void => this.#attempt(batch);

  #attempt(batch: SqsBatch): void {
    this.invocations++;
    const trace = this.#topology.trace;
    if (trace.on)
      trace.emit(this.#source, "invoke", { requestId: batch.requestId, size: batch.messages.length });
    this.fn.invoke(batch.event, batch.requestId, this.#onDone, batch);
  }

  readonly #onDone = (result: InvocationResult, batch: SqsBatch): void => {
    const topology = this.#topology;
    const { messages, receiveCounts, keys, requestId } = batch;
    if (result.status === InvocationStatus.Throttled) {
      this.throttles++;
      this.#recordAttempts(messages, receiveCounts, result, keys, undefined);
      batch.throttleDelayMs =
        batch.throttleDelayMs === 0 ? THROTTLE_FIRST_DELAY_MS : batch.throttleDelayMs * 2;
      const now = topology.simulation.now();
      const deadline = Math.min(...messages.map((message) => message.visibleAtMs));
      if (now + batch.throttleDelayMs < deadline) {
        this.#blocked = true;
        if (topology.trace.on)
          topology.trace.emit(this.#source, "throttle-retry", { requestId, delayMs: batch.throttleDelayMs });
        topology.simulation.callAt(
          now + batch.throttleDelayMs,
          this.#attemptCall,
          batch,
          undefined,
          undefined,
        );
        return;
      }
      // Give up on this receive: the messages return when their visibility timeout ends.
      if (topology.trace.on) topology.trace.emit(this.#source, "throttle-abandon", { requestId });
      this.#blocked = false;
      this.#inFlight--;
      return;
    }
    if (this.#blocked) this.#blocked = false;
    this.#inFlight--;
    this.#complete(messages, receiveCounts, result, keys, requestId);
    this.notify();
  };

  #complete(
    messages: SqsMessage[],
    receiveCounts: number[],
    result: InvocationResult,
    keys: string[] | undefined,
    requestId: string,
  ): void {
    const topology = this.#topology;
    const queue = this.queue;
    let failed: ReadonlySet<string> | undefined;
    let invalidReason: string | undefined;
    if (result.status === InvocationStatus.Success && this.reportBatchItemFailures) {
      let ids: Set<string> | undefined;
      const verdict = readPartialBatchResponse(result.payload, (id) => {
        ids ??= new Set(messages.map((message) => message.messageId));
        return ids.has(id);
      });
      if (verdict.kind === PartialBatchVerdict.Partial) failed = verdict.failed;
      else if (verdict.kind === PartialBatchVerdict.Invalid) invalidReason = verdict.reason;
    }
    const wholeBatchFailed = result.status !== InvocationStatus.Success || invalidReason !== undefined;
    this.#recordAttempts(messages, receiveCounts, result, keys, failed, invalidReason !== undefined);
    let deleted = 0;
    if (!wholeBatchFailed) {
      for (let i = 0; i < messages.length; i++) {
        const message = messages[i]!;
        if (failed?.has(message.messageId)) continue;
        if (queue.deleteMessage(message, receiveCounts[i]!)) deleted++;
      }
    }
    if (topology.trace.on) {
      topology.trace.emit(this.#source, "result", {
        requestId,
        status: result.status,
        errorType: result.status === InvocationStatus.FunctionError ? result.error.errorType : undefined,
        invalidResponse: invalidReason,
        failed: wholeBatchFailed ? messages.length : (failed?.size ?? 0),
        deleted,
      });
    }
  }

  #recordAttempts(
    messages: SqsMessage[],
    receiveCounts: number[],
    result: InvocationResult,
    keys: string[] | undefined,
    failed: ReadonlySet<string> | undefined,
    invalid = false,
  ): void {
    const outcomes = this.#topology.outcomes;
    if (!outcomes.detailed) {
      outcomes.countAttempts(messages.length);
      return;
    }
    const invoked = attemptResultOf(result);
    // A success whose answer Lambda cannot read fails the whole batch (an invalid partial batch response).
    const base = invoked === AttemptResult.Success && invalid ? AttemptResult.InvalidResponse : invoked;
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i]!;
      const itemResult =
        base === AttemptResult.Success && failed?.has(message.messageId) ? AttemptResult.ItemFailure : base;
      outcomes.attempt(message.eventId, {
        startMs: result.startMs,
        endMs: result.endMs,
        functionName: this.fn.functionName,
        requestId: result.requestId,
        result: itemResult,
        ...(result.status === InvocationStatus.FunctionError ? { errorType: result.error.errorType } : {}),
        ...(keys !== undefined ? { batch: keys } : {}),
        receiveCount: receiveCounts[i]!,
      });
    }
  }

  /** The record of one message as Lambda's SQS event carries it (docs/aws-semantics.md#sqs-record-shape). */
  #record(message: SqsMessage): Record<string, unknown> {
    const attributes: Record<string, string> = {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentMs),
    };
    if (message.sequenceNumber !== undefined) {
      attributes["SequenceNumber"] = message.sequenceNumber;
      attributes["MessageGroupId"] = message.groupId!;
    }
    attributes["SenderId"] = SENDER_ID;
    if (message.deduplicationId !== undefined) attributes["MessageDeduplicationId"] = message.deduplicationId;
    attributes["ApproximateFirstReceiveTimestamp"] = String(message.firstReceiveMs);
    // SQS stamps a message it moved to a dead-letter queue with the queue it came from.
    if (message.deadLetterQueueSourceArn !== undefined) {
      attributes["DeadLetterQueueSourceArn"] = message.deadLetterQueueSourceArn;
    }
    const record: Record<string, unknown> = {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle,
      body: message.body,
      attributes,
      messageAttributes: lambdaMessageAttributes(message),
      md5OfBody: message.md5OfBody,
    };
    if (message.md5OfMessageAttributes !== undefined)
      record["md5OfMessageAttributes"] = message.md5OfMessageAttributes;
    record["eventSource"] = "aws:sqs";
    record["eventSourceARN"] = this.queue.arn;
    record["awsRegion"] = this.#topology.region;
    return record;
  }

  /** Batches waiting in a batching window or in flight. */
  public get inFlight(): number {
    return this.#inFlight;
  }
}

/** One received batch on its way through the function (and its throttle retries). */
class SqsBatch {
  public throttleDelayMs = 0;

  public constructor(
    public readonly messages: SqsMessage[],
    public readonly requestId: string,
    /** Receive count of each message at this receive: its receipt (a later receive invalidates it). */
    public readonly receiveCounts: number[],
    public readonly event: { Records: Record<string, unknown>[] } | undefined,
    /** Message ids of the batch for detailed outcomes. */
    public readonly keys: string[] | undefined,
  ) {}
}

function lambdaMessageAttributes(message: SqsMessage): Record<string, unknown> {
  const attributes = message.messageAttributes;
  if (attributes === undefined) return {};
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    result[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined
        ? { binaryValue: Buffer.from(value.BinaryValue).toString("base64") }
        : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType,
    };
  }
  return result;
}

function bytesOf(messages: readonly SqsMessage[]): number {
  let bytes = 0;
  for (const message of messages) bytes += message.body.length;
  return bytes;
}
