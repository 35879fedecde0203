import type { LambdaErrorPayload } from "./lambdaError.js";
import { toLambdaError } from "./lambdaError.js";

/**
 * What a handler may return to say more than a plain value can: how long the invocation took in
 * virtual time, that it failed (without throwing), or that the invoke was throttled before it ran.
 *
 * Scripted functions return prebuilt `Reply` objects, so a million invocations allocate no replies.
 * A real handler returns a plain value (success) or throws (function error); an adapter around it can
 * return `Reply.success(value, { durationMs })` to report the virtual time it took.
 *
 * @example
 * ```ts
 * import { Reply } from "@rebound/simulator";
 * const handler = () => Reply.success({ ok: true }, { durationMs: 250 });
 * const slow = () => Reply.success(undefined, { durationMs: 5_000 }); // times out at a 3 s timeout
 * const broken = () => Reply.error(new Error("boom"));
 * ```
 */
export class Reply {
  private constructor(
    public readonly kind: "success" | "error" | "throttle",
    public readonly payload: unknown,
    public readonly error: LambdaErrorPayload | undefined,
    public readonly durationMs: number | undefined,
  ) {}

  /** The function returned `payload`. */
  public static success(payload?: unknown, options: { readonly durationMs?: number } = {}): Reply {
    return new Reply("success", payload, undefined, checkDuration(options.durationMs));
  }

  /** The function failed with this error (an `Error`, or the payload the runtime would report). */
  public static error(
    error: Error | LambdaErrorPayload,
    options: { readonly durationMs?: number } = {},
  ): Reply {
    const payload = error instanceof Error ? toLambdaError(error) : error;
    if (typeof payload?.errorType !== "string" || typeof payload.errorMessage !== "string") {
      throw new TypeError("Reply.error: pass an Error or { errorType: string, errorMessage: string }");
    }
    return new Reply("error", undefined, payload, checkDuration(options.durationMs));
  }

  static readonly #throttled = new Reply("throttle", undefined, undefined, 0);

  /** The invoke was throttled before the function ran (429 TooManyRequestsException). */
  public static throttle(): Reply {
    return Reply.#throttled;
  }
}

function checkDuration(durationMs: number | undefined): number | undefined {
  if (durationMs !== undefined && !(Number.isFinite(durationMs) && durationMs >= 0)) {
    throw new RangeError(`durationMs must be a finite number >= 0, got ${String(durationMs)}`);
  }
  return durationMs;
}
