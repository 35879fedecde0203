import { PARKED_EVENT_KIND } from "@rebound/errors";

/**
 * The body to process for an SQS message that may be a redriven parked event.
 *
 * Permanent failures are parked in the source queue's DLQ as a @rebound/errors ParkedEvent envelope
 * (the original SQS record inside). An operator who fixes the cause redrives the whole DLQ with
 * `aws sqs start-message-move-task`, which moves envelopes and plain DLQ messages alike; unwrapping
 * here makes both kinds work again instead of the envelope being parked a second time.
 *
 * @example
 * ```ts
 * unwrapRedriven('{"kind":"rebound.parked-event","trigger":"sqs","record":{"body":"{...}"}}'); // "{...}"
 * ```
 */
export function unwrapRedriven(body: string): string {
  // Cheap pre-check: only bodies that mention the marker are parsed twice.
  if (!body.includes(PARKED_EVENT_KIND)) return body;
  try {
    const envelope = JSON.parse(body) as { kind?: unknown; trigger?: unknown; record?: { body?: unknown } };
    if (
      envelope.kind === PARKED_EVENT_KIND &&
      envelope.trigger === "sqs" &&
      typeof envelope.record?.body === "string"
    ) {
      return envelope.record.body;
    }
  } catch {
    // Not JSON: the parser downstream reports it properly.
  }
  return body;
}
