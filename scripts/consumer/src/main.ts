// Runs the handlers of handlers.ts the way Lambda would and checks every outcome. DynamoDBStore runs
// against a real dynalite started here on loopback. Exits non-zero (an assertion error) on any miss.
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEventV2, Context, SQSEvent, SQSRecord } from "aws-lambda";
import { chargeOnceOnDynamoDB, charges, httpApiHandler, logLines, parked, sqsHandler } from "./handlers.js";

const context: Context = {
  awsRequestId: "8f6c2a1e-3b4d-4c5e-9f0a-1b2c3d4e5f60",
  functionName: "payments-worker",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:payments-worker",
  memoryLimitInMB: "512",
  logGroupName: "/aws/lambda/payments-worker",
  logStreamName: "2025/01/01/[$LATEST]0123456789abcdef",
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

function sqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "1735689600000",
      SenderId: "AIDAEXAMPLE",
      ApproximateFirstReceiveTimestamp: "1735689600001",
    },
    messageAttributes: {},
    md5OfBody: "0",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:payments",
    awsRegion: "eu-west-1",
  };
}

function httpEvent(method: string, path: string, body?: string): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: "",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    pathParameters: path.startsWith("/orders/") ? { id: path.slice("/orders/".length) } : {},
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "api.example.com",
      domainPrefix: "api",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "consumer-test" },
      requestId: `req-${method}-${path}`,
      routeKey: `${method} ${path}`,
      stage: "$default",
      time: "01/Jan/2025:00:00:00 +0000",
      timeEpoch: 1735689600000,
    },
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body }),
  };
}

// 1. SQS partial batch: one good, one malformed (parked), one throttled (reported), and the good one
// delivered again (the idempotent charge must not run twice).
const batch: SQSEvent = {
  Records: [
    sqsRecord("m-1", JSON.stringify({ orderId: "o-1", amountCents: 1200 })),
    sqsRecord("m-2", "{not json"),
    sqsRecord("m-3", JSON.stringify({ orderId: "throttled", amountCents: 500 })),
  ],
};
const first = await sqsHandler(batch, context);
deepStrictEqual(first, { batchItemFailures: [{ itemIdentifier: "m-3" }] });
equal(parked.length, 1, "the malformed message is parked");
equal(parked[0]?.messageId, "m-2");
const redelivered = await sqsHandler({ Records: [batch.Records[0]!] }, context);
deepStrictEqual(redelivered, { batchItemFailures: [] });
deepStrictEqual(charges, [{ orderId: "o-1", amountCents: 1200 }], "o-1 charged once across two deliveries");
ok(
  logLines.some((line) => line["messageId"] === "m-3" && line["level"] === "WARN"),
  "the retryable failure is logged",
);
console.log("sqsBatchHandler: partial batch response, parking and in-memory idempotency ok");

// 2. HTTP: found, not found, invalid body, malformed JSON.
const found = await httpApiHandler(httpEvent("GET", "/orders/o-1"), context);
equal(found.statusCode, 200);
deepStrictEqual(JSON.parse(String(found.body)), { id: "o-1", status: "paid" });
const missing = await httpApiHandler(httpEvent("GET", "/orders/o-404"), context);
equal(missing.statusCode, 404);
equal((JSON.parse(String(missing.body)) as { error: { code: string } }).error.code, "ORDER_NOT_FOUND");
const invalid = await httpApiHandler(httpEvent("POST", "/orders", JSON.stringify({ orderId: 7 })), context);
equal(invalid.statusCode, 400);
const malformed = await httpApiHandler(httpEvent("POST", "/orders", "{"), context);
equal(malformed.statusCode, 400);
equal((JSON.parse(String(malformed.body)) as { error: { code: string } }).error.code, "MALFORMED_JSON");
const created = await httpApiHandler(
  httpEvent("POST", "/orders", JSON.stringify({ orderId: "o-2", amountCents: 1 })),
  context,
);
equal(created.statusCode, 201);
console.log("httpHandler: 200, 404, 400 (validation), 400 (malformed JSON), 201 ok");

// 3. DynamoDBStore on a real dynalite (CommonJS without types: a function returning an http.Server).
const dynalite = createRequire(import.meta.url)("dynalite") as (options: { createTableMs: number }) => Server;
const server = dynalite({ createTableMs: 0 });
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
try {
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await client.send(
    new CreateTableCommand({
      TableName: "idempotency",
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  for (let i = 0; ; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: "idempotency" }));
    if (Table?.TableStatus === "ACTIVE") break;
    if (i > 200) throw new Error("the dynalite table never became ACTIVE");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const chargeOnce = chargeOnceOnDynamoDB(client, "idempotency");
  const payment = { orderId: "o-3", amountCents: 900 };
  const a = await chargeOnce(payment);
  const b = await chargeOnce(payment);
  deepStrictEqual(a, { chargeId: "ch-o-3" });
  deepStrictEqual(b, a, "the duplicate gets the stored result");
  equal(charges.filter((c) => c.orderId === "o-3").length, 1, "o-3 charged once on DynamoDB");
  client.destroy();
  console.log("DynamoDBStore on dynalite: first call charged, duplicate answered from the table ok");
} finally {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
