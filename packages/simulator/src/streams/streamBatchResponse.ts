import { PartialBatchVerdict, readPartialBatchResponse } from "@rebound/errors";
import type { Batch } from "./streamLanes.js";

/** How a stream mapping reads a function's answer under ReportBatchItemFailures. */
export type BatchResponse =
  | { readonly kind: "success" }
  | { readonly kind: "partial"; readonly checkpoint: number }
  | { readonly kind: "invalid"; readonly why: string };

/**
 * Reads a partial batch response with Lambda's one reading (`readPartialBatchResponse`); for streams
 * the checkpoint is the reported record that comes first in the batch, and every record from it on
 * is retried.
 *
 * @example
 * ```ts
 * parseBatchResponse({ batchItemFailures: [{ itemIdentifier: "49590338271490256608559692538361571095921575989136588802" }] }, batch);
 * ```
 */
export function parseBatchResponse(payload: unknown, batch: Batch): BatchResponse {
  const verdict = readPartialBatchResponse(payload, (id) =>
    batch.items.some((item) => item.entry.sequenceNumber === id),
  );
  if (verdict.kind === PartialBatchVerdict.Success) return verdict;
  if (verdict.kind === PartialBatchVerdict.Invalid) return { kind: "invalid", why: verdict.reason };
  const checkpoint = batch.items.findIndex((item) => verdict.failed.has(item.entry.sequenceNumber));
  return { kind: "partial", checkpoint };
}
