import type { APIGatewayProxyEventV2, Context } from "aws-lambda";

/** A Lambda context as the Node runtime passes it; `getRemainingTimeInMillis` from a fixed budget. */
export function lambdaContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "orders-api",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:orders-api",
    memoryLimitInMB: "256",
    awsRequestId: crypto.randomUUID(),
    logGroupName: "/aws/lambda/orders-api",
    logStreamName: "2024/01/01/[$LATEST]abc",
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}

/** An API Gateway HTTP API (payload format 2.0) event, as API Gateway sends it. */
export function httpApiEvent(
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string>; pathParameters?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const routeKey = path.startsWith("/orders/") ? `${method} /orders/{id}` : `${method} ${path}`;
  return {
    version: "2.0",
    routeKey,
    rawPath: path,
    rawQueryString: "",
    headers: {
      accept: "application/json",
      "content-length": String(options.body?.length ?? 0),
      host: "abc123.execute-api.us-east-1.amazonaws.com",
      "user-agent": "curl/8.5.0",
      "x-forwarded-proto": "https",
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...options.headers,
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.us-east-1.amazonaws.com",
      domainPrefix: "abc123",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "203.0.113.7", userAgent: "curl/8.5.0" },
      requestId: `req-${crypto.randomUUID()}`,
      routeKey,
      stage: "$default",
      time: "01/Jan/2024:12:00:00 +0000",
      timeEpoch: 1_704_110_400_000,
    },
    isBase64Encoded: false,
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.pathParameters === undefined ? {} : { pathParameters: options.pathParameters }),
  };
}
