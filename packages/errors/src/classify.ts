import { isErrorStatus, PermanentError, RetryableError } from "./errors.js";
import { isRules } from "./validateOptions.js";

/**
 * How a failure should be treated by the retry machinery.
 *
 * @example
 * ```ts
 * import { Classification, classify } from "@rebound/errors";
 * const error = new SyntaxError("Unexpected end of JSON input");
 * console.log(classify(error) === Classification.Permanent); // true: the same input fails the same way
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
 * const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
 * const { classification, source } = explainClassification(throttled);
 * console.log(classification, source); // "retryable" "aws-sdk"
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

// Shared frozen results, a retryable and a permanent one per source: classifying allocates nothing.
function results(source: ClassificationSource): readonly [ClassificationResult, ClassificationResult] {
  return [
    Object.freeze({ classification: "retryable", source }),
    Object.freeze({ classification: "permanent", source }),
  ];
}
const [RETRYABLE_REBOUND, PERMANENT_REBOUND] = results("rebound");
const [RETRYABLE_RULE, PERMANENT_RULE] = results("rule");
const [RETRYABLE_SDK, PERMANENT_SDK] = results("aws-sdk");
const [RETRYABLE_STATUS, PERMANENT_STATUS] = results("http-status");
const [RETRYABLE_NETWORK] = results("network");
const [, PERMANENT_SYNTAX] = results("syntax");
const [DEFAULT_RESULT] = results("default");

// One anchored pattern, tested on the error's `name` and then its `code` (AWS SDK v2 and some
// libraries put the AWS error name in `code`). Group 1 matches network failures: Node / undici codes
// where the connection, not the request, failed (ECONNRESET, ECONNREFUSED, ECONNABORTED, ETIMEDOUT,
// EPIPE, EAI_AGAIN, ENOTFOUND, EHOSTUNREACH, ENETUNREACH, ENETDOWN, UND_ERR_CONNECT_TIMEOUT,
// UND_ERR_HEADERS_TIMEOUT, UND_ERR_BODY_TIMEOUT, UND_ERR_SOCKET, UND_ERR_CLOSED) and fetch /
// AbortSignal.timeout() / SDK timeouts (AbortError, TimeoutError). The rest are the error names the AWS
// SDK v3 itself retries (@smithy/service-error-classification constants): throttling
// (BandwidthLimitExceeded, EC2ThrottledException, LimitExceededException, PriorRequestNotComplete,
// ProvisionedThroughputExceededException, RequestLimitExceeded, RequestThrottled(Exception), SlowDown,
// ThrottledException, Throttling(Exception), TooManyRequestsException, TransactionInProgressException),
// transient (RequestTimeout(Exception), InternalServerError, InternalFailure,
// ServiceUnavailable(Exception)), clock skew and expired credentials (AuthFailure,
// InvalidSignatureException, RequestExpired, RequestInTheFuture, RequestTimeTooSkewed,
// SignatureDoesNotMatch, ExpiredToken(Exception)), which succeed once the SDK refreshes its clock offset
// or credentials; plus DynamoDB's TransactionConflictException, which AWS documents as retryable. Each
// AWS name also matches with an "Exception" suffix, which only widens it to the same errors' other
// spellings. One regex is ~200 bytes smaller in the bundle than a list per kind.
const TRANSIENT =
  /^(?:(E(?:CONN(?:RESET|REFUSED|ABORTED)|TIMEDOUT|PIPE|AI_AGAIN|NOTFOUND|(?:HOST|NET)UNREACH|NETDOWN)|UND_ERR_(?:(?:CONNECT|HEADERS|BODY)_TIMEOUT|SOCKET|CLOSED)|AbortError|TimeoutError)|(?:(?:Bandwidth|Request)?LimitExceeded|EC2Throttled|PriorRequestNotComplete|ProvisionedThroughputExceeded|(?:Request)?Throttl(?:ed|ing)|SlowDown|TooManyRequests|Transaction(?:InProgress|Conflict)|Request(?:Timeout|Expired|InTheFuture|TimeTooSkewed)|Internal(?:ServerError|Failure)|ServiceUnavailable|AuthFailure|InvalidSignature|SignatureDoesNotMatch|ExpiredToken)(?:Exception)?)$/;

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
  const transient = TRANSIENT.exec(String(e.name)) ?? TRANSIENT.exec(String(e.code));
  if (transient) return transient[1] ? RETRYABLE_NETWORK : RETRYABLE_SDK;
  // Only error statuses decide: a `status` of 200 or "FAILED" says nothing about retrying.
  const status = [
    (e.$metadata as { httpStatusCode?: unknown } | undefined)?.httpStatusCode,
    e.statusCode,
    e.status,
    (e.response as { status?: unknown } | undefined)?.status,
    (e.response as { statusCode?: unknown } | undefined)?.statusCode,
  ].find(isErrorStatus) as number | undefined;
  if (status) return status === 408 || status === 429 || status >= 500 ? RETRYABLE_STATUS : PERMANENT_STATUS;
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
 * class CardDeclined extends Error {}
 * const classify = createClassifier([(e) => (e instanceof CardDeclined ? "permanent" : undefined)]);
 * classify(new CardDeclined()); // "permanent"
 * ```
 */
export function createClassifier(rules: readonly ClassificationRule[] = []): Classifier {
  if (!isRules(rules)) {
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

const defaultClassifier = /* @__PURE__ */ createClassifier();

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
