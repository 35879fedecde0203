import type { Context } from "aws-lambda";
import { type ClassificationRule, createClassifier } from "./classify.js";
import { createJsonLogger, type Logger } from "./createJsonLogger.js";
import { assertContext, describeEvent } from "./describeEvent.js";
import { InvalidEventError, ParkingError } from "./errors.js";
import { logFailure } from "./logFailure.js";
import { errorFields, type ParkingOption, parkedEvent } from "./parking.js";
import { RecentIds } from "./RecentIds.js";
import { resolveParker } from "./SqsParker.js";
import {
  COMMON_OPTIONS,
  isIntegerIn,
  type OptionSpec,
  PARKING_OPTION,
  validateOptions,
} from "./validateOptions.js";

/**
 * What an async handler knows about this attempt. Lambda keeps the `awsRequestId` across the (up to 2)
 * retries of one async event, so a warm container that saw the id before knows it is a retry:
 * `isRetry === true`. It cannot know the opposite (the retry may land on another or a new container),
 * so otherwise `isRetry` is `"unknown"` (which is truthy: compare with `=== true`).
 *
 * @example
 * ```ts
 * import { asyncHandler } from "@rebound/errors";
 * export const handler = asyncHandler(async (event, context, attempt) => {
 *   if (attempt.isRetry === true) console.log(`attempt ${attempt.attempt} of ${attempt.requestId}`);
 * }, { parking: { queueUrl: process.env.PARKING_QUEUE_URL! } });
 * ```
 */
export interface AsyncAttempt {
  readonly requestId: string;
  readonly isRetry: boolean | "unknown";
  /** Times this container has seen the request id, this one included (a lower bound of the attempt number). */
  readonly attempt: number;
}

/**
 * Handles one async event (SNS, EventBridge, S3, direct `Event` invoke); throw to fail it.
 *
 * @example
 * ```ts
 * import type { EventBridgeEvent } from "aws-lambda";
 * import { type AsyncEventHandler, asyncHandler } from "@rebound/errors";
 * const sendReceipt: AsyncEventHandler<EventBridgeEvent<"OrderPaid", { orderId: string }>> = async (event, _context, attempt) => {
 *   console.log(`receipt for ${event.detail.orderId}, attempt ${attempt.attempt}`);
 * };
 * export const handler = asyncHandler(sendReceipt, { parking: { queueUrl: process.env.PARKING_QUEUE_URL! } });
 * ```
 */
export type AsyncEventHandler<E> = (event: E, context: Context, attempt: AsyncAttempt) => Promise<unknown>;

/**
 * Options of {@link asyncHandler}.
 *
 * @example
 * ```ts
 * import { type AsyncHandlerOptions, asyncHandler } from "@rebound/errors";
 * const options: AsyncHandlerOptions = { parking: { queueUrl: process.env.PARKING_QUEUE_URL! }, rememberRequestIds: 500 };
 * export const handler = asyncHandler(async (event: { orderId: string }) => console.log(event.orderId), options);
 * ```
 */
export interface AsyncHandlerOptions {
  /** Where permanent failures go (required: an async event has nowhere else to wait). */
  readonly parking: ParkingOption;
  readonly rules?: readonly ClassificationRule[];
  readonly logger?: Logger;
  readonly clock?: () => number;
  /** Request ids a container remembers to recognise retries. Default 1000 (about 40 KB). */
  readonly rememberRequestIds?: number;
}

const OPTIONS = {
  parking: [PARKING_OPTION[0], PARKING_OPTION[1], true],
  ...COMMON_OPTIONS,
  rememberRequestIds: [
    isIntegerIn(1, 100_000),
    "an integer from 1 to 100000, e.g. { rememberRequestIds: 1000 }",
  ],
} satisfies Record<string, OptionSpec>;

const EXPECTED =
  "an asynchronously delivered event (SNS, EventBridge, S3, or a direct InvocationType=Event payload), not an API Gateway, SQS or stream event";

