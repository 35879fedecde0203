import type { ModelEnv } from "../engine/ModelEnv.js";
import { Disposition } from "../engine/Outcomes.js";
import { recordAttempt } from "./attemptResult.js";
import { type InvocationResult, InvocationStatus, type LambdaFunction } from "./LambdaFunction.js";

/** What a RequestResponse caller gets back, shaped like the Invoke API's answer. */
export interface SyncInvokeResult {
  readonly requestId: string;
  /** 200 when the function ran (even if it failed), 429 when throttled. */
  readonly statusCode: 200 | 429;
  /** "Unhandled" when the function failed. */
  readonly functionError?: "Unhandled";
  /** The function's return value or its error payload. */
  readonly payload?: unknown;
  /** Throttles: the API error. */
  readonly error?: {
    readonly code: "TooManyRequestsException";
    readonly message: "Rate Exceeded.";
    readonly reason: string;
    readonly type: "User";
  };
}

/**
 * Synchronous invocation (RequestResponse): one attempt, never retried by Lambda; the error reaches the
 * caller, which decides. Outcomes: `processed` on success, `failed` otherwise.
 *
 * @example
 * ```ts
 * topology.invoke("quote", { sku: "A" }, { onResult: (result) => console.log(result.statusCode, result.payload) });
 * topology.run();
 * ```
 */
export class SyncInvoker {
  readonly #topology: ModelEnv;
  readonly #held = new Set<number>();

  public constructor(topology: ModelEnv) {
    this.#topology = topology;
  }

  /** Invokes now or at `atMs`; returns the request id. */
  public invoke(
    fn: LambdaFunction,
    payload: unknown,
    options: { readonly atMs?: number; readonly onResult?: (result: SyncInvokeResult) => void },
  ): string {
    const topology = this.#topology;
    const requestId = topology.newId();
    const run = (): void => {
      const eventId = topology.outcomes.inject(`invoke:${fn.functionName}`, requestId);
      this.#held.add(eventId);
      fn.invoke(payload, requestId, (result) => {
        this.#held.delete(eventId);
        recordAttempt(topology.outcomes, eventId, fn, result);
        const answer = toSyncResult(result);
        topology.outcomes.settle(
          eventId,
          result.status === InvocationStatus.Success ? Disposition.Processed : Disposition.Failed,
          {
            reason:
              result.status === InvocationStatus.Success
                ? "returned"
                : result.status === InvocationStatus.Throttled
                  ? "TooManyRequestsException"
                  : "FunctionError Unhandled",
            record: answer,
          },
        );
        options.onResult?.(answer);
      });
    };
    if (options.atMs !== undefined && options.atMs > topology.simulation.now())
      topology.simulation.at(options.atMs, run);
    else run();
    return requestId;
  }

  /** Outcome ids of invocations still running. */
  public heldEventIds(): number[] {
    return [...this.#held];
  }
}

/** Converts a runtime result into the Invoke API's answer. */
export function toSyncResult(result: InvocationResult): SyncInvokeResult {
  switch (result.status) {
    case InvocationStatus.Success:
      return { requestId: result.requestId, statusCode: 200, payload: result.payload ?? null };
    case InvocationStatus.FunctionError:
      return {
        requestId: result.requestId,
        statusCode: 200,
        functionError: "Unhandled",
        payload: result.error,
      };
    default:
      return {
        requestId: result.requestId,
        statusCode: 429,
        error: {
          code: "TooManyRequestsException",
          message: "Rate Exceeded.",
          reason: result.reason,
          type: "User",
        },
      };
  }
}
