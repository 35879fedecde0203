import type { Context } from "aws-lambda";
import { InvalidEventError } from "./errors.js";
import { describeValue } from "./validateOptions.js";

/**
 * A short description of what a wrapper received, for error messages: the first record's
 * `eventSource` for Records events (SQS, streams, SNS, S3), else the top-level keys with short values
 * (an API Gateway event shows `httpMethod`, `requestContext`, ...). Kept small: it ships in every bundle.
 *
 * @example
 * ```ts
 * import { describeEvent } from "@rebound/errors";
 * describeEvent({ Records: [{ eventSource: "aws:sqs" }] }); // 'a Records event (eventSource "aws:sqs")'
 * describeEvent({ httpMethod: "GET" }); // '{ httpMethod: "GET" }'
 * ```
 */
export function describeEvent(event: unknown): string {
  const records = (event as { Records?: unknown } | null | undefined)?.Records;
  if (!Array.isArray(records)) return describeValue(event);
  const first = records[0] as { eventSource?: unknown; EventSource?: unknown } | undefined;
  return `a Records event (eventSource ${JSON.stringify(first?.eventSource ?? first?.EventSource)})`;
}

/** Throws a clear error unless the second argument is a Lambda context (it carries the request id). */
export function assertContext(where: string, context: unknown): asserts context is Context {
  if (typeof (context as Context | null)?.awsRequestId !== "string") {
    throw new InvalidEventError(
      `${where}: the second argument must be the Lambda context (with awsRequestId); received ${describeValue(context)}`,
      { expected: "a Lambda Context" },
    );
  }
}
