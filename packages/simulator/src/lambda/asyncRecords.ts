import type { LambdaErrorPayload } from "./lambdaError.js";

/**
 * Why an async invocation's record was sent: AWS's `requestContext.condition` values.
 *
 * @example
 * ```ts
 * import { AsyncCondition } from "@rebound/simulator";
 * record.requestContext.condition === AsyncCondition.RetriesExhausted;
 * ```
 */
export const AsyncCondition = {
  Success: "Success",
  RetriesExhausted: "RetriesExhausted",
  EventAgeExceeded: "EventAgeExceeded",
  ZeroReservedConcurrency: "ZeroReservedConcurrency",
} as const;
/** One of `AsyncCondition`'s values. */
export type AsyncCondition = (typeof AsyncCondition)[keyof typeof AsyncCondition];

/** An async invocation record (docs/aws-semantics.md#async-failure-record and the three records after it), keys in AWS's order. */
export interface AsyncInvocationRecord {
  readonly version: "1.0";
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: AsyncCondition;
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext?: {
    readonly statusCode: 200;
    readonly executedVersion: "$LATEST";
    readonly functionError?: "Unhandled";
  };
  readonly responsePayload?: unknown;
}

/** The last response of the function, when it ran at least once. */
export type LastResponse =
  | { readonly kind: "success"; readonly payload: unknown }
  | { readonly kind: "error"; readonly error: LambdaErrorPayload };

/**
 * Builds the record an async destination receives. `responseContext`/`responsePayload` are present only
 * when the function ran (absent for ZeroReservedConcurrency, and for an event that aged out while only
 * ever throttled); `functionError: "Unhandled"` only on failure; `statusCode` is 200 even then, because
 * the Invoke call itself succeeded.
 *
 * @example
 * ```ts
 * import { asyncInvocationRecord } from "@rebound/simulator";
 * asyncInvocationRecord({ timestampMs: 0, requestId: "r-1", functionArn: "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST",
 *   condition: "RetriesExhausted", approximateInvokeCount: 3, requestPayload: { a: 1 },
 *   lastResponse: { kind: "error", error: { errorType: "Error", errorMessage: "boom" } } });
 * ```
 */
export function asyncInvocationRecord(input: {
  readonly timestampMs: number;
  readonly requestId: string;
  readonly functionArn: string;
  readonly condition: AsyncCondition;
  readonly approximateInvokeCount: number;
  readonly requestPayload: unknown;
  readonly lastResponse?: LastResponse;
}): AsyncInvocationRecord {
  const base = {
    version: "1.0" as const,
    timestamp: new Date(input.timestampMs).toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    requestPayload: input.requestPayload ?? {},
  };
  const last = input.lastResponse;
  if (last === undefined) return base;
  if (last.kind === "success") {
    return {
      ...base,
      responseContext: { statusCode: 200, executedVersion: "$LATEST" },
      responsePayload: last.payload ?? null,
    };
  }
  return {
    ...base,
    responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
    responsePayload: last.error,
  };
}

/**
 * The event an EventBridge destination receives (docs/aws-semantics.md#eventbridge-destination-event): the record as `detail`, `source: "lambda"`,
 * `resources: [busArn, qualified function ARN]`, time with second precision.
 *
 * @example
 * ```ts
 * import { eventBridgeDestinationEvent } from "@rebound/simulator";
 * eventBridgeDestinationEvent(record, { id: "e-1", account: "123456789012", region: "us-east-1",
 *   timeMs: 0, busArn: "arn:aws:events:us-east-1:123456789012:event-bus/default",
 *   functionArn: record.requestContext.functionArn });
 * ```
 */
export function eventBridgeDestinationEvent(
  record: AsyncInvocationRecord,
  meta: {
    readonly id: string;
    readonly account: string;
    readonly region: string;
    readonly timeMs: number;
    readonly busArn: string;
    readonly functionArn: string;
  },
): Record<string, unknown> {
  return {
    version: "0",
    id: meta.id,
    "detail-type": `Lambda Function Invocation Result - ${record.requestContext.condition === AsyncCondition.Success ? "Success" : "Failure"}`,
    source: "lambda",
    account: meta.account,
    time: new Date(meta.timeMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: meta.region,
    resources: [meta.busArn, meta.functionArn],
    detail: record,
  };
}

/** ErrorMessage of a function DLQ message is cut to its first 1 KB (AWS documents "first 1 KB"). */
const DLQ_ERROR_MESSAGE_BYTES = 1024;

/**
 * The message attributes of a function dead-letter queue message (docs/aws-semantics.md#function-dlq-message): `RequestID`, `ErrorCode` (the
 * Invoke's HTTP status: 200 for a function error; Rebound uses 429 for an event that never ran because
 * it was throttled or the function has zero reserved concurrency — AWS does not document that case) and
 * `ErrorMessage` (first 1 KB).
 *
 * @example
 * ```ts
 * import { functionDlqAttributes } from "@rebound/simulator";
 * functionDlqAttributes("r-1", 200, "card refused").ErrorCode; // { DataType: "Number", StringValue: "200" }
 * ```
 */
export function functionDlqAttributes(
  requestId: string,
  errorCode: number,
  errorMessage: string,
): Record<string, { DataType: string; StringValue: string }> {
  return {
    ErrorCode: { DataType: "Number", StringValue: String(errorCode) },
    ErrorMessage: { DataType: "String", StringValue: truncateUtf8(errorMessage, DLQ_ERROR_MESSAGE_BYTES) },
    RequestID: { DataType: "String", StringValue: requestId },
  };
}

function truncateUtf8(text: string, bytes: number): string {
  const buffer = Buffer.from(text, "utf8");
  if (buffer.length <= bytes) return text;
  // Cut on a character boundary: decoding a cut multi-byte sequence would add U+FFFD.
  let end = bytes;
  while (end > 0 && (buffer[end]! & 0xc0) === 0x80) end--;
  return buffer.subarray(0, end).toString("utf8");
}
