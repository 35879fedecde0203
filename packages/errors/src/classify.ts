import { PermanentError, RetryableError } from "./errors.js";

/**
 * How a failure should be treated by the retry machinery.
 *
 * @example
 * ```ts
 * import { Classification, classify } from "@rebound/errors";
 * if (classify(error) === Classification.Permanent) park(event);
 * ```
 */
export const Classification = { Retryable: "retryable", Permanent: "permanent" } as const;
export type Classification = (typeof Classification)[keyof typeof Classification];

/**
 * Which rule decided, for logs and for HTTP mapping (an error no rule recognised answers 500, not 503).
 *
 * @example
 * ```ts
 * import { ClassificationSource, explainClassification } from "@rebound/errors";
 * explainClassification(new Error("?")).source === ClassificationSource.Default; // true
 * ```
 */
export const ClassificationSource = {
  /** A user rule passed in `rules`. */
  Rule: "rule",
  /** A `RetryableError` or `PermanentError` (or subclass). */
  Rebound: "rebound",
  /** An AWS SDK v3 service error (`$retryable`, `$fault`, throttling / transient names). */
  AwsSdk: "aws-sdk",
  /** A Node network error code, or an AbortError / TimeoutError. */
  Network: "network",
  /** An object carrying an HTTP status (`statusCode`, `status`, `$metadata.httpStatusCode`). */
  HttpStatus: "http-status",
  /** A `SyntaxError`: in a handler that is JSON.parse of its input. */
  Syntax: "syntax",
  /** Nothing recognised the error: the documented default, retryable. */
  Default: "default",
} as const;
export type ClassificationSource = (typeof ClassificationSource)[keyof typeof ClassificationSource];

/**
 * A user rule: return a classification to decide, or `undefined` to let the next rule decide. Rules
 * run before the built-in ones, in order, on the error and then on each `cause` in its chain.
 *
 * @example
 * ```ts
 * import type { ClassificationRule } from "@rebound/errors";
 * const declined: ClassificationRule = (error) =>
 *   error instanceof Error && error.message.startsWith("card_declined") ? "permanent" : undefined;
 * ```
 */
export type ClassificationRule = (error: unknown) => Classification | undefined;

/**
 * What decided a classification.
 *
 * @example
 * ```ts
 * import { explainClassification } from "@rebound/errors";
 * const { classification, source } = explainClassification(error);
 * ```
 */
export interface ClassificationResult {
  readonly classification: Classification;
  readonly source: ClassificationSource;
}

/**
 * A compiled classifier: `classify(error)` with user rules bound, plus `explain(error)`.
 *
 * @example
 * ```ts
 * import { createClassifier } from "@rebound/errors";
 * const classify = createClassifier([]);
 * classify.explain(new Error("?")); // { classification: "retryable", source: "default" }
 * ```
 */
export interface Classifier {
  (error: unknown): Classification;
  explain(error: unknown): ClassificationResult;
}

function result(classification: Classification, source: ClassificationSource): ClassificationResult {
  return Object.freeze({ classification, source });
}
// Shared frozen results: classifying allocates nothing.
const RETRYABLE_REBOUND = result("retryable", "rebound");
const PERMANENT_REBOUND = result("permanent", "rebound");
const RETRYABLE_RULE = result("retryable", "rule");
const PERMANENT_RULE = result("permanent", "rule");
const RETRYABLE_SDK = result("retryable", "aws-sdk");
const PERMANENT_SDK = result("permanent", "aws-sdk");
const RETRYABLE_NETWORK = result("retryable", "network");
const RETRYABLE_STATUS = result("retryable", "http-status");
const PERMANENT_STATUS = result("permanent", "http-status");
const PERMANENT_SYNTAX = result("permanent", "syntax");
const DEFAULT_RESULT = result("retryable", "default");