/**
 * Wraps a handler for asynchronous invocations:
 * - success → its result is returned;
 * - retryable failure → the original error is rethrown, so Lambda retries (2 more times by default,
 *   after ~1 and ~2 minutes) and then sends the event to the function's DLQ / on-failure destination;
 * - permanent failure → the event is parked (original event, error, attempt, request id) and the
 *   wrapper returns `undefined` (success), so Lambda does not spend retries on it;
 * - parking fails → a `ParkingError` (retryable, `cause` = the parking failure) is thrown: the event
 *   goes back to Lambda's retries and, in the end, its DLQ. An event is never lost.
 *
 * @example
 * ```ts
 * import type { SNSEvent } from "aws-lambda";
 * import { asyncHandler } from "@rebound/errors";
 * declare function sendReceipt(order: unknown): Promise<void>;
 * export const handler = asyncHandler<SNSEvent>(
 *   async (event, context, attempt) => sendReceipt(JSON.parse(event.Records[0]!.Sns.Message)),
 *   { parking: { queueUrl: process.env.PARKING_QUEUE_URL! } },
 * );
 * ```
 */
export function asyncHandler<E>(
  handler: AsyncEventHandler<E>,
  options: AsyncHandlerOptions,
): (event: E, context: Context) => Promise<unknown> {
  validateOptions("asyncHandler", handler, options, OPTIONS);
  const clock = options.clock ?? Date.now;
  const classifier = createClassifier(options.rules);
  const parker = resolveParker(options.parking);
  const logger = options.logger ?? createJsonLogger({ clock });
  const seen = new RecentIds(options.rememberRequestIds ?? 1000);
  return async function reboundAsyncHandler(event: E, context: Context): Promise<unknown> {
    assertContext("asyncHandler", context);
    assertAsyncEvent(event);
    const requestId = context.awsRequestId;
    const count = seen.add(requestId);
    const attempt: AsyncAttempt = { requestId, isRetry: count > 1 ? true : "unknown", attempt: count };
    try {
      return await handler(event, context, attempt);
    } catch (error) {
      const explained = classifier.explain(error);
      const ids = { requestId, attempt: count, functionName: context.functionName };
      if (explained.classification === "retryable") {
        logFailure(logger, "warn", "async", "rethrown", explained, error, ids);
        throw error;
      }
      try {
        await parker.park(parkedEvent("async", error, context, clock, { event, attempt: count }));
      } catch (parkingFailure) {
        logFailure(logger, "error", "async", "parking-failed", explained, error, {
          ...ids,
          parkingError: errorFields(parkingFailure),
        });
        throw new ParkingError(
          `could not park async event ${requestId}; failing the invocation so Lambda retries it`,
          {
            cause: parkingFailure,
            originalError: error,
          },
        );
      }
      logFailure(logger, "error", "async", "parked", explained, error, ids);
      return undefined;
    }
  };
}

// Sync and poll-based triggers have other contracts (a response, a partial batch response); returning
// success for them here would silently drop work.
function assertAsyncEvent(event: unknown): void {
  if (typeof event !== "object" || event === null) return;
  const e = event as {
    Records?: { eventSource?: unknown }[];
    httpMethod?: unknown;
    requestContext?: { http?: unknown };
  };
  const source = Array.isArray(e.Records) ? e.Records[0]?.eventSource : undefined;
  if (
    source === "aws:sqs" ||
    source === "aws:dynamodb" ||
    source === "aws:kinesis" ||
    typeof e.httpMethod === "string" ||
    typeof e.requestContext?.http === "object"
  ) {
    const use = source === "aws:sqs" ? "sqsBatchHandler" : source ? "streamBatchHandler" : "httpHandler";
    throw new InvalidEventError(
      `asyncHandler expected ${EXPECTED}; received ${describeEvent(event)}: use ${use}`,
      {
        expected: EXPECTED,
      },
    );
  }
}
