import { type AwsAnswer, type AwsCall, type FakeAwsService, serve } from "./fakeAwsService.js";

/**
 * Starts a fake AWS JSON 1.0 / 1.1 service (Step Functions, SSM, DynamoDB Streams, Kinesis) on
 * 127.0.0.1: the operation comes from `X-Amz-Target: Prefix.Operation`, the input is the JSON body.
 * Pass `{ http2: true }` for clients that speak HTTP/2 (Kinesis).
 *
 * @example
 * ```ts
 * import { startJsonService, TEST_AWS } from "@rebound/testing";
 * const sfn = await startJsonService(() => ({ output: { executionArn: "arn:x", startDate: 0 } }));
 * const client = new SFNClient({ ...TEST_AWS, endpoint: sfn.endpoint });
 * // ... then: expect(sfn.calls[0]?.operation).toBe("StartExecution");
 * ```
 */
export function startJsonService(
  initial: (call: AwsCall) => AwsAnswer,
  options: { http2?: boolean } = {},
): Promise<FakeAwsService> {
  return serve(
    (req, body) => ({
      operation:
        String(req.headers["x-amz-target"] ?? "")
          .split(".")
          .pop() ?? "",
      input: body.length > 0 ? JSON.parse(body) : {},
    }),
    (_call, answer) =>
      "output" in answer
        ? { status: 200, contentType: "application/x-amz-json-1.0", body: JSON.stringify(answer.output) }
        : {
            status: answer.error.status,
            contentType: "application/x-amz-json-1.0",
            body: JSON.stringify({ __type: answer.error.type, message: answer.error.message }),
          },
    initial,
    options.http2 ?? false,
  );
}
