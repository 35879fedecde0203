import { defaultInProgressExpiresAfterMs, type OnFailure, type OnMissingKey } from "./constants.js";
import { IdempotencyKeyError } from "./errors.js";
import { hashPayload } from "./hashPayload.js";
import type { IdempotencyLogger } from "./logger.js";
import { BasePersistenceLayer } from "./persistence/BasePersistenceLayer.js";
import {
  aFunction,
  aPositiveInteger,
  aString,
  configError,
  describe,
  isFunction,
  isPositive,
  type OptionSpec,
  oneOf,
  required,
  validateOptions,
} from "./validateOptions.js";

/**
 * Options of {@link makeIdempotent}. `TInput` and `TContext` are the wrapped function's first two
 * parameters (an event or record, and usually the Lambda context).
 *
 * @example
 * ```ts
 * import { type IdempotencyOptions, InMemoryStore } from "@rebound/idempotency";
 * interface PaymentRequest {
 *   readonly orderId: string;
 *   readonly amountCents: number;
 * }
 * const options: IdempotencyOptions<PaymentRequest> = {
 *   store: new InMemoryStore(),
 *   keyFrom: (input) => input.orderId,
 *   namespace: "charge",
 * };
 * ```
 */
export interface IdempotencyOptions<TInput, TContext = unknown> {
  /** Where records live: an `InMemoryStore` or a `DynamoDBStore`. */
  readonly store: BasePersistenceLayer;
  /** The idempotency key of a call; `undefined` or `""` means the input has none (see `onMissingKey`). */
  readonly keyFrom: (input: TInput, context: TContext) => string | undefined;
  /**
   * What the payload check hashes: a second call with the same key and a different payload is
   * rejected with `IdempotencyPayloadMismatchError`. Default: the whole input. Return only the
   * fields that define the request when the input carries per-delivery noise (API Gateway's
   * `requestContext.requestTimeEpoch`, SQS `attributes.ApproximateReceiveCount`).
   */
  readonly payloadFrom?: (input: TInput) => unknown;
  /** Key prefix, e.g. the function or operation name; the stored key is `namespace#key`. Default: none. */
  readonly namespace?: string;
  /** How long a completed (or remembered failed) record protects its key, seconds. Default 3600. */
  readonly expiresAfterSeconds?: number;
  /**
   * How long the in-progress lock protects a running call, ms: after that a crashed or timed-out
   * call's key can run again. Default: `context.getRemainingTimeInMillis()` when a Lambda context
   * is the second argument (the lock ends when Lambda would kill the call), else 60 000.
   */
  readonly inProgressExpiresAfterMs?: number | ((context: TContext) => number);
  /** On a thrown error: `"release"` the lock (default) or `"remember-permanent"` failures. */
  readonly onFailure?: OnFailure;
  /** When `keyFrom` finds no key: `"throw"` an `IdempotencyKeyError` (default) or run unguarded with a warning. */
  readonly onMissingKey?: OnMissingKey;
  /** Epoch milliseconds. Default: the store's clock (`Date.now` unless the store was given one). */
  readonly clock?: () => number;
  /** Uniform in [0, 1); only makes lock ids. Default `Math.random` (ids need to be unique, not secret). */
  readonly random?: () => number;
  /** Default: `console`. */
  readonly logger?: IdempotencyLogger;
}

// The value is in three places below; one constant, one string in a bundle.
const runUnguarded = "run-without-idempotency" satisfies OnMissingKey;

// Literal lists rather than Object.values(OnFailure): the constant objects then stay out of bundles
// (the `satisfies` checks keep them in step).
const optionSpecs: Record<keyof IdempotencyOptions<unknown>, OptionSpec> = {
  store: [(value) => value instanceof BasePersistenceLayer, "a DynamoDBStore or InMemoryStore", 1],
  keyFrom: required(aFunction),
  payloadFrom: aFunction,
  namespace: aString,
  expiresAfterSeconds: aPositiveInteger,
  // A lock function is checked when it is called (lockMsFor); a number is checked here.
  inProgressExpiresAfterMs: [
    (value) => isFunction(value) || isPositive(value),
    "a positive finite number or a function of the context",
  ],
  onFailure: oneOf(...(["release", "remember-permanent"] satisfies OnFailure[])),
  onMissingKey: oneOf(...(["throw", runUnguarded] satisfies OnMissingKey[])),
  clock: aFunction,
  random: aFunction,
  logger: [
    (value) =>
      isFunction((value as IdempotencyLogger | undefined)?.warn) &&
      isFunction((value as IdempotencyLogger).error),
    "an object with warn and error methods (console works)",
  ],
};

