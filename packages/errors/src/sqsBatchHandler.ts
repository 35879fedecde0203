import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { type ClassificationResult, type ClassificationRule, createClassifier } from "./classify.js";
import { createJsonLogger, type Logger } from "./createJsonLogger.js";
import { assertContext, describeEvent } from "./describeEvent.js";
import { FullBatchFailureError, InvalidEventError, InvalidOptionsError } from "./errors.js";
import { logFailure } from "./logFailure.js";
import { errorFields, type ParkingOption, parkedEvent, resolveParker } from "./parking.js";
import {
  COMMON_OPTIONS,
  isBoolean,
  isIntegerIn,
  PARKING_OPTION,
  validateOptions,
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

/** Processes one SQS record; throw to fail it (the error's classification decides what happens). */
export type SqsRecordHandler = (
  record: SQSRecord,
  attempt: SqsRecordAttempt,
  context: Context,
) => Promise<unknown>;

/** Options of {@link sqsBatchHandler}. */
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
  concurrency: { expected: "an integer from 1 to 100, e.g. { concurrency: 10 }", check: isIntegerIn(1, 100) },
  ...COMMON_OPTIONS,
  throwOnFullBatchFailure: { expected: "a boolean", check: isBoolean },
};

const EXPECTED = 'an SQS event: { Records: [{ eventSource: "aws:sqs", messageId, body, attributes }] }';

// Outcome per record, in a typed array (0 = processed, the initial value): no object per record.
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
 * export const handler = sqsBatchHandler(
 *   async (record, attempt) => {
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
  if (typeof recordHandler !== "function") {
    throw new InvalidOptionsError("sqsBatchHandler: the first argument must be the record handler function", {
      problems: ["recordHandler"],
    });
  }
  validateOptions("sqsBatchHandler", options, OPTIONS);
  const clock = options.clock ?? Date.now;
  const classifier = createClassifier(options.rules);
  const parker = options.parking ? resolveParker(options.parking) : undefined;
  const logger = options.logger ?? createJsonLogger({ clock });
  const concurrency = options.concurrency ?? 1;
  const throwOnFullBatchFailure = options.throwOnFullBatchFailure ?? true;

  return async function reboundSqsBatchHandler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    assertContext("sqsBatchHandler", context);
    const records = sqsRecordsOf(event);
    const count = records.length;
    const outcome = new Uint8Array(count);
    const batchItemFailures: SQSBatchItemFailure[] = [];
    let reported = 0;
    let firstError: unknown;
    let failedGroups: Set<string> | undefined;

    // Runs only for a failed record: classify, then report (synchronously: no extra await on the
    // common path) or park (returns the promise to await).
    function fail(i: number, error: unknown): Promise<void> | undefined {
      const record = records[i]!;
      const explained = classifier.explain(error);
      const attempt = attemptOf(record);
      const ids = {
        requestId: context.awsRequestId,
        messageId: record.messageId,
        receiveCount: attempt.receiveCount,
        messageGroupId: attempt.messageGroupId,
        eventSourceARN: record.eventSourceARN,
      };
      if (explained.classification === "permanent" && parker) return park(i, error, explained, ids);
      logFailure(logger, "warn", "sqs", "reported", explained, error, ids);
      report(i, error);
      return undefined;
    }

    async function park(
      i: number,
      error: unknown,
      explained: ClassificationResult,
      ids: { readonly receiveCount: number } & Record<string, unknown>,
    ): Promise<void> {
      const record = records[i]!;
      try {
        await parker!.park(
          parkedEvent("sqs", error, context, clock, { record, attempt: ids.receiveCount, ...ids }),
        );
      } catch (parkingFailure) {
        // Reported instead, so SQS redelivers it and, at maxReceiveCount, moves it to the DLQ.
        logFailure(logger, "error", "sqs", "parking-failed", explained, error, {
          ...ids,
          parkingError: errorFields(parkingFailure),
        });
        report(i, error);
        return;
      }
      outcome[i] = PARKED;
      logFailure(logger, "error", "sqs", "parked", explained, error, ids);
    }

    function report(i: number, error: unknown): void {
      outcome[i] = REPORTED;
      reported++;
      firstError ??= error;
    }

    async function one(i: number): Promise<void> {
      const record = records[i]!;
      // FIFO order: once a group failed, its later messages are returned unprocessed (AWS: "return
      // all failed and unprocessed messages"); they are not failures of their own, so not logged.
      const group = failedGroups && groupOf(record);
      if (group !== undefined && failedGroups!.has(group)) {
        outcome[i] = REPORTED;
        reported++;
        return;
      }
      try {
        await recordHandler(record, attemptOf(record), context);
      } catch (error) {
        const parking = fail(i, error);
        if (parking) await parking;
      }
    }

    if (count > 0 && isFifo(records[0]!)) {
      failedGroups = new Set();
      // One lane per message group, in batch order; lanes run `concurrency` at a time.
      const lanes = new Map<string, number[]>();
      for (let i = 0; i < count; i++) {
        const group = groupOf(records[i]!);
        const lane = lanes.get(group);
        if (lane) lane.push(i);
        else lanes.set(group, [i]);
      }
      const laneList = [...lanes.values()];
      let next = 0;
      await runWorkers(concurrency, laneList.length, async function fifoWorker() {
        while (next < laneList.length) {
          for (const i of laneList[next++]!) {
            await one(i);
            if (outcome[i] === REPORTED) failedGroups!.add(groupOf(records[i]!));
          }
        }
      });
    } else if (concurrency === 1) {
      // The hot path: one await per record, no closure, no log object unless something failed.
      for (let i = 0; i < count; i++) {
        const record = records[i]!;
        try {
          await recordHandler(record, attemptOf(record), context);
        } catch (error) {
          const parking = fail(i, error);
          if (parking) await parking;
        }
      }
    } else {
      let next = 0;
      await runWorkers(concurrency, count, async function worker() {
        while (next < count) await one(next++);
      });
    }

    if (reported === 0) return { batchItemFailures };
    if (throwOnFullBatchFailure && reported === count) {
      throw new FullBatchFailureError(
        `all ${count} records failed; failing the invocation so Lambda retries and backs off`,
        { cause: firstError, failedCount: count },
      );
    }
    for (let i = 0; i < count; i++) {
      if (outcome[i] === REPORTED) batchItemFailures.push({ itemIdentifier: records[i]!.messageId });
    }
    return { batchItemFailures };
  };
}

// Waits for every worker before failing the batch, so no record still runs after the response.
async function runWorkers(concurrency: number, work: number, worker: () => Promise<void>): Promise<void> {
  const workers: Promise<void>[] = [];
  for (let w = 0; w < Math.min(concurrency, work); w++) workers.push(worker());
  for (const result of await Promise.allSettled(workers))
    if (result.status === "rejected") throw result.reason;
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
  return record.eventSourceARN?.endsWith(".fifo") || typeof record.attributes?.MessageGroupId === "string";
}

function attemptOf(record: SQSRecord): SqsRecordAttempt {
  const receiveCount = Number(record.attributes?.ApproximateReceiveCount);
  // A hand-made test event may omit the attribute; AWS always sends it ("1" on first delivery).
  const count = receiveCount > 0 ? receiveCount : 1;
  return {
    receiveCount: count,
    isRetry: count > 1,
    messageId: record.messageId,
    messageGroupId: record.attributes?.MessageGroupId,
  };
}

function groupOf(record: SQSRecord): string {
  return record.attributes?.MessageGroupId ?? "";
}
