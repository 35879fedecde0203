import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import {
  type ClassificationResult,
  type ClassificationRule,
  type Classifier,
  createClassifier,
} from "./classify.js";
import { createJsonLogger, type Logger } from "./createJsonLogger.js";
import { assertContext, describeEvent } from "./describeEvent.js";
import { FullBatchFailureError, InvalidEventError } from "./errors.js";
import { logFailure } from "./logFailure.js";
import { errorFields, type Parker, type ParkingOption, parkedEvent } from "./parking.js";
import { resolveParker } from "./SqsParker.js";
import {
  COMMON_OPTIONS,
  isBoolean,
  isIntegerIn,
  type OptionSpec,
  PARKING_OPTION,
  validateOptions,
  withDefaults,
} from "./validateOptions.js";

/**
 * What the record handler knows about this delivery. `receiveCount` is SQS's
 * `ApproximateReceiveCount` (1 on the first delivery); `isRetry` is `receiveCount > 1`.
 *
 * @example
 * ```ts
 * import { sqsBatchHandler } from "@rebound/errors";
 * export const handler = sqsBatchHandler(async (record, attempt) => {
 *   if (attempt.isRetry) console.log(`delivery #${attempt.receiveCount} of ${attempt.messageId}`);
 * });
 * ```
 */
export interface SqsRecordAttempt {
  readonly receiveCount: number;
  readonly isRetry: boolean;
  readonly messageId: string;
  /** FIFO queues: the record's `MessageGroupId`; standard queues: undefined. */
  readonly messageGroupId: string | undefined;
}

/**
 * Processes one SQS record; throw to fail it (the error's classification decides what happens).
 *
 * @example
 * ```ts
 * import { type SqsRecordHandler, sqsBatchHandler } from "@rebound/errors";
 * const chargeRecord: SqsRecordHandler = async (record, attempt) => {
 *   const payment = JSON.parse(record.body) as { orderId: string };
 *   console.log(`charging ${payment.orderId} (receive #${attempt.receiveCount})`);
 * };
 * export const handler = sqsBatchHandler(chargeRecord);
 * ```
 */
export type SqsRecordHandler = (
  record: SQSRecord,
  attempt: SqsRecordAttempt,
  context: Context,
) => Promise<unknown>;

/**
 * Options of {@link sqsBatchHandler}.
 *
 * @example
 * ```ts
 * import { type SqsBatchHandlerOptions, sqsBatchHandler } from "@rebound/errors";
 * const options: SqsBatchHandlerOptions = {
 *   parking: { queueUrl: process.env.PARKING_QUEUE_URL! },
 *   concurrency: 10,
 *   throwOnFullBatchFailure: true,
 * };
 * export const handler = sqsBatchHandler(async (record) => console.log(record.body), options);
 * ```
 */
export interface SqsBatchHandlerOptions {
  /**
   * Where permanent failures go, e.g. `{ queueUrl: <the source queue's DLQ> }`. Without it, permanent
   * failures are reported like retryable ones, so they reach the DLQ through `maxReceiveCount`.
   */
  readonly parking?: ParkingOption;
  /** Records processed at once on a standard queue, or message groups at once on FIFO. Default 1 (sequential). 1-100. */
  readonly concurrency?: number;
  /** User classification rules, consulted before the built-in ones. */
  readonly rules?: readonly ClassificationRule[];
  /** Default: the built-in JSON logger on stdout. */
  readonly logger?: Logger;
  /** Epoch-ms clock for `parkedAt` and log timestamps; default `Date.now`. */
  readonly clock?: () => number;
  /**
   * When every record failed retryably (none succeeded, none parked), throw a `FullBatchFailureError`
   * instead of reporting each id: the messages come back the same way, and Lambda also backs off the
   * queue's pollers, which it does for function errors. Default true (as Powertools does).
   */
  readonly throwOnFullBatchFailure?: boolean;
}

const OPTIONS = {
  parking: PARKING_OPTION,
  concurrency: [isIntegerIn(1, 100), "an integer from 1 to 100, e.g. { concurrency: 10 }"],
  ...COMMON_OPTIONS,
  throwOnFullBatchFailure: [isBoolean, "a boolean"],
} satisfies Record<string, OptionSpec>;

const EXPECTED = 'an SQS event: { Records: [{ eventSource: "aws:sqs", messageId, body, attributes }] }';

// The defaults the option docs above state, in one typed table (the logger's depends on the clock).
const DEFAULTS = {
  concurrency: 1,
  throwOnFullBatchFailure: true,
  clock: Date.now,
} satisfies Required<Pick<SqsBatchHandlerOptions, "concurrency" | "throwOnFullBatchFailure" | "clock">>;

const EMPTY = new Uint8Array(0);
const REPORTED = 1;
const PARKED = 2;

