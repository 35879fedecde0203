/**
 * How Lambda reads a function's partial batch response (`ReportBatchItemFailures`), for SQS and streams.
 *
 * @example
 * ```ts
 * import { PartialBatchVerdict, readPartialBatchResponse } from "@rebound/errors";
 * const verdict = readPartialBatchResponse({ batchItemFailures: [{ itemIdentifier: "m1" }] }, (id) => id === "m1");
 * if (verdict.kind === PartialBatchVerdict.Partial) console.log(verdict.failed);
 * ```
 */
export const PartialBatchVerdict = {
  /** Every item succeeded. */
  Success: "success",
  /** The listed items failed; the others succeeded. */
  Partial: "partial",
  /** AWS rejects the response: the whole batch counts as failed. */
  Invalid: "invalid",
} as const;

/**
 * The reading of one response.
 *
 * @example
 * ```ts
 * import type { PartialBatchResult } from "@rebound/errors";
 * const verdict: PartialBatchResult = { kind: "success" };
 * ```
 */
export type PartialBatchResult =
  | { readonly kind: typeof PartialBatchVerdict.Success }
  | { readonly kind: typeof PartialBatchVerdict.Partial; readonly failed: ReadonlySet<string> }
  | { readonly kind: typeof PartialBatchVerdict.Invalid; readonly reason: string };

const SUCCESS: PartialBatchResult = Object.freeze({ kind: PartialBatchVerdict.Success });

/**
 * Reads a function's answer to a batch the way Lambda does when `ReportBatchItemFailures` is on, for
 * SQS and both stream types. The one reading in this workspace: the simulator's models and the
 * wrappers' contract tests both use it. The rules (docs/aws-semantics.md#sqs-partial-batch-responses):
 * - complete success: a `null` or `undefined` response, `{}`, `batchItemFailures` null or `[]`, and an
 *   empty list `[]` as the whole response (AWS reads it as an empty response);
 * - complete failure (the whole batch is retried): `batchItemFailures` not a list, an entry that is not
 *   an object, an `itemIdentifier` missing (wrong key name), null, empty, not a string, or not the id
 *   of a record of this batch;
 * - otherwise the listed items failed (duplicates count once). Keys other than `batchItemFailures`
 *   are ignored.
 * Any other response (a string, a number, `true`, a non-empty list) is not an event response: AWS
 * documents "invalid JSON response" as a complete failure, and Rebound reads all of these that way.
 * That includes a string holding JSON text (`'{"batchItemFailures":[]}'`): the runtime serialises the
 * returned string as a JSON string, never as the object it spells, so return the object itself.
 *
 * @param response the handler's return value (after Lambda's JSON round trip)
 * @param inBatch whether an id is a message id (SQS) or sequence number (streams) of this batch
 * @example
 * ```ts
 * import { readPartialBatchResponse } from "@rebound/errors";
 * const ids = new Set(["m1", "m2"]);
 * readPartialBatchResponse({ batchItemFailures: [{ itemIdentifier: "m2" }] }, (id) => ids.has(id));
 * // { kind: "partial", failed: Set { "m2" } }
 * ```
 */
export function readPartialBatchResponse(
  response: unknown,
  inBatch: (id: string) => boolean,
): PartialBatchResult {
  if (response === null || response === undefined) return SUCCESS;
  if (Array.isArray(response) && response.length === 0) return SUCCESS;
  if (typeof response !== "object" || Array.isArray(response)) {
    return invalid(
      `the response is not a JSON object (got ${Array.isArray(response) ? "an array" : typeof response})`,
    );
  }
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return SUCCESS;
  if (!Array.isArray(failures)) return invalid("batchItemFailures is not a list");
  if (failures.length === 0) return SUCCESS;
  const failed = new Set<string>();
  for (const item of failures) {
    if (item === null || typeof item !== "object")
      return invalid("an entry of batchItemFailures is not an object");
    if (!("itemIdentifier" in item))
      return invalid("an entry of batchItemFailures has no itemIdentifier key");
    const id = (item as { itemIdentifier: unknown }).itemIdentifier;
    if (id === null || id === undefined) return invalid("an itemIdentifier is null");
    if (typeof id !== "string") return invalid(`an itemIdentifier is not a string (${typeof id})`);
    if (id === "") return invalid("an itemIdentifier is empty");
    if (!inBatch(id)) return invalid(`itemIdentifier ${JSON.stringify(id)} is not a record of this batch`);
    failed.add(id);
  }
  return { kind: PartialBatchVerdict.Partial, failed };
}

function invalid(reason: string): PartialBatchResult {
  return { kind: PartialBatchVerdict.Invalid, reason };
}
