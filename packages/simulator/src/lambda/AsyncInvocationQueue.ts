import { parseArn } from "../engine/arn.js";
import { ConfigurationError } from "../engine/errors.js";
import type { ModelEnv } from "../engine/ModelEnv.js";
import { Disposition } from "../engine/Outcomes.js";
import { assertIntInRange, assertOptions, assertString, describe } from "../engine/validate.js";
import {
  AsyncCondition,
  asyncInvocationRecord,
  functionDlqAttributes,
  type LastResponse,
} from "./asyncRecords.js";
import { attemptResultOf } from "./attemptResult.js";
import type { DeliveryTargets } from "./Deliveries.js";
import { type InvocationResult, InvocationStatus, type LambdaFunction } from "./LambdaFunction.js";

/** What the async invocation queue needs from the topology: its destinations and function lookup. */
export interface AsyncInvocationEnv extends ModelEnv, DeliveryTargets {
  /** A function by name or ARN; throws `ResourceNotFoundError` naming `where` when there is none. */
  function(reference: string, where?: string): LambdaFunction;
}

/** A destination (`{ destination: arn }`), as in DestinationConfig. */
export interface DestinationTarget {
  readonly destination: string;
}

/** PutFunctionEventInvokeConfig input, with AWS's names. */
export interface EventInvokeConfig {
  readonly functionName: string;
  /** 0–2, default 2. */
  readonly maximumRetryAttempts?: number;
  /** 60–21600, default 21600 (6 h). */
  readonly maximumEventAgeInSeconds?: number;
  readonly destinationConfig?: {
    readonly onSuccess?: DestinationTarget;
    readonly onFailure?: DestinationTarget;
  };
}

const CONFIG_KEYS = [
  "functionName",
  "maximumRetryAttempts",
  "maximumEventAgeInSeconds",
  "destinationConfig",
] as const;

/** Defaults when the config leaves a field unset (AWS omits it and applies these). */
export const ASYNC_DEFAULTS = {
  maximumRetryAttempts: 2,
  maximumEventAgeInSeconds: 21_600,
} as const;

/** Waits before the first and second retry of a function error: 1 minute, then 2 (AWS docs). */
const RETRY_DELAYS_MS = [60_000, 120_000] as const;
/** Throttle backoff: exponential from 1 s, capped at 5 minutes (AWS docs); doubling is Rebound's reading. */
const THROTTLE_FIRST_DELAY_MS = 1_000;
const THROTTLE_MAX_DELAY_MS = 300_000;

class AsyncEvent {
  public retries = 0;
  public invokeCount = 0;
  public throttleDelayMs = 0;
  /** Set once an attempt ran: its response, for the destination record. */
  public lastKind: "success" | "error" | undefined = undefined;
  public lastValue: unknown = undefined;
  /** Index in the queue's held list (swap-removed when the event settles). */
  public heldSlot = -1;

  public constructor(
    public readonly payload: unknown,
    public readonly requestId: string,
    public readonly eventId: number,
    public readonly enqueuedMs: number,
  ) {}

  /** The last response as destination records carry it, built only when a record is. */
  public get last(): LastResponse | undefined {
    if (this.lastKind === "success") return { kind: "success", payload: this.lastValue };
    if (this.lastKind === "error")
      return { kind: "error", error: this.lastValue as Extract<LastResponse, { kind: "error" }>["error"] };
    return undefined;
  }
}

/**
 * Lambda's internal queue for one function's asynchronous invocations (InvocationType Event, SNS,
 * destinations that target a function).
 *
 * - Function errors (thrown, returned, timeout) are retried `maximumRetryAttempts` times (0–2, default 2),
 *   1 minute after the first failure and 2 minutes after the second, measured from the end of the failed
 *   attempt (AWS says "wait between attempts").
 * - Before a retry is scheduled, its planned time is checked against `maximumEventAgeInSeconds`: if it
 *   would start at or after the event expires, the event fails now with `EventAgeExceeded` (observed on AWS:
 *   with 60 s an always-failing function runs once).
 * - Throttles are retried with a backoff of 1 s doubling to 5 min, without counting as retries, until
 *   the next planned attempt would pass the event age.
 * - Reserved concurrency 0 sends the event straight to failure with `ZeroReservedConcurrency`, count 0.
 * - Every attempt carries the same request id.
 * - On failure: the on-failure destination gets the record and the function DLQ gets the original event.
 *   When both are set both receive it (AWS does not say; Rebound's documented choice), and the outcome
 *   is `sent-to-destination` with the DLQ copy in `alsoSentTo`. With neither, the event is dropped
 *   (`expired` when its age ran out). On success the on-success destination gets the record.
 * - The internal queue adds no latency of its own (AWS's is unspecified and usually sub-second).
 *
 * @example
 * ```ts
 * topology.putFunctionEventInvokeConfig({ functionName: "receipts", maximumRetryAttempts: 1,
 *   destinationConfig: { onFailure: { destination: failures.arn } } });
 * topology.invokeAsync("receipts", { orderId: 7 });
 * topology.run();
 * ```
 */
