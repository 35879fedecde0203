import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  PermanentError,
  RetryableError,
  type StreamRecord,
  sqsBatchHandler,
  streamBatchHandler,
} from "../src/index.js";
import { readSqsResponse, readStreamResponse } from "./helpers/awsContract.js";
import {
  kinesisEvent,
  kinesisRecord,
  lambdaContext,
  memoryParker,
  recordingLogger,
  sequenceNumber,
  sqsEvent,
  sqsRecord,
} from "./helpers/events.js";

type Outcome = "ok" | "retryable" | "permanent";
const outcome = fc.constantFrom<Outcome>("ok", "ok", "ok", "retryable", "permanent");
const context = lambdaContext("req-prop");

function errorFor(kind: Outcome): Error | undefined {
  if (kind === "retryable") return new RetryableError("transient");
  if (kind === "permanent") return new PermanentError("bad input");
  return undefined;
}

describe("properties (fast-check)", () => {
  it("SQS: batchItemFailures holds only ids from the batch, each once, exactly the records that must come back", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(outcome, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 8 }),
        async (outcomes, parkingWorks, concurrency) => {
          const event = sqsEvent(outcomes.map((_, i) => sqsRecord(String(i), { messageId: `id-${i}` })));
          const parking = memoryParker(parkingWorks ? undefined : new Error("down"));
          const wrapped = sqsBatchHandler(
            async (record) => {
              const error = errorFor(outcomes[Number(record.body)]!);
              if (error) throw error;
            },
            { parking, concurrency, logger: recordingLogger(), throwOnFullBatchFailure: false },
          );
          const response = await wrapped(event, context);
          const ids = event.Records.map((r) => r.messageId);
          const reported = response.batchItemFailures.map((f) => f.itemIdentifier);
          expect(reported.every((id) => ids.includes(id))).toBe(true);
          expect(new Set(reported).size).toBe(reported.length);
          const mustComeBack = ids.filter(
            (_, i) => outcomes[i] === "retryable" || (outcomes[i] === "permanent" && !parkingWorks),
          );
          expect(reported).toEqual(mustComeBack);
          expect(parking.parked.length).toBe(
            parkingWorks ? outcomes.filter((o) => o === "permanent").length : 0,
          );
          expect(readSqsResponse({ returned: response }, ids).kind).not.toBe("whole-batch-failure");
        },
      ),
    );
  });

  it("SQS FIFO: the reported set is closed under 'later in the same group', and untouched groups are never reported", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ group: fc.constantFrom("A", "B", "C"), kind: outcome }), {
          minLength: 1,
          maxLength: 10,
        }),
        fc.integer({ min: 1, max: 3 }),
        async (messages, concurrency) => {
          const event = sqsEvent(
            messages.map((m, i) => sqsRecord(String(i), { messageId: `id-${i}`, groupId: m.group })),
          );
          const wrapped = sqsBatchHandler(
            async (record) => {
              const error = errorFor(messages[Number(record.body)]!.kind);
              if (error) throw error;
            },
            {
              parking: memoryParker(),
              concurrency,
              logger: recordingLogger(),
              throwOnFullBatchFailure: false,
            },
          );
          const response = await wrapped(event, context);
          const reported = new Set(response.batchItemFailures.map((f) => Number(f.itemIdentifier.slice(3))));
          messages.forEach((message, i) => {
            const firstFailure = messages.findIndex(
              (m) => m.group === message.group && m.kind === "retryable",
            );
            expect(reported.has(i)).toBe(firstFailure !== -1 && i >= firstFailure);
            if (reported.has(i)) {
              for (let j = i + 1; j < messages.length; j++) {
                if (messages[j]!.group === message.group) expect(reported.has(j)).toBe(true);
              }
            }
          });
        },
      ),
    );
  });

  it("streams: nothing before the checkpoint is reported, and everything before it was processed or parked", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.constantFrom("k1", "k2", "k3"), kind: outcome }), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.constantFrom("stop-at-first-failure" as const, "per-partition-key" as const),
        async (records, mode) => {
          const seqs = records.map((_, i) => sequenceNumber(i));
          const event = kinesisEvent(records.map((r, i) => kinesisRecord(seqs[i]!, r.key)));
          const processed = new Set<string>();
          const parking = memoryParker();
          const wrapped = streamBatchHandler(
            async (record: StreamRecord) => {
              const seq = "kinesis" in record ? record.kinesis.sequenceNumber : "";
              processed.add(seq);
              const error = errorFor(records[seqs.indexOf(seq)]!.kind);
              if (error) throw error;
            },
            { parking, mode, logger: recordingLogger() },
          );
          const response = await wrapped(event, context);
          const reported = response.batchItemFailures.map((f) => seqs.indexOf(f.itemIdentifier));
          expect(reported.every((index) => index >= 0)).toBe(true);
          const outcomeRead = readStreamResponse({ returned: response }, seqs);
          const firstRetryable = records.findIndex((r) => r.kind === "retryable");
          if (firstRetryable === -1) {
            expect(outcomeRead).toEqual({ kind: "success" });
            expect(processed.size).toBe(records.length);
            return;
          }
          const checkpoint = Math.min(...reported);
          expect(checkpoint).toBe(firstRetryable);
          for (let i = 0; i < checkpoint; i++) expect(processed.has(seqs[i]!)).toBe(true);
          expect(parking.parked.map((p) => p.sequenceNumber)).toEqual(
            seqs.filter((_, i) => records[i]!.kind === "permanent" && processed.has(seqs[i]!)),
          );
          if (mode === "stop-at-first-failure") {
            expect(reported).toEqual([firstRetryable]);
            expect(processed.size).toBe(firstRetryable + 1);
          } else {
            const failedKey = records[firstRetryable]!.key;
            for (let i = firstRetryable + 1; i < records.length; i++) {
              if (records[i]!.key === failedKey) expect(reported).toContain(i);
            }
          }
        },
      ),
    );
  });
});
