/**
 * How Lambda reads a function's partial batch response (`ReportBatchItemFailures`), for SQS and streams.
 *
 * @example
 * ```ts
 * import { PartialBatchVerdict } from "@rebound/simulator";
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

/** The reading of one response. */
export type PartialBatchResult =
  | { readonly kind: typeof PartialBatchVerdict.Success }
  | { readonly kind: typeof PartialBatchVerdict.Partial; readonly failed: ReadonlySet<string> }
  | { readonly kind: typeof PartialBatchVerdict.Invalid; readonly reason: string };

const SUCCESS: PartialBatchResult = Object.freeze({ kind: PartialBatchVerdict.Success });

/**
 * Applies AWS's rules to a function's response when `ReportBatchItemFailures` is on
 * (aws-semantics §3.3 and §4.4):
 * - complete success: `null`/`undefined` response, `{}`, `batchItemFailures` null or `[]`;
 * - complete failure (whole batch retried): `batchItemFailures` not a list, an item that is not an
 *   object, an `itemIdentifier` missing (wrong key name), null, empty, not a string, or not the id of a
 *   record of this batch;
 * - otherwise the listed items failed (duplicates count once).
 * A response that is not an object (a string, a number, `true`) cannot be read as a partial batch
 * response; AWS documents "invalid JSON response" as a complete failure and Rebound treats any
 * non-object the same way (documented choice: AWS does not list these cases one by one).
 * Keys other than `batchItemFailures` are ignored.
 *
 * @example
 * ```ts
 * import { readPartialBatchResponse } from "@rebound/simulator";
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
