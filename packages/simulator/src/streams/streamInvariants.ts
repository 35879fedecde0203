import type { Outcomes } from "../engine/Outcomes.js";
import type { StreamRecordEntry } from "./StreamShard.js";

/**
 * Checks a finished stream run from the outside, using only the outcome book and the records the
 * stream received: every record reached exactly one final disposition; every batch holds records of
 * one shard in strictly increasing sequence; per shard and key, no record is delivered before every
 * earlier record of its key is settled (unless that record rides in the same batch, ahead of it); and
 * no record is delivered after it was settled. Returns the violations (empty when the run is sound).
 *
 * @example
 * ```ts
 * import { checkStreamInvariants } from "@rebound/simulator";
 * const received: StreamRecordEntry[] = [];
 * stream.subscribe((entry) => received.push(entry));
 * // ... run ...
 * expect(checkStreamInvariants(outcomes, mapping.source, received)).toEqual([]);
 * ```
 */
export function checkStreamInvariants(
  outcomes: Outcomes,
  source: string,
  received: Iterable<StreamRecordEntry>,
): string[] {
  const violations: string[] = [];
  const bySeq = new Map<string, StreamRecordEntry>();
  for (const entry of received) bySeq.set(entry.sequenceNumber, entry);
  if (outcomes.counts().settledTwice > 0) {
    violations.push(`${outcomes.counts().settledTwice} event(s) were settled twice`);
  }
  const events = outcomes.all().filter((event) => event.source === source);
  if (events.length !== bySeq.size) {
    violations.push(`${bySeq.size} records reached the stream but ${events.length} reached the mapping`);
  }
  const settledAt = new Map<string, number>();
  for (const event of events) {
    if (event.disposition === undefined || event.settledAtMs === undefined) {
      violations.push(`record ${event.key} has no final disposition`);
      continue;
    }
    settledAt.set(event.key, event.settledAtMs);
  }
  const byKey = new Map<string, StreamRecordEntry[]>();
  for (const entry of bySeq.values()) {
    const group = `${entry.shardId}\u0000${entry.orderKey}`;
    const list = byKey.get(group) ?? [];
    list.push(entry);
    byKey.set(group, list);
  }
  for (const list of byKey.values()) list.sort((a, b) => a.position - b.position);
  for (const event of events) {
    const entry = bySeq.get(event.key);
    if (entry === undefined) {
      violations.push(`record ${event.key} was delivered but never appended to the stream`);
      continue;
    }
    const settled = settledAt.get(event.key);
    const sameKey = byKey.get(`${entry.shardId}\u0000${entry.orderKey}`)!;
    const earlier = sameKey.slice(0, sameKey.indexOf(entry));
    for (const attempt of event.attempts) {
      const batch = attempt.batch ?? [event.key];
      const positions = batch.map((seq) => bySeq.get(seq));
      positions.forEach((other, index) => {
        if (other === undefined || other.shardId !== entry.shardId) {
          violations.push(`batch ${attempt.requestId} mixes shards or unknown records`);
        } else if (index > 0 && other.position <= positions[index - 1]!.position) {
          violations.push(`batch ${attempt.requestId} is not in sequence order`);
        }
      });
      if (settled !== undefined && attempt.startMs > settled) {
        violations.push(
          `record ${event.key} delivered at ${attempt.startMs} after it was settled at ${settled}`,
        );
      }
      const ahead = new Set(batch.slice(0, batch.indexOf(event.key)));
      for (const previous of earlier) {
        if (ahead.has(previous.sequenceNumber)) continue;
        const previousSettled = settledAt.get(previous.sequenceNumber);
        if (previousSettled === undefined || previousSettled > attempt.startMs) {
          violations.push(
            `record ${event.key} (key ${entry.orderKey}) delivered at ${attempt.startMs} before earlier record ` +
              `${previous.sequenceNumber} of the same key was settled`,
          );
        }
      }
    }
  }
  return [...new Set(violations)];
}