export class AsyncInvocationQueue {
  public maximumRetryAttempts: number = ASYNC_DEFAULTS.maximumRetryAttempts;
  public maximumEventAgeInSeconds: number = ASYNC_DEFAULTS.maximumEventAgeInSeconds;
  public onSuccess: string | undefined;
  public onFailure: string | undefined;
  /** Whether an event invoke config was put (for `explain` and reports). */
  public configured = false;
  /** Attempts that reached the function, and throttled attempts. */
  public attempts = 0;
  public throttles = 0;
  readonly #topology: AsyncInvocationEnv;
  readonly #fn: LambdaFunction;
  readonly #source: string;
  // Events waiting for an attempt or a retry, in a swap-remove array: a Set add/delete per event cost
  // more than the rest of accepting it.
  readonly #held: AsyncEvent[] = [];
  readonly #attemptCall = (event: AsyncEvent): void => this.#attempt(event);
  readonly #onDone = (result: InvocationResult, event: AsyncEvent): void => this.completed(event, result);

  public constructor(topology: AsyncInvocationEnv, fn: LambdaFunction) {
    this.#topology = topology;
    this.#fn = fn;
    this.#source = `async:${fn.functionName}`;
  }

  public get functionName(): string {
    return this.#fn.functionName;
  }

  /** PutFunctionEventInvokeConfig: replaces the whole configuration. */
  public put(config: EventInvokeConfig): void {
    const checked = this.#check("putFunctionEventInvokeConfig", config);
    this.maximumRetryAttempts = checked.maximumRetryAttempts ?? ASYNC_DEFAULTS.maximumRetryAttempts;
    this.maximumEventAgeInSeconds =
      checked.maximumEventAgeInSeconds ?? ASYNC_DEFAULTS.maximumEventAgeInSeconds;
    this.onSuccess = checked.destinationConfig?.onSuccess?.destination;
    this.onFailure = checked.destinationConfig?.onFailure?.destination;
    this.configured = true;
  }

  /** UpdateFunctionEventInvokeConfig: changes only the fields given. */
  public update(config: EventInvokeConfig): void {
    const checked = this.#check("updateFunctionEventInvokeConfig", config);
    if (checked.maximumRetryAttempts !== undefined) this.maximumRetryAttempts = checked.maximumRetryAttempts;
    if (checked.maximumEventAgeInSeconds !== undefined)
      this.maximumEventAgeInSeconds = checked.maximumEventAgeInSeconds;
    if (checked.destinationConfig?.onSuccess !== undefined)
      this.onSuccess = checked.destinationConfig.onSuccess.destination;
    if (checked.destinationConfig?.onFailure !== undefined)
      this.onFailure = checked.destinationConfig.onFailure.destination;
    this.configured = true;
  }

