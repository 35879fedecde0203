/**
 * A function error exactly as the Node.js Lambda runtime reports it: in the Invoke response payload,
 * in an async destination's `responsePayload`, in Step Functions' `Cause`. The Node runtime names the
 * stack `trace` (Python's runtime says `stackTrace`); Rebound's functions run on nodejs22.x, so `trace`.
 *
 * @example
 * ```ts
 * import type { LambdaErrorPayload } from "@rebound/simulator";
 * const payload: LambdaErrorPayload = { errorType: "Error", errorMessage: "boom", trace: ["Error: boom"] };
 * ```
 */
export interface LambdaErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  /** Node.js runtimes' stack lines. */
  readonly trace?: readonly string[];
  /** Python, Java, Ruby and .NET runtimes' stack lines (`errorPayloadForRuntime`). */
  readonly stackTrace?: readonly string[];
  /** Python runtimes repeat the request id. */
  readonly requestId?: string;
}

/** The errorType Lambda reports when an invocation runs past the function timeout. */
export const TIMEOUT_ERROR_TYPE = "Sandbox.Timedout";

/**
 * Converts whatever a handler threw into the payload the Node runtime would report: `errorType` is the
 * error's `name` (so `class PaymentDeclined extends Error { name = "PaymentDeclined" }` reports
 * "PaymentDeclined"), `errorMessage` its message, `trace` its stack lines. A thrown non-Error is reported
 * the way the runtime does for strings and objects.
 *
 * @example
 * ```ts
 * import { toLambdaError } from "@rebound/simulator";
 * toLambdaError(new TypeError("bad")).errorType; // "TypeError"
 * ```
 */
export function toLambdaError(thrown: unknown): LambdaErrorPayload {
  if (thrown instanceof Error) {
    const errorType =
      thrown.name && thrown.name !== "Error" ? thrown.name : thrown.constructor?.name || "Error";
    return {
      errorType,
      errorMessage: thrown.message,
      trace: typeof thrown.stack === "string" ? thrown.stack.split("\n") : [],
    };
  }
  if (typeof thrown === "string") return { errorType: "string", errorMessage: thrown, trace: [] };
  return { errorType: typeof thrown, errorMessage: safeJson(thrown), trace: [] };
}

/**
 * The payload of a timed-out invocation: `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: <id>
 * Error: Task timed out after 3.00 seconds"}` (observed on AWS; the seconds keep two decimals).
 *
 * @example
 * ```ts
 * import { timeoutError } from "@rebound/simulator";
 * timeoutError("r-1", 3).errorMessage; // "RequestId: r-1 Error: Task timed out after 3.00 seconds"
 * ```
 */
export function timeoutError(requestId: string, timeoutSeconds: number): LambdaErrorPayload {
  return {
    errorType: TIMEOUT_ERROR_TYPE,
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
