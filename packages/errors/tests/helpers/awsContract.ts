// How Lambda reads a function's answer to a batch (docs/aws-semantics.md#sqs-partial-batch-responses),
// for every test that checks a wrapper's output the way Lambda would read it. The reading itself is
// readPartialBatchResponse, the same one the simulator's models use; this file only adds the thrown
// case and the stream checkpoint.
import { PartialBatchVerdict, readPartialBatchResponse } from "../../src/index.js";

export type BatchOutcome =
  | { readonly kind: "success" }
  | { readonly kind: "partial"; readonly retry: readonly string[] }
  | { readonly kind: "whole-batch-failure"; readonly reason: string };

type Answer = { readonly returned: unknown } | { readonly thrown: unknown };

/** SQS: the listed messages are retried; anything Lambda cannot read fails the whole batch. */
export function readSqsResponse(answer: Answer, messageIds: readonly string[]): BatchOutcome {
  if ("thrown" in answer) return { kind: "whole-batch-failure", reason: "function error" };
  const ids = new Set(messageIds);
  const verdict = readPartialBatchResponse(answer.returned, (id) => ids.has(id));
  if (verdict.kind === PartialBatchVerdict.Success) return { kind: "success" };
  if (verdict.kind === PartialBatchVerdict.Invalid)
    return { kind: "whole-batch-failure", reason: verdict.reason };
  return { kind: "partial", retry: messageIds.filter((id) => verdict.failed.has(id)) };
}

/**
 * Streams: the same reading; the checkpoint is the reported record with the lowest sequence number,
 * and every record from it on is retried.
 */
export function readStreamResponse(answer: Answer, sequenceNumbers: readonly string[]): BatchOutcome {
  if ("thrown" in answer) return { kind: "whole-batch-failure", reason: "function error" };
  const verdict = readPartialBatchResponse(answer.returned, (id) => sequenceNumbers.includes(id));
  if (verdict.kind === PartialBatchVerdict.Success) return { kind: "success" };
  if (verdict.kind === PartialBatchVerdict.Invalid)
    return { kind: "whole-batch-failure", reason: verdict.reason };
  const checkpoint = sequenceNumbers.findIndex((id) => verdict.failed.has(id));
  return { kind: "partial", retry: sequenceNumbers.slice(checkpoint) };
}

/** Calls a wrapped handler and captures what it returned or threw. */
export async function answerOf<T>(run: () => Promise<T>): Promise<{ returned: T } | { thrown: unknown }> {
  try {
    return { returned: await run() };
  } catch (error) {
    return { thrown: error };
  }
}
