import type { Context } from "aws-lambda";

/**
 * A Lambda context as the Node runtime passes it (30 s remaining, fresh request id), with overrides.
 *
 * @example
 * ```ts
 * import { lambdaContext } from "@rebound/testing";
 * await handler(event, lambdaContext("payments-worker", { getRemainingTimeInMillis: () => 500 }));
 * ```
 */
export function lambdaContext(functionName: string, overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "2024/01/01/[$LATEST]0123456789abcdef",
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}