const where = "makeIdempotent";

/**
 * Wraps an async function (a whole handler, or one record's handler) so that for one key its body
 * runs once and later calls get the stored result, whatever AWS replays. Extra arguments are
 * passed through. A duplicate during the first call gets `IdempotencyInProgressError` (retryable,
 * 409); the same key with another payload gets `IdempotencyPayloadMismatchError` (permanent); a
 * store outage gets `IdempotencyStoreError` (retryable) and the body does not run.
 *
 * @example
 * ```ts
 * import type { Context } from "aws-lambda";
 * import { makeIdempotent } from "@rebound/idempotency";
 * import { DynamoDBStore } from "@rebound/idempotency/dynamodb";
 *
 * interface PaymentRequest {
 *   readonly orderId: string;
 *   readonly amountCents: number;
 * }
 * declare const provider: { charge(input: PaymentRequest): Promise<{ chargeId: string }> };
 *
 * const store = new DynamoDBStore({ tableName: process.env.IDEMPOTENCY_TABLE! });
 * const chargeOnce = makeIdempotent(
 *   async (input: PaymentRequest, context?: Context) => provider.charge(input),
 *   { store, keyFrom: (input) => input.orderId, namespace: "charge", onFailure: "remember-permanent" },
 * );
 * ```
 */
export function makeIdempotent<TArgs extends [unknown, ...unknown[]], TResult>(
  fn: (...args: TArgs) => Promise<TResult>,
  options: IdempotencyOptions<TArgs[0], TArgs[1]>,
): (...args: TArgs) => Promise<TResult> {
  if (!isFunction(fn)) {
    configError(where, `expects the async function to wrap first, received ${describe(fn)}`);
  }
  validateOptions(where, options, optionSpecs);
  // A copy: the options were validated now, later changes to the caller's object must not count.
  const settings = { ...options } as IdempotencyOptions<TArgs[0], TArgs[1]>;
  const { store, keyFrom, payloadFrom, namespace, inProgressExpiresAfterMs: lockOption } = settings;
  const prefix = namespace ? `${namespace}#` : "";
  const name = `${where}(${fn.name || "anonymous"}): `;
  // Every key error names the wrapped function and `keyFrom`.
  const keyError = (problem: string, options?: { cause: unknown }): IdempotencyKeyError =>
    new IdempotencyKeyError(`${name}keyFrom ${problem}`, options);

  return async function idempotent(...args: TArgs): Promise<TResult> {
    const [input, context] = args;
    let key: unknown;
    try {
      key = keyFrom(input, context);
    } catch (error) {
      throw keyError(`threw: ${error}`, { cause: error });
    }
    if (key == null || key === "") {
      if (settings.onMissingKey !== runUnguarded) {
        throw keyError(`found no key; fix the input or set onMissingKey: "${runUnguarded}"`);
      }
      (settings.logger ?? console).warn(`${name}keyFrom found no key; running without idempotency`);
      return fn(...args);
    }
    if (typeof key !== "string") {
      throw keyError(`must return a string, returned ${describe(key)}`);
    }
    return store.execute(
      settings,
      prefix + key,
      hashPayload(payloadFrom ? payloadFrom(input) : input),
      lockMsFor(lockOption, context),
      () => fn(...args),
    );
  };
}

function lockMsFor(option: number | ((context: never) => number) | undefined, context: unknown): number {
  if (typeof option === "number") return option;
  if (option) {
    const ms = option(context as never);
    if (!isPositive(ms)) {
      configError(where, `"inProgressExpiresAfterMs" returned ${describe(ms)}, not a positive number`);
    }
    return ms;
  }
  const remaining = (context as { getRemainingTimeInMillis?: unknown } | null | undefined)
    ?.getRemainingTimeInMillis;
  // At or past the timeout Lambda is about to end the call: a 1 ms lock lets the retry run.
  return isFunction(remaining)
    ? Math.max(1, Number((remaining as () => number).call(context)) || 1)
    : defaultInProgressExpiresAfterMs;
}
