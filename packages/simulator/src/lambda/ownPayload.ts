import { ConfigurationError } from "../engine/errors.js";

/**
 * The event as one invocation receives it (docs/aws-semantics.md#each-invocations-own-payload): a
 * copy decoded from its JSON, as Lambda's runtime decodes every invocation's payload afresh. A
 * handler that changes its event (a body parser replacing `event.body` with the parsed object, say)
 * must not change what the next retry of the same event, or another function consuming the same
 * record, receives. Fields JSON cannot carry (`undefined`, functions) are dropped, as in Lambda.
 *
 * @example
 * ```ts
 * const event = { body: '{"orderId":"o-1"}' };
 * const copy = ownPayload(event, "receipts") as { body: unknown };
 * copy.body = JSON.parse(copy.body as string);
 * event.body; // still the text
 * ```
 */
export function ownPayload(event: unknown, functionName: string): unknown {
  if (event === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(event);
  } catch (error) {
    throw new ConfigurationError(
      "event",
      `${functionName}: the event cannot be sent as a Lambda payload (${(error as Error).message}); a payload is JSON, so pass plain objects, arrays, strings, numbers, booleans and null`,
      { cause: error },
    );
  }
  return text === undefined ? undefined : JSON.parse(text);
}
