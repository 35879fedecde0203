import type { RunEvent } from "../report/RunResult.js";
import { containsShape } from "./containsShape.js";
import { isCopyOf } from "./expandEvents.js";

/** What a `response` expectation asks. */
export interface ResponseExpectation {
  readonly event: string;
  readonly statusCode: number | undefined;
  readonly functionError: string | undefined;
  readonly errorType: string | undefined;
  readonly payload: unknown;
}

/**
 * Checks the response of a synchronous invoke (`kind: invoke, type: RequestResponse`: StatusCode,
 * FunctionError, the payload or the error payload) or of an API request (the status and body API
 * Gateway answered, its 429/401 included) against what the expectation asks; every copy of a repeated
 * event must match. The detail puts expected and actual side by side.
 *
 * @example
 * ```ts
 * evaluateResponse({ event: "get-order", statusCode: 200, functionError: undefined, errorType: undefined, payload: { $json: { id: "o-1" } } }, result.events);
 * ```
 */
export function evaluateResponse(
  expectation: ResponseExpectation,
  events: readonly RunEvent[],
): { ok: boolean; detail: string } {
  const answered = events.filter(
    (event) =>
      isCopyOf(event.id, expectation.event) &&
      (event.source.startsWith("invoke:") || event.source.startsWith("apigw:")),
  );
  if (answered.length === 0)
    return {
      ok: false,
      detail: `event ${expectation.event} got no response: it is not a synchronous invoke (type: RequestResponse) or an api request, or it never finished`,
    };
  const problems: string[] = [];
  for (const event of answered) {
    const response = (event.record ?? {}) as Record<string, unknown>;
    const isApi = event.source.startsWith("apigw:");
    const payload = isApi ? response.body : response.payload;
    const errorType = (payload as { errorType?: unknown } | undefined)?.errorType;
    const found: string[] = [];
    if (expectation.statusCode !== undefined && response.statusCode !== expectation.statusCode)
      found.push(`status ${String(response.statusCode)}, expected ${expectation.statusCode}`);
    if (expectation.functionError !== undefined && response.functionError !== expectation.functionError)
      found.push(
        `FunctionError ${String(response.functionError ?? "(none)")}, expected ${expectation.functionError}`,
      );
    if (expectation.errorType !== undefined && errorType !== expectation.errorType)
      found.push(`errorType ${String(errorType ?? "(none)")}, expected ${expectation.errorType}`);
    if (expectation.payload !== undefined) {
      const difference = containsShape(payload, expectation.payload);
      if (difference !== undefined)
        found.push(
          `${isApi ? "body" : "payload"} ${difference}\n    expected ${JSON.stringify(expectation.payload)}\n    actual   ${JSON.stringify(payload)}`,
        );
    }
    if (found.length > 0) problems.push(`${event.id}: ${found.join("; ")}`);
  }
  if (problems.length > 0) return { ok: false, detail: problems.slice(0, 5).join("\n") };
  const first = answered[0]!.record as { statusCode?: unknown } | undefined;
  return { ok: true, detail: `${answered.length} response(s), status ${String(first?.statusCode)}` };
}
