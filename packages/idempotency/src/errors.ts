import {
  ConflictError,
  PermanentError,
  type PermanentErrorOptions,
  ReboundError,
  type ReboundErrorOptions,
  RetryableError,
  type RetryableErrorOptions,
  ValidationError,
} from "@rebound/errors";

// Each idempotency error must also be the right kind of @rebound/errors error (in progress is
// retryable, a payload mismatch is a conflict), and JavaScript has single inheritance. So
// `IdempotencyError` is a real base class for errors that have no other kind, and `instanceof
// IdempotencyError` also recognises the others through a brand on their prototypes.
const brand = Symbol.for("@rebound/idempotency.error");

function addBrand(errorClass: abstract new (...args: never[]) => Error): void {
  Object.defineProperty(errorClass.prototype, brand, { value: true });
}

// Each class states its name, code and status in a `defaults` table (see ReboundError), built here
// from its kind: `Idempotency${kind}Error` and `IDEMPOTENCY_${code}`. The options (`key`,
// `operation`, `retryAfterSeconds`, `cause`, a caller's `code`) become fields of the error.
function defaultsOf(kind: string, code: string, httpStatus?: number): Readonly<Record<string, unknown>> {
  const defaults = { name: `Idempotency${kind}Error`, code: `IDEMPOTENCY_${code}` };
  return httpStatus === undefined ? defaults : { ...defaults, httpStatus };
}

/**
 * Base of every error this package throws: `error instanceof IdempotencyError` is true for all of
 * them, including those that extend `RetryableError` or `ConflictError` from @rebound/errors.
 *
 * @example
 * ```ts
 * import { IdempotencyError, InMemoryStore, makeIdempotent } from "@rebound/idempotency";
 * const chargeOnce = makeIdempotent(async (request: { orderId: string }) => `charged ${request.orderId}`, {
 *   store: new InMemoryStore(),
 *   keyFrom: (request) => request.orderId,
 * });
 * try {
 *   await chargeOnce({ orderId: "" }); // no key: IdempotencyKeyError
 * } catch (error) {
 *   if (error instanceof IdempotencyError) console.error(error.code); // IDEMPOTENCY_KEY_INVALID
 * }
 * ```
 */
export class IdempotencyError extends ReboundError {
  public static override readonly defaults = defaultsOf("", "ERROR");

  public static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses inherit this static: for them, keep the ordinary prototype-chain check.
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass instanceof is asked about.
    if (this !== IdempotencyError) return super[Symbol.hasInstance](value);
    return (value as { [brand]?: boolean } | null | undefined)?.[brand] === true;
  }
}
addBrand(IdempotencyError);

/**
 * Invalid options given to `makeIdempotent` or a store; the message names the option and the
 * expected shape. Thrown at construction, so a typo fails the cold start, not the hundredth event.
 *
 * @example
 * ```ts
 * import { IdempotencyConfigError, InMemoryStore, makeIdempotent } from "@rebound/idempotency";
 * try {
 *   makeIdempotent(async (orderId: string) => orderId, {
 *     store: new InMemoryStore(),
 *     keyFrom: (orderId: string) => orderId,
 *     expiresAfterSecond: 60, // a typo: the option is expiresAfterSeconds
 *   } as never);
 * } catch (error) {
 *   if (error instanceof IdempotencyConfigError) console.error(error.message); // names the option and the fix
 * }
 * ```
 */
export class IdempotencyConfigError extends IdempotencyError {
  public static override readonly defaults = defaultsOf("Config", "CONFIG_INVALID");
}

/**
 * Options of the errors that name an idempotency key.
 *
 * @example
 * ```ts
 * import { IdempotencyInProgressError } from "@rebound/idempotency";
 * new IdempotencyInProgressError("busy", { key: "charge#o-1", retryAfterSeconds: 5 });
 * ```
 */
export interface IdempotencyKeyedErrorOptions extends ReboundErrorOptions {
  /** The full idempotency key (namespace included) the error is about. */
  readonly key: string;
}

