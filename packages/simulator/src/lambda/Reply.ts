import type { LambdaErrorPayload } from "./lambdaError.js";
import { toLambdaError } from "./lambdaError.js";

/**
 * How one run of a handler ended: the single result shape shared by everything that runs handler
 * code (scripted functions, plain handlers, and the `HandlerHost` that runs the real bundles) and the
 * function runtime (`LambdaFunction`) that turns it into an invocation result for the source models.
 * It says what a plain value cannot: how long the run took in virtual time, that it failed (without
 * throwing), that it ran out of time, or that the invoke was throttled before it ran.
 *
 * Scripted functions return prebuilt `Reply` objects, so a million invocations allocate no replies.
 * A plain handler returns a value (success) or throws (function error).
 *
 * @example
 * ```ts
 * import { Reply } from "@rebound/simulator";
 * const handler = () => Reply.success({ ok: true }, { durationMs: 250 });
 * const slow = () => Reply.success(undefined, { durationMs: 5_000 }); // times out at a 3 s timeout
 * const broken = () => Reply.error(new Error("boom"));
 * const stuck = () => Reply.timeout(); // Sandbox.Timedout at the function's timeout
 * ```
 */
export class Reply {
  private constructor(
    public readonly kind: "success" | "error" | "timeout" | "throttle",
    public readonly payload: unknown,
    public readonly error: LambdaErrorPayload | undefined,
    public readonly durationMs: number | undefined,
    /** `init` when the module failed while loading (its top level threw), `invoke` otherwise. */
    public readonly phase: "init" | "invoke" = "invoke",
  ) {}

  /** The function returned `payload`. */
  public static success(payload?: unknown, options: { readonly durationMs?: number } = {}): Reply {
    return new Reply("success", payload, undefined, checkDuration(options.durationMs));
  }

  /** The function failed with this error (an `Error`, or the payload the runtime would report). */
  public static error(
    error: Error | LambdaErrorPayload,
    options: { readonly durationMs?: number; readonly phase?: "init" | "invoke" } = {},
  ): Reply {
    const payload = error instanceof Error ? toLambdaError(error) : error;
    if (typeof payload?.errorType !== "string" || typeof payload.errorMessage !== "string") {
      throw new TypeError("Reply.error: pass an Error or { errorType: string, errorMessage: string }");
    }
    return new Reply("error", undefined, payload, checkDuration(options.durationMs), options.phase);
  }

  /**
   * The function ran past its timeout. The runtime reports `Sandbox.Timedout` with AWS's message and
   * ends the attempt at the timeout, whatever else the handler did.
   */
  public static timeout(): Reply {
    return Reply.#timedOut;
  }

  static readonly #timedOut = new Reply("timeout", undefined, undefined, undefined);

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