  #check(where: string, config: EventInvokeConfig): EventInvokeConfig {
    assertOptions(where, config, CONFIG_KEYS);
    if (config.maximumRetryAttempts !== undefined) {
      assertIntInRange(
        where,
        "maximumRetryAttempts",
        config.maximumRetryAttempts,
        0,
        2,
        `"1 validation error detected: Value '${String(config.maximumRetryAttempts)}' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value ${Number(config.maximumRetryAttempts) > 2 ? "less than or equal to 2" : "greater than or equal to 0"}"`,
      );
    }
    if (config.maximumEventAgeInSeconds !== undefined) {
      assertIntInRange(
        where,
        "maximumEventAgeInSeconds",
        config.maximumEventAgeInSeconds,
        60,
        21_600,
        `"1 validation error detected: Value '${String(config.maximumEventAgeInSeconds)}' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value ${Number(config.maximumEventAgeInSeconds) > 21_600 ? "less than or equal to 21600" : "greater than or equal to 60"}"`,
      );
    }
    const destinations = config.destinationConfig;
    if (destinations !== undefined) {
      assertOptions(`${where} destinationConfig`, destinations, ["onSuccess", "onFailure"]);
      for (const [key, target] of Object.entries(destinations) as [string, DestinationTarget | undefined][]) {
        if (target === undefined) continue;
        assertOptions(`${where} destinationConfig.${key}`, target, ["destination"]);
        assertString(where, `destinationConfig.${key}.destination`, target.destination);
        const service = parseArn(target.destination)?.service;
        const allowed =
          key === "onFailure" ? ["sqs", "sns", "lambda", "events", "s3"] : ["sqs", "sns", "lambda", "events"];
        if (service === undefined || !allowed.includes(service)) {
          throw new ConfigurationError(
            `destinationConfig.${key}.destination`,
            `${where}: destinationConfig.${key}.destination ${describe(target.destination)} must be the ARN of ${key === "onFailure" ? "an SQS queue, SNS topic, Lambda function, EventBridge bus or S3 bucket" : "an SQS queue, SNS topic, Lambda function or EventBridge bus (S3 is on-failure only)"}`,
          );
        }
        if (service === "lambda" && this.#topology.function(target.destination, where) === this.#fn) {
          throw new ConfigurationError(
            `destinationConfig.${key}.destination`,
            `${where}: ${this.#fn.functionName}: AWS rejects this with "You can't specify the function as a destination for itself."`,
          );
        }
      }
    }
    if (
      config.maximumRetryAttempts === undefined &&
      config.maximumEventAgeInSeconds === undefined &&
      destinations?.onSuccess === undefined &&
      destinations?.onFailure === undefined
    ) {
      throw new ConfigurationError(
        "functionName",
        `${where}: ${config.functionName}: AWS rejects an empty config with "You must specify at least one of error handling or destination setting."`,
      );
    }
    return config;
  }

  /** Checks that destinations exist. */
  public validateReferences(): void {
    for (const target of [this.onSuccess, this.onFailure]) {
      if (target === undefined) continue;
      this.#topology.assertTargetExists(target, `${this.#fn.functionName} destination`);
    }
  }

  /** Accepts one event (Invoke answers 202) and schedules its first attempt. */
  public accept(payload: unknown, requestId: string, parent?: number): void {
    const topology = this.#topology;
    const now = topology.simulation.now();
    const eventId = topology.outcomes.inject(this.#source, requestId, parent);
    const event = new AsyncEvent(payload, requestId, eventId, now);
    event.heldSlot = this.#held.length;
    this.#held.push(event);
    if (topology.trace.on) topology.trace.emit(this.#source, "accept", { requestId, event: eventId });
    if (this.#fn.reservedConcurrency === 0) {
      this.#fail(event, AsyncCondition.ZeroReservedConcurrency);
      return;
    }
    topology.simulation.callAt(now, this.#attemptCall, event, undefined, undefined);
  }

  #attempt(event: AsyncEvent): void {
    this.#fn.invoke(event.payload, event.requestId, this.#onDone, event);
  }

  #release(event: AsyncEvent): void {
    const held = this.#held;
    const slot = event.heldSlot;
    if (slot < 0) return;
    const last = held.pop()!;
    if (last !== event) {
      held[slot] = last;
      last.heldSlot = slot;
    }
    event.heldSlot = -1;
  }

  /** @internal Called by the function runtime when an attempt ends. */
  public completed(event: AsyncEvent, result: InvocationResult): void {
    const topology = this.#topology;
    const now = topology.simulation.now();
    const outcomes = topology.outcomes;
    if (outcomes.detailed) {
      outcomes.attempt(event.eventId, {
        startMs: result.startMs,
        endMs: result.endMs,
        functionName: this.#fn.functionName,
        requestId: event.requestId,
        result: attemptResultOf(result),
        ...(result.status === InvocationStatus.FunctionError ? { errorType: result.error.errorType } : {}),
      });
    } else {
      outcomes.countAttempts(1);
    }
    const expiresMs = event.enqueuedMs + this.maximumEventAgeInSeconds * 1000;
    if (result.status === InvocationStatus.Throttled) {
      this.throttles++;
      event.throttleDelayMs =
        event.throttleDelayMs === 0
          ? THROTTLE_FIRST_DELAY_MS
          : Math.min(event.throttleDelayMs * 2, THROTTLE_MAX_DELAY_MS);
      if (now + event.throttleDelayMs >= expiresMs) {
        this.#fail(event, AsyncCondition.EventAgeExceeded);
        return;
      }
      if (topology.trace.on) {
        topology.trace.emit(this.#source, "throttle-backoff", {
          requestId: event.requestId,
          delayMs: event.throttleDelayMs,
        });
      }
      topology.simulation.callAt(now + event.throttleDelayMs, this.#attemptCall, event, undefined, undefined);
      return;
    }
    this.attempts++;
    event.invokeCount++;
    event.throttleDelayMs = 0;
    if (result.status === InvocationStatus.Success) {
      event.lastKind = "success";
      event.lastValue = result.payload;
      this.#succeed(event);
      return;
    }
    event.lastKind = "error";
    event.lastValue = result.error;
    if (event.retries >= this.maximumRetryAttempts) {
      this.#fail(event, AsyncCondition.RetriesExhausted);
      return;
    }
    const delayMs = RETRY_DELAYS_MS[event.retries] ?? RETRY_DELAYS_MS[1];
    if (now + delayMs >= expiresMs) {
      this.#fail(event, AsyncCondition.EventAgeExceeded);
      return;
    }
    event.retries++;
    if (topology.trace.on) {
      topology.trace.emit(this.#source, "retry", {
        requestId: event.requestId,
        retry: event.retries,
        delayMs,
      });
    }
    topology.simulation.callAt(now + delayMs, this.#attemptCall, event, undefined, undefined);
  }

  #succeed(event: AsyncEvent): void {
    const topology = this.#topology;
    this.#release(event);
    if (topology.trace.on)
      topology.trace.emit(this.#source, "success", {
        requestId: event.requestId,
        attempts: event.invokeCount,
      });
    if (this.onSuccess === undefined) {
      topology.outcomes.settle(event.eventId, Disposition.Processed);
      return;
    }
    const record = this.#record(event, AsyncCondition.Success);
    const delivered = topology.deliver(this.onSuccess, record, this.#delivery(event, record));
    topology.outcomes.settle(event.eventId, Disposition.Processed, {
      target: this.onSuccess,
      reason: delivered ? "on-success destination" : "on-success destination delivery failed",
      record,
    });
  }

  #fail(event: AsyncEvent, condition: AsyncCondition): void {
    const topology = this.#topology;
    this.#release(event);
    if (topology.trace.on) {
      topology.trace.emit(this.#source, "failure", {
        requestId: event.requestId,
        condition,
        attempts: event.invokeCount,
      });
    }
    const record = this.#record(event, condition);
    const sent: { target: string; record: unknown }[] = [];
    if (
      this.onFailure !== undefined &&
      topology.deliver(this.onFailure, record, this.#delivery(event, record))
    ) {
      sent.push({ target: this.onFailure, record });
    }
    const dlq = this.#fn.deadLetterTargetArn;
    if (dlq !== undefined) {
      const body = typeof event.payload === "string" ? event.payload : JSON.stringify(event.payload ?? {});
      const last = event.last;
      const ran = last?.kind === "error";
      const attributes = functionDlqAttributes(
        event.requestId,
        ran ? 200 : 429,
        last?.kind === "error"
          ? last.error.errorMessage
          : condition === AsyncCondition.ZeroReservedConcurrency
            ? "ZeroReservedConcurrency"
            : "Rate Exceeded.",
      );
      if (topology.deliver(dlq, body, { parent: event.eventId, messageAttributes: attributes })) {
        sent.push({ target: dlq, record: { body, messageAttributes: attributes } });
      }
    }
    const first = sent[0];
    if (first === undefined) {
      topology.outcomes.settle(
        event.eventId,
        condition === AsyncCondition.EventAgeExceeded ? Disposition.Expired : Disposition.Dropped,
        { reason: condition, record },
      );
      return;
    }
    topology.outcomes.settle(
      event.eventId,
      first.target === this.onFailure ? Disposition.SentToDestination : Disposition.DeadLettered,
      {
        target: first.target,
        reason: condition,
        record: first.record,
        ...(sent.length > 1 ? { alsoSentTo: sent.slice(1) } : {}),
      },
    );
  }

  #record(event: AsyncEvent, condition: AsyncCondition): ReturnType<typeof asyncInvocationRecord> {
    return asyncInvocationRecord({
      timestampMs: this.#topology.simulation.now(),
      requestId: event.requestId,
      functionArn: this.#fn.qualifiedArn,
      condition,
      approximateInvokeCount: event.invokeCount,
      requestPayload: event.payload,
      ...(event.lastKind !== undefined ? { lastResponse: event.last } : {}),
    });
  }

  #delivery(
    event: AsyncEvent,
    record: { requestContext: { condition: string } },
  ): {
    parent: number;
    functionArn: string;
    objectKey: string;
  } {
    const date = new Date(this.#topology.simulation.now()).toISOString();
    return {
      parent: event.eventId,
      functionArn: this.#fn.qualifiedArn,
      // AWS does not document the key of an async S3 record; Rebound mirrors the stream layout.
      objectKey: `aws/lambda/async/${this.#fn.functionName}/${date.slice(0, 10).replaceAll("-", "/")}/${record.requestContext.condition}-${event.requestId}`,
    };
  }

  /** Outcome ids of events waiting for an attempt or a retry. */
  public heldEventIds(): number[] {
    return this.#held.map((event) => event.eventId);
  }
}
