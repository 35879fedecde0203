/**
 * Fake credentials and region so the AWS SDK never looks for real ones. Spread it into every client
 * that talks to a local server.
 *
 * @example
 * ```ts
 * import { TEST_AWS } from "@rebound/testing";
 * const sqs = new SQSClient({ ...TEST_AWS, endpoint: local.endpoint });
 * ```
 */
export const TEST_AWS = {
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
} as const;