/**
 * Another call with the same key is running now (or crashed and its lock has not expired yet).
 * Retryable, HTTP 409, with `retryAfterSeconds` set to when the lock expires.
 *
 * @example
 * ```ts
 * import { IdempotencyInProgressError } from "@rebound/idempotency";
 * function responseFor(error: unknown): { statusCode: number; headers?: Record<string, string> } {
 *   if (error instanceof IdempotencyInProgressError) {
 *     return { statusCode: 409, headers: { "Retry-After": `${error.retryAfterSeconds}` } };
 *   }
 *   return { statusCode: 500 };
 * }
 * ```
 */
export class IdempotencyInProgressError extends RetryableError<
  IdempotencyKeyedErrorOptions & RetryableErrorOptions
> {
  public static override readonly defaults = defaultsOf("InProgress", "IN_PROGRESS", 409);

  declare public readonly key: string;
}
addBrand(IdempotencyInProgressError);

/**
 * The key was first used with a different payload: a client bug or a key collision. Permanent
 * (a `ConflictError`): retrying cannot fix it.
 *
 * @example
 * ```ts
 * import { IdempotencyPayloadMismatchError } from "@rebound/idempotency";
 * function report(error: unknown): void {
 *   if (error instanceof IdempotencyPayloadMismatchError) console.warn(`key ${error.key} reused`);
 * }
 * ```
 */
export class IdempotencyPayloadMismatchError extends ConflictError<
  IdempotencyKeyedErrorOptions & PermanentErrorOptions
> {
  public static override readonly defaults = defaultsOf("PayloadMismatch", "PAYLOAD_MISMATCH", 409);

  declare public readonly key: string;
}
addBrand(IdempotencyPayloadMismatchError);

/**
 * The store could not be reached or refused the request (network, throttling, permissions).
 * Retryable; the body did not run unguarded. `cause` is the store's own error.
 *
 * @example
 * ```ts
 * import { IdempotencyStoreError } from "@rebound/idempotency";
 * function report(error: unknown): void {
 *   if (error instanceof IdempotencyStoreError) console.error(error.operation, error.cause);
 * }
 * ```
 */
export class IdempotencyStoreError extends RetryableError<
  IdempotencyKeyedErrorOptions & RetryableErrorOptions & { readonly operation: string }
> {
  public static override readonly defaults = defaultsOf("Store", "STORE_UNAVAILABLE", 503);

  declare public readonly key: string;
  /** The operation that failed: DynamoDB's `PutItem`, `GetItem`, `UpdateItem`, `DeleteItem`, or `put`/`get` of another store. */
  declare public readonly operation: string;
}
addBrand(IdempotencyStoreError);

/**
 * `keyFrom` returned no usable key (or threw). A `ValidationError`: the same event will never grow
 * a key, so retrying is pointless. Set `onMissingKey: "run-without-idempotency"` to run anyway.
 *
 * @example
 * ```ts
 * import { IdempotencyKeyError } from "@rebound/idempotency";
 * function responseFor(error: unknown): { statusCode: number; body: string } {
 *   if (error instanceof IdempotencyKeyError) return { statusCode: 400, body: error.message };
 *   return { statusCode: 500, body: "Internal server error." };
 * }
 * ```
 */
export class IdempotencyKeyError extends ValidationError {
  public static override readonly defaults = defaultsOf("Key", "KEY_INVALID", 400);

  public constructor(message: string, options?: ReboundErrorOptions) {
    super(message, { issues: [message], ...options });
  }
}
addBrand(IdempotencyKeyError);

/**
 * The body already completed for this key, but its result was not stored: its JSON was larger
 * than the 400 KB item limit allows, or it was not JSON-serializable. The side effect is done;
 * only the result cannot be replayed. Permanent.
 *
 * @example
 * ```ts
 * import { IdempotencyResultUnavailableError } from "@rebound/idempotency";
 * function outcomeOf(error: unknown): { alreadyDone: boolean } {
 *   // The side effect ran, but its result was too large to store: do not run it again.
 *   if (error instanceof IdempotencyResultUnavailableError) return { alreadyDone: true };
 *   throw error;
 * }
 * ```
 */
export class IdempotencyResultUnavailableError extends PermanentError<
  IdempotencyKeyedErrorOptions & PermanentErrorOptions
> {
  public static override readonly defaults = defaultsOf("ResultUnavailable", "RESULT_UNAVAILABLE", 422);

  declare public readonly key: string;
}
addBrand(IdempotencyResultUnavailableError);