// Error names the AWS SDK v3 itself retries (@smithy/service-error-classification constants), as one
// anchored pattern (smaller in the bundle than a Set of 29 strings): throttling (BandwidthLimitExceeded,
// EC2ThrottledException, LimitExceededException, PriorRequestNotComplete,
// ProvisionedThroughputExceededException, RequestLimitExceeded, RequestThrottled(Exception), SlowDown,
// ThrottledException, Throttling(Exception), TooManyRequestsException, TransactionInProgressException),
// transient (RequestTimeout(Exception), InternalServerError, InternalFailure,
// ServiceUnavailable(Exception)), clock skew and expired credentials (AuthFailure,
// InvalidSignatureException, RequestExpired, RequestInTheFuture, RequestTimeTooSkewed,
// SignatureDoesNotMatch, ExpiredToken(Exception)), which succeed once the SDK refreshes its clock offset
// or credentials; plus DynamoDB's TransactionConflictException, which AWS documents as retryable. Each
// name also matches with an "Exception" suffix, which only widens it to the same errors' other spellings.
const RETRYABLE_AWS_NAME =
  /^(?:BandwidthLimitExceeded|EC2Throttled|LimitExceeded|PriorRequestNotComplete|ProvisionedThroughputExceeded|RequestLimitExceeded|(?:Request)?Throttl(?:ed|ing)|SlowDown|TooManyRequests|Transaction(?:InProgress|Conflict)|RequestTimeout|InternalServerError|InternalFailure|ServiceUnavailable|AuthFailure|InvalidSignature|RequestExpired|RequestInTheFuture|RequestTimeTooSkewed|SignatureDoesNotMatch|ExpiredToken)(?:Exception)?$/;

// Node / undici network error codes: the connection, not the request, failed (ECONNRESET, ECONNREFUSED,
// ECONNABORTED, ETIMEDOUT, EPIPE, EAI_AGAIN, ENOTFOUND, EHOSTUNREACH, ENETUNREACH, ENETDOWN,
// UND_ERR_CONNECT_TIMEOUT, UND_ERR_HEADERS_TIMEOUT, UND_ERR_BODY_TIMEOUT, UND_ERR_SOCKET, UND_ERR_CLOSED).
const NETWORK_CODE =
  /^(?:ECONN(?:RESET|REFUSED|ABORTED)|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|E(?:HOST|NET)UNREACH|ENETDOWN|UND_ERR_(?:(?:CONNECT|HEADERS|BODY)_TIMEOUT|SOCKET|CLOSED))$/;

// Bounds the walk down `cause` chains; real chains are 1-3 deep, and this also stops cycles.
const MAX_CAUSE_DEPTH = 8;

/**
 * The built-in rules alone, for one error (not its causes). Exposed for reuse in user rules.
 *
 * @example
 * ```ts
 * import { builtInClassification } from "@rebound/errors";
 * builtInClassification({ statusCode: 429 }); // { classification: "retryable", source: "http-status" }
 * ```
 */
export function builtInClassification(error: unknown): ClassificationResult | undefined {
  if (error instanceof PermanentError) return PERMANENT_REBOUND;
  if (error instanceof RetryableError) return RETRYABLE_REBOUND;
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as Record<string, unknown>;
  // AWS SDK v3: `$retryable` is set (to `{}` or `{ throttling: true }`) on errors the SDK deems retryable.
  if (e.$retryable) return RETRYABLE_SDK;
  const name = e.name;
  if (typeof name === "string") {
    if (RETRYABLE_AWS_NAME.test(name)) return RETRYABLE_SDK;
    // fetch / AbortSignal.timeout() / the SDK's own timeouts.
    if (name === "AbortError" || name === "TimeoutError") return RETRYABLE_NETWORK;
  }
  const code = e.code;
  if (typeof code === "string" && NETWORK_CODE.test(code)) return RETRYABLE_NETWORK;
  const status = httpStatusOf(e);
  if (status !== undefined) {
    return status === 408 || status === 429 || status >= 500 ? RETRYABLE_STATUS : PERMANENT_STATUS;
  }
  if (e.$fault === "server") return RETRYABLE_SDK;
  if (e.$fault === "client") return PERMANENT_SDK;
  if (error instanceof SyntaxError) return PERMANENT_SYNTAX;
  return undefined;
}

