/**
 * Tags the simulator reads to map a function to its bundle without unzipping the asset: the app
 * folder (apps/<app>/dist/index.mjs) and the export named by the handler.
 *
 * @example
 * ```ts
 * import { REBOUND_TAGS } from "@rebound/infra/constants";
 * const tags = { [REBOUND_TAGS.app]: "receipts", [REBOUND_TAGS.handlerExport]: "handler" };
 * ```
 */
export const REBOUND_TAGS = {
  app: "rebound:app",
  handlerExport: "rebound:handler-export",
} as const;

/**
 * The Lambda runtime every function uses (ARCHITECTURE.md: Node 20 builds, nodejs22.x runs).
 *
 * @example
 * ```ts
 * import { LAMBDA_RUNTIME } from "@rebound/infra/constants";
 * console.log(LAMBDA_RUNTIME); // "nodejs22.x"
 * ```
 */
export const LAMBDA_RUNTIME = "nodejs22.x";

/**
 * Transient errors of the Lambda service itself, as a Step Functions Lambda task reports them. AWS's
 * Step Functions best practice ("Handle transient Lambda service exceptions") retries these;
 * TooManyRequestsException is the throttle. None of them means the function's code ran and failed.
 *
 * @example
 * ```ts
 * import { LAMBDA_SERVICE_ERRORS } from "@rebound/infra/constants";
 * const retrier = { ErrorEquals: [...LAMBDA_SERVICE_ERRORS], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 };
 * ```
 */
export const LAMBDA_SERVICE_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
] as const;

/**
 * Retention values CloudWatch Logs accepts for `retention_in_days` (PutRetentionPolicy).
 *
 * @example
 * ```ts
 * import { LOG_RETENTION_DAYS } from "@rebound/infra/constants";
 * LOG_RETENTION_DAYS.includes(30); // true
 * ```
 */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Seconds in a day, for retention settings written in days.
 *
 * @example
 * ```ts
 * import { DAY_SECONDS } from "@rebound/infra/constants";
 * const messageRetentionSeconds = 7 * DAY_SECONDS;
 * ```
 */
export const DAY_SECONDS = 86_400;
