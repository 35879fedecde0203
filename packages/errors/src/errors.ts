/** Options every Rebound error takes: the standard `cause`, plus a stable machine-readable code. */
export interface ReboundErrorOptions extends ErrorOptions {
  /** Stable code for logs and HTTP bodies, e.g. `ORDER_NOT_FOUND`. Defaults per class. */
  readonly code?: string;
}

/**
 * Base class of every error Rebound defines. `cause` is kept so the original failure is never lost.
 *
 * @example
 * ```ts
 * import { ReboundError } from "@rebound/errors";
 * if (error instanceof ReboundError) console.log(error.name, error.code);
 * ```
 */
export class ReboundError extends Error {
  public readonly code: string;

  public constructor(message: string, options: ReboundErrorOptions = {}) {
    super(message, options);
    this.name = "ReboundError";
    this.code = options.code ?? "INTERNAL_ERROR";
  }
}

/** Options of a retryable error. */
export interface RetryableErrorOptions extends ReboundErrorOptions {
  /** A hint for callers (HTTP `Retry-After`) and schedulers; seconds. */
  readonly retryAfterSeconds?: number;
  /** HTTP status to answer a sync caller with; default 503. The idempotency lock uses 409. */
  readonly httpStatus?: number;
}

/**
 * A transient failure: trying again later may succeed (throttling, timeouts, 5xx).
 *
 * @example
 * ```ts
 * import { RetryableError } from "@rebound/errors";
 * throw new RetryableError("payment provider answered 503", { cause: response, retryAfterSeconds: 5 });
 * ```
 */
export class RetryableError extends ReboundError {
  public readonly retryAfterSeconds: number | undefined;
  public readonly httpStatus: number;

  public constructor(message: string, options: RetryableErrorOptions = {}) {
    super(message, { code: "TEMPORARILY_UNAVAILABLE", ...options });
    this.name = "RetryableError";
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.httpStatus = options.httpStatus ?? 503;
  }
}

/**
 * A failure that will fail the same way every time (bad input, a broken business rule): retrying
 * only wastes money and, on a stream, blocks the shard.
 *
 * @example
 * ```ts
 * import { PermanentError } from "@rebound/errors";
 * throw new PermanentError("card declined", { code: "CARD_DECLINED" });
 * ```
 */
export class PermanentError extends ReboundError {
  public constructor(message: string, options: ReboundErrorOptions = {}) {
    super(message, { code: "PERMANENT_FAILURE", ...options });
    this.name = "PermanentError";
  }
}

/**
 * The input does not have the expected shape. `issues` lists every problem found, for the caller.
 *
 * @example
 * ```ts
 * import { ValidationError } from "@rebound/errors";
 * throw new ValidationError("invalid order", { issues: ["amountCents: expected a positive integer"] });
 * ```
 */
export class ValidationError extends PermanentError {
  public readonly issues: readonly string[];

  public constructor(
    message: string,
    options: ReboundErrorOptions & { readonly issues?: readonly string[] } = {},
  ) {
    super(message, { code: "VALIDATION_FAILED", ...options });
    this.name = "ValidationError";
    this.issues = options.issues ?? [];
  }
}

/**
 * The thing asked for does not exist (HTTP 404).
 *
 * @example
 * ```ts
 * import { NotFoundError } from "@rebound/errors";
 * throw new NotFoundError(`order ${id} not found`, { code: "ORDER_NOT_FOUND" });
 * ```
 */
export class NotFoundError extends PermanentError {
  public constructor(message: string, options: ReboundErrorOptions = {}) {
    super(message, { code: "NOT_FOUND", ...options });
    this.name = "NotFoundError";
  }
}

/**
 * The request conflicts with the current state (HTTP 409), e.g. an idempotency key reused with
 * another payload.
 *
 * @example
 * ```ts
 * import { ConflictError } from "@rebound/errors";
 * throw new ConflictError("order already paid", { code: "ALREADY_PAID" });
 * ```
 */
export class ConflictError extends PermanentError {
  public constructor(message: string, options: ReboundErrorOptions = {}) {
    super(message, { code: "CONFLICT", ...options });
    this.name = "ConflictError";
  }
}
