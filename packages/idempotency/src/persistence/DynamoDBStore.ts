/**
 * Placeholder for the DynamoDB-backed store (issue #4). Importing it does not load the AWS SDK yet.
 *
 * @example
 * ```ts
 * import { DYNAMODB_STORE_PENDING } from "@rebound/idempotency/dynamodb";
 * ```
 */
export const DYNAMODB_STORE_PENDING = true;