/**
 * Wraps an SQS record handler into a Lambda handler that returns a partial batch response
 * (enable `ReportBatchItemFailures` on the event source mapping):
 * - success → not reported (deleted by Lambda);
 * - retryable failure → listed in `batchItemFailures`, so it comes back after the visibility timeout;
 * - permanent failure → parked (original record, error, receive count) and not reported, so it does
 *   not burn `maxReceiveCount`; if parking fails, reported instead, so it is never lost;
 * - FIFO (ARN ending `.fifo` or a `MessageGroupId`): at a group's first failure, that message and every
 *   later one of the group are reported without running; other groups go on;
 * - a failure outside the record handler (wrong event, a logger that throws) fails the whole batch.
 * Records run sequentially unless `concurrency` > 1. The response lists ids in batch order.
 *
 * @example
 * ```ts
 * import { sqsBatchHandler, ValidationError } from "@rebound/errors";
 * declare function charge(payment: { orderId: string }): Promise<void>;
 * export const handler = sqsBatchHandler(
 *   async (record) => {
 *     const payment = JSON.parse(record.body); // malformed → SyntaxError → permanent → parked
 *     if (!payment.orderId) throw new ValidationError("orderId missing");
 *     await charge(payment); // throttled → retryable → reported
 *   },
 *   { parking: { queueUrl: process.env.PARKING_QUEUE_URL! } },
 * );
 * ```
 */
export function sqsBatchHandler(
  recordHandler: SqsRecordHandler,
  options: SqsBatchHandlerOptions = {},
): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  validateOptions("sqsBatchHandler", recordHandler, options, OPTIONS);
  const settings = withDefaults(options, DEFAULTS);
  const config: SqsConfig = {
    ...settings,
    handler: recordHandler,
    classifier: createClassifier(options.rules),
    parker: options.parking && resolveParker(options.parking),
    logger: options.logger ?? createJsonLogger({ clock: settings.clock }),
  };
  // V8 holds the hidden class ("map") of SqsBatch instances only weakly: a full GC between two
  // invocations, when no instance is alive, collects it, and the next invocation deoptimises every
  // function optimised for it (measured: 10% failures ran 1.4-2x slower after each full GC). One idle
  // instance per wrapper, alive as long as the wrapper, keeps the map.
  const keeper = new SqsBatch(config, undefined as never, undefined);
  return async function reboundSqsBatchHandler(event, context) {
    assertContext("sqsBatchHandler", context);
    const records = sqsRecordsOf(event);
    const batch = new SqsBatch(config, context, keeper);
    if (batch.take(records) || config.concurrency > 1) await batch.runWorkers();
    else {
      // The hot path, here rather than in an async method: one await per record instead of two
      // (measured 3x the throughput at 0% failures), and no log object unless something failed.
      for (let i = 0; i < records.length; i++) {
        const record = records[i]!;
        try {
          await recordHandler(record, attemptOf(record), context);
        } catch (error) {
          const parking = batch.fail(i, error);
          if (parking) await parking;
        }
      }
    }
    return batch.response();
  };
}

// The wrapper's settings, resolved once per wrapper and shared by its invocations.
interface SqsConfig {
  readonly handler: SqsRecordHandler;
  readonly classifier: Classifier;
  readonly parker: Parker | undefined;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly concurrency: number;
  readonly throwOnFullBatchFailure: boolean;
}

// The state of one invocation. A class with methods on the prototype rather than closures created
// per invocation: optimised code that inlined a per-invocation closure is thrown away at the next
// full GC (V8 "weak objects" deopt), and the failure path then ran unoptimised for most of the next
// batch (measured 2-3x slower at 10% failures after a full GC). Members are private (#): esbuild
// shortens private names when minifying, not public ones.
class SqsBatch {
  readonly #config: SqsConfig;
  readonly #context: Context;
  #records: SQSRecord[] = [];
  // Outcome per record, in a typed array (0 = processed, the initial value): no object per record.
  #outcome: Uint8Array = EMPTY;
  #reported = 0;
  #firstError: unknown;
  // FIFO only: the record indexes of each message group, in batch order (one lane per group).
  #lanes: number[][] | undefined;
  #next = 0;
  /** The wrapper's idle instance, referenced so it lives as long as the wrapper (see above). */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: held only to keep the instance alive
  readonly #keeper: SqsBatch | undefined;

  constructor(config: SqsConfig, context: Context, keeper: SqsBatch | undefined) {
    this.#config = config;
    this.#context = context;
    this.#keeper = keeper;
  }

  // Takes the batch. For FIFO it returns true, with one lane of record indexes per message group in
  // batch order: FIFO batches always go through the workers.
  take(records: SQSRecord[]): boolean {
    this.#records = records;
    this.#outcome = new Uint8Array(records.length);
    if (records.length === 0 || !isFifo(records[0]!)) return false;
    const lanes = new Map<string | undefined, number[]>();
    for (let i = 0; i < records.length; i++) {
      const group = groupIdOf(records[i]!);
      const lane = lanes.get(group);
      if (lane) lane.push(i);
      else lanes.set(group, [i]);
    }
    this.#lanes = [...lanes.values()];
    return true;
  }

