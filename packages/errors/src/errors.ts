/**
 * Base class of every error Rebound defines. `cause` is kept so the original failure is never lost.
 *
 * @example
 * ```ts
 * import { ReboundError } from "@rebound/errors";
 * if (error instanceof ReboundError) console.log(error.name);
 * ```
 */
export class ReboundError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ReboundError";
  }
}

/**
 * A transient failure: trying again later may succeed (throttling, timeouts, 5xx).
 *
 * @example
 * ```ts
 * import { RetryableError } from "@rebound/errors";
 * throw new RetryableError("payment provider answered 503", { cause: response });
 * ```
 */
export class RetryableError extends ReboundError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RetryableError";
  }
}

/**
 * A failure that will fail the same way every time (bad input, a broken business rule): retrying
 * only wastes money and, on a stream, blocks the shard.
 *
 * @example
 * ```ts
 * import { PermanentError } from "@rebound/errors";
 * throw new PermanentError("card declined");
 * ```
 */
export class PermanentError extends ReboundError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PermanentError";
  }
}