/**
 * Builds a classifier with user rules consulted before the built-in ones. Each level of the `cause`
 * chain goes through the user rules and then the built-in rules, before the next level: a wrapper such
 * as `new Error("charge failed", { cause: throttlingError })` is classified by its cause. Nothing
 * recognised → retryable (see {@link classify}).
 *
 * @example
 * ```ts
 * import { createClassifier } from "@rebound/errors";
 * const classify = createClassifier([(e) => (e instanceof CardDeclined ? "permanent" : undefined)]);
 * classify(new CardDeclined()); // "permanent"
 * ```
 */
export function createClassifier(rules: readonly ClassificationRule[] = []): Classifier {
  if (!Array.isArray(rules) || rules.some((rule) => typeof rule !== "function")) {
    throw new TypeError("createClassifier: rules must be an array of functions");
  }
  const ruleList = [...rules];
  function explain(error: unknown): ClassificationResult {
    let current = error;
    for (let depth = 0; depth <= MAX_CAUSE_DEPTH; depth++) {
      for (let i = 0; i < ruleList.length; i++) {
        const verdict = ruleList[i]!(current);
        if (verdict === undefined) continue;
        if (verdict !== "retryable" && verdict !== "permanent") {
          throw new TypeError(
            `classification rule #${i} returned ${String(verdict)}, not "retryable" | "permanent" | undefined`,
          );
        }
        return verdict === "retryable" ? RETRYABLE_RULE : PERMANENT_RULE;
      }
      const builtIn = builtInClassification(current);
      if (builtIn !== undefined) return builtIn;
      if (typeof current !== "object" || current === null || !("cause" in current)) break;
      current = (current as { cause?: unknown }).cause;
    }
    return DEFAULT_RESULT;
  }
  const classifier = ((error: unknown) => explain(error).classification) as Classifier;
  classifier.explain = explain;
  return classifier;
}

const defaultClassifier = createClassifier();

/**
 * Decides whether a failure is worth retrying; the one place that decides. Unknown errors are
 * **retryable**: losing an event to a wrong "permanent" guess is worse than paying for one more
 * attempt, and AWS bounds retries anyway (maxReceiveCount, MaximumRetryAttempts, record age).
 *
 * Retryable: `RetryableError`; AWS SDK v3 errors with `$retryable`, a throttling / transient /
 * clock-skew name or `$fault: "server"`; network codes (ECONNRESET, ETIMEDOUT, ECONNREFUSED,
 * EAI_AGAIN, ...); AbortError / TimeoutError; any object with HTTP status 408, 429 or 5xx.
 * Permanent: `PermanentError` (and subclasses); other 4xx statuses; `$fault: "client"`; `SyntaxError`.
 *
 * @example
 * ```ts
 * import { classify } from "@rebound/errors";
 * classify(new Error("boom")); // "retryable"
 * classify({ name: "ThrottlingException", $metadata: { httpStatusCode: 400 } }); // "retryable"
 * ```
 */
export function classify(error: unknown): Classification {
  return defaultClassifier.explain(error).classification;
}

/**
 * Like {@link classify}, but says which rule decided; optional user rules as in `createClassifier`.
 *
 * @example
 * ```ts
 * import { explainClassification } from "@rebound/errors";
 * explainClassification({ code: "ECONNRESET" }); // { classification: "retryable", source: "network" }
 * ```
 */
export function explainClassification(
  error: unknown,
  rules?: readonly ClassificationRule[],
): ClassificationResult {
  return (rules === undefined ? defaultClassifier : createClassifier(rules)).explain(error);
}

function httpStatusOf(e: Record<string, unknown>): number | undefined {
  const metadata = e.$metadata as { httpStatusCode?: unknown } | undefined;
  const response = e.response as { status?: unknown; statusCode?: unknown } | undefined;
  const candidates = [
    typeof metadata === "object" && metadata !== null ? metadata.httpStatusCode : undefined,
    e.statusCode,
    e.status,
    typeof response === "object" && response !== null ? (response.status ?? response.statusCode) : undefined,
  ];
  for (const value of candidates) {
    // Only error statuses decide: a `status` of 200 or "FAILED" says nothing about retrying.
    if (typeof value === "number" && Number.isInteger(value) && value >= 400 && value <= 599) return value;
  }
  return undefined;
}