  // Work units are records (standard queue) or lanes (FIFO), taken in order by `concurrency` workers.
  // Waits for every worker before failing the batch, so no record still runs after the response.
  async runWorkers(): Promise<void> {
    const work = (this.#lanes ?? this.#records).length;
    const workers: Promise<void>[] = [];
    for (let w = 0; w < Math.min(this.#config.concurrency, work); w++) workers.push(this.#worker(work));
    for (const result of await Promise.allSettled(workers))
      if (result.status === "rejected") throw result.reason;
  }

  async #worker(work: number): Promise<void> {
    const lanes = this.#lanes;
    while (this.#next < work) {
      const n = this.#next++;
      if (lanes === undefined) await this.#one(n);
      else {
        // FIFO order: once a group failed, its later messages are returned unprocessed (AWS: "return
        // all failed and unprocessed messages"); they are not failures of their own, so not logged.
        let failed = false;
        for (const i of lanes[n]!) {
          if (failed) this.#report(i, undefined);
          else {
            await this.#one(i);
            failed = this.#outcome[i] === REPORTED;
          }
        }
      }
    }
  }

  async #one(i: number): Promise<void> {
    const record = this.#records[i]!;
    try {
      await this.#config.handler(record, attemptOf(record), this.#context);
    } catch (error) {
      const parking = this.fail(i, error);
      if (parking) await parking;
    }
  }

  // The partial batch response, or a FullBatchFailureError when every record failed retryably.
  response(): SQSBatchResponse {
    const records = this.#records;
    const count = records.length;
    const batchItemFailures: SQSBatchItemFailure[] = [];
    if (this.#config.throwOnFullBatchFailure && this.#reported === count && count > 0) {
      throw new FullBatchFailureError(
        `all ${count} records failed; thrown so Lambda retries them and backs off`,
        { cause: this.#firstError, failedCount: count },
      );
    }
    const outcome = this.#outcome;
    for (let i = 0; i < count; i++) {
      if (outcome[i] === REPORTED) batchItemFailures.push({ itemIdentifier: records[i]!.messageId });
    }
    return { batchItemFailures };
  }

  // Runs only for a failed record: classify, then report (synchronously: no extra await on the
  // common path) or park (returns the promise to await). Not private: the wrapper's loop calls it.
  fail(i: number, error: unknown): Promise<void> | undefined {
    const record = this.#records[i]!;
    const { classifier, parker, logger } = this.#config;
    const explained = classifier.explain(error);
    const ids = {
      requestId: this.#context.awsRequestId,
      messageId: record.messageId,
      receiveCount: receiveCountOf(record),
      messageGroupId: groupIdOf(record),
      eventSourceARN: record.eventSourceARN,
    };
    if (explained.classification === "permanent" && parker) return this.#park(i, error, explained, ids);
    logFailure(logger, "warn", "sqs", "reported", explained, error, ids);
    this.#report(i, error);
    return undefined;
  }

  async #park(
    i: number,
    error: unknown,
    explained: ClassificationResult,
    ids: { readonly receiveCount: number } & Record<string, unknown>,
  ): Promise<void> {
    const { parker, logger, clock } = this.#config;
    try {
      await parker!.park(
        parkedEvent("sqs", error, this.#context, clock, {
          record: this.#records[i],
          attempt: ids.receiveCount,
          ...ids,
        }),
      );
    } catch (parkingFailure) {
      // Reported instead, so SQS redelivers it and, at maxReceiveCount, moves it to the DLQ.
      logFailure(logger, "error", "sqs", "parking-failed", explained, error, {
        ...ids,
        parkingError: errorFields(parkingFailure),
      });
      this.#report(i, error);
      return;
    }
    this.#outcome[i] = PARKED;
    logFailure(logger, "error", "sqs", "parked", explained, error, ids);
  }

  #report(i: number, error: unknown): void {
    this.#outcome[i] = REPORTED;
    this.#reported++;
    this.#firstError ??= error;
  }
}

function sqsRecordsOf(event: SQSEvent): SQSRecord[] {
  const records = (event as { Records?: unknown } | null)?.Records;
  let bad = !Array.isArray(records);
  for (let i = 0; !bad && i < (records as unknown[]).length; i++) {
    const record = (records as Partial<SQSRecord>[])[i];
    bad =
      record?.eventSource !== "aws:sqs" ||
      typeof record.messageId !== "string" ||
      typeof record.body !== "string";
  }
  if (bad) {
    throw new InvalidEventError(`sqsBatchHandler expected ${EXPECTED}; received ${describeEvent(event)}`, {
      expected: EXPECTED,
    });
  }
  return records as SQSRecord[];
}

function isFifo(record: SQSRecord): boolean {
  return record.eventSourceARN?.endsWith(".fifo") || groupIdOf(record) !== undefined;
}

function receiveCountOf(record: SQSRecord): number {
  const receiveCount = Number(record.attributes?.ApproximateReceiveCount);
  // A hand-made test event may omit the attribute; AWS always sends it ("1" on first delivery).
  return receiveCount > 0 ? receiveCount : 1;
}

function attemptOf(record: SQSRecord): SqsRecordAttempt {
  const count = receiveCountOf(record);
  return {
    receiveCount: count,
    isRetry: count > 1,
    messageId: record.messageId,
    messageGroupId: record.attributes?.MessageGroupId,
  };
}

function groupIdOf(record: SQSRecord): string | undefined {
  return record.attributes?.MessageGroupId;
}
