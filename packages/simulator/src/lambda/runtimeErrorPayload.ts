import type { LambdaErrorPayload } from "./lambdaError.js";

/** The runtime Rebound assumes when a function names none: the one the orders apps run on. */
export const DEFAULT_RUNTIME = "nodejs22.x";

/**
 * A function error as the function's runtime reports it. Each runtime's client writes its own JSON,
 * with its own keys in its own order, and that JSON is what AWS shows wherever the error shows: the
 * Invoke response payload, an async destination record's `responsePayload`, Step Functions' `Cause`.
 * - `nodejs*`: `{"errorType","errorMessage","trace"}`
 * - `python*`: `{"errorMessage","errorType","requestId","stackTrace"}`
 * - `java*`, `ruby*`: `{"errorMessage","errorType","stackTrace"}`
 * - `dotnet*`: `{"errorType","errorMessage","stackTrace"}`
 * - `provided*` (custom runtimes, Go, Rust): `{"errorMessage","errorType"}`, what the Go and Rust
 *   runtime clients post.
 * Errors Lambda makes itself (a timeout, `Sandbox.Timedout`) are the same for every runtime and are
 * not passed through here (docs/aws-semantics.md#error-payloads).
 *
 * @example
 * ```ts
 * errorPayloadForRuntime("python3.13", { errorType: "ValueError", errorMessage: "bad" }, "r-1");
 * // { errorMessage: "bad", errorType: "ValueError", requestId: "r-1", stackTrace: [] }
 * ```
 */
export function errorPayloadForRuntime(
  runtime: string,
  error: LambdaErrorPayload,
  requestId: string,
): LambdaErrorPayload {
  const { errorType, errorMessage } = error;
  const lines = error.trace ?? error.stackTrace ?? [];
  if (runtime.startsWith("python")) return { errorMessage, errorType, requestId, stackTrace: lines };
  if (runtime.startsWith("java") || runtime.startsWith("ruby"))
    return { errorMessage, errorType, stackTrace: lines };
  if (runtime.startsWith("dotnet")) return { errorType, errorMessage, stackTrace: lines };
  if (runtime.startsWith("provided") || runtime.startsWith("go")) return { errorMessage, errorType };
  return { errorType, errorMessage, trace: lines };
}
