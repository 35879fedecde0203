// AWS's documented reading of a function's answer to a batch (aws-semantics.md §3.3 for SQS, §4.4 for
// streams), written down once so every test checks the wrapper's output the way Lambda would read it.

export type BatchOutcome =
  | { readonly kind: "success" }
  | { readonly kind: "partial"; readonly retry: readonly string[] }
  | { readonly kind: "whole-batch-failure"; readonly reason: string };

/**
 * SQS: success for an empty/null list, `{}` or null; whole-batch failure for a thrown error, invalid
 * JSON, an empty or null itemIdentifier, a wrong key, or an id that is not in the batch.
 */
export function readSqsResponse(
  answer: { readonly returned: unknown } | { readonly thrown: unknown },
  messageIds: readonly string[],
): BatchOutcome {
  if ("thrown" in answer) return { kind: "whole-batch-failure", reason: "function error" };
  const parsed = parse(answer.returned);
  if (parsed === INVALID) return { kind: "whole-batch-failure", reason: "invalid JSON" };
  const failures = failuresOf(parsed);
  if (failures === undefined) return { kind: "success" };
  if (failures === INVALID) return { kind: "whole-batch-failure", reason: "batchItemFailures is not a list" };
  const ids = new Set(messageIds);
  const retry: string[] = [];
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== "string" || id === "")
      return { kind: "whole-batch-failure", reason: "bad itemIdentifier" };
    if (!ids.has(id)) return { kind: "whole-batch-failure", reason: "itemIdentifier not in the batch" };
    retry.push(id);
  }
  return retry.length === 0 ? { kind: "success" } : { kind: "partial", retry };
}

/**
 * Streams: same success and failure shapes; the checkpoint is the reported record with the lowest
 * sequence number, and every record from it on is retried.
 */
export function readStreamResponse(
  answer: { readonly returned: unknown } | { readonly thrown: unknown },
  sequenceNumbers: readonly string[],
): BatchOutcome {
  if ("thrown" in answer) return { kind: "whole-batch-failure", reason: "function error" };
  const parsed = parse(answer.returned);
  if (parsed === INVALID) return { kind: "whole-batch-failure", reason: "invalid JSON" };
  const failures = failuresOf(parsed);
  if (failures === undefined) return { kind: "success" };
  if (failures === INVALID) return { kind: "whole-batch-failure", reason: "batchItemFailures is not a list" };
  let checkpoint = Number.POSITIVE_INFINITY;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== "string" || id === "")
      return { kind: "whole-batch-failure", reason: "bad itemIdentifier" };
    const index = sequenceNumbers.indexOf(id);
    if (index < 0) return { kind: "whole-batch-failure", reason: "itemIdentifier not in the batch" };
    checkpoint = Math.min(checkpoint, index);
  }
  if (checkpoint === Number.POSITIVE_INFINITY) return { kind: "success" };
  return { kind: "partial", retry: sequenceNumbers.slice(checkpoint) };
}

const INVALID = Symbol("invalid");

// Lambda serialises the handler's return value to JSON; a string answer is read as JSON text.
function parse(returned: unknown): unknown {
  if (typeof returned !== "string") return returned;
  try {
    return JSON.parse(returned);
  } catch {
    return INVALID;
  }
}

function failuresOf(parsed: unknown): unknown[] | undefined | typeof INVALID {
  if (parsed === null || parsed === undefined) return undefined;
  if (typeof parsed !== "object") return INVALID;
  const list = (parsed as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === null || list === undefined) return undefined;
  return Array.isArray(list) ? list : INVALID;
}

/** Calls a wrapped handler and captures what it returned or threw. */
export async function answerOf<T>(run: () => Promise<T>): Promise<{ returned: T } | { thrown: unknown }> {
  try {
    return { returned: await run() };
  } catch (error) {
    return { thrown: error };
  }
}
