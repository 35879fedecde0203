import { PermanentError, RetryableError } from "@rebound/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  IdempotencyInProgressError,
  type IdempotencyRecord,
  InMemoryStore,
  makeIdempotent,
  type PutOutcome,
} from "../src/index.js";
import { manualClock, recordingLogger } from "./helpers/fixtures.js";

const lockMs = 1_000;
const expiresAfterSeconds = 3;

type Outcome = "ok" | "permanent" | "retryable" | "crash";
type Action = { type: "call"; key: string; outcome: Outcome } | { type: "advance"; ms: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    type: fc.constant("call" as const),
    key: fc.constantFrom("k1", "k2"),
    outcome: fc.constantFrom<Outcome>("ok", "ok", "permanent", "retryable", "crash"),
  }),
  fc.record({ type: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 2_500 }) }),
);

/** One body execution, with the clock readings that bound what the library promises about it. */
interface Run {
  readonly callId: number;
  readonly key: string;
  /** Clock when the call started: the wrapper computes its lock from this reading. */
  readonly calledAt: number;
  readonly outcome: Outcome;
  /** Clock when the body returned or threw. */
  bodyEndedAt?: number;
  /** Clock when the wrapper's promise settled (after the record was stored or released). */
  settledAt?: number;
}

/**
 * The window in which no other body may start for the run's key. The lock covers
 * [calledAt, calledAt + lockMs). A run that settled before its lock expired cannot have lost its
 * lock, so its COMPLETED (or remembered FAILED) record covers up to bodyEndedAt + expiry at least.
 * A released failure only covers the time the body ran.
 */
function protectedUntil(run: Run, rememberPermanent: boolean): number {
  const lockEnd = run.calledAt + lockMs;
  if (run.settledAt === undefined || run.bodyEndedAt === undefined) return lockEnd;
  const kept = run.outcome === "ok" || (run.outcome === "permanent" && rememberPermanent);
  if (!kept) return Math.min(lockEnd, run.bodyEndedAt);
  if (run.settledAt >= lockEnd) return lockEnd;
  return Math.max(lockEnd, run.bodyEndedAt + expiresAfterSeconds * 1000);
}

describe("random interleavings of calls, crashes and clock jumps", () => {
  it.each([{ onFailure: "release" as const }, { onFailure: "remember-permanent" as const }])(
    "never run the body twice for one key within its protection window (onFailure $onFailure)",
    async ({ onFailure }) => {
      await fc.assert(
        fc.asyncProperty(
          fc.scheduler(),
          fc.array(action, { minLength: 1, maxLength: 25 }),
          async (s, actions) => {
            const clock = manualClock();
            // Every store operation waits for the scheduler, so fast-check picks the order in which
            // operations of concurrent calls land, and where the clock jumps between them.
            class ScheduledStore extends InMemoryStore {
              protected override async putRecord(
                record: IdempotencyRecord,
                nowMs: number,
              ): Promise<PutOutcome | IdempotencyRecord> {
                await s.schedule(Promise.resolve(), "put");
                return super.putRecord(record, nowMs);
              }
              protected override async getRecord(id: string) {
                await s.schedule(Promise.resolve(), "get");
                return super.getRecord(id);
              }
              protected override async settleRecord(record: IdempotencyRecord, lockId: string) {
                await s.schedule(Promise.resolve(), "settle");
                return super.settleRecord(record, lockId);
              }
              protected override async deleteRecord(id: string, lockId: string) {
                await s.schedule(Promise.resolve(), "delete");
                return super.deleteRecord(id, lockId);
              }
            }
            const store = new ScheduledStore({ clock });
            const runs: Run[] = [];
            const violations: string[] = [];
            const unexpected: unknown[] = [];
            const wrapped = makeIdempotent(
              async (input: { callId: number; key: string; outcome: Outcome; calledAt: number }) => {
                const now = clock();
                for (const other of runs) {
                  if (other.key !== input.key) continue;
                  const until = protectedUntil(other, onFailure === "remember-permanent");
                  if (now >= other.calledAt && now < until) {
                    violations.push(
                      `${input.key}: body started at ${now}, protected by a run from ${other.calledAt} until ${until}`,
                    );
                  }
                }
                const run: Run = {
                  callId: input.callId,
                  key: input.key,
                  calledAt: input.calledAt,
                  outcome: input.outcome,
                };
                runs.push(run);
                await s.schedule(Promise.resolve(), "body");
                run.bodyEndedAt = clock();
                if (input.outcome === "crash") await new Promise(() => {});
                if (input.outcome === "permanent") throw new PermanentError("declined");
                if (input.outcome === "retryable") throw new RetryableError("provider 503");
                return `result of ${input.key} from ${input.calledAt}`;
              },
              {
                store,
                keyFrom: (input) => input.key,
                payloadFrom: (input) => input.key,
                inProgressExpiresAfterMs: lockMs,
                expiresAfterSeconds,
                onFailure,
                logger: recordingLogger(),
              },
            );

            let calls = 0;
            for (const step of actions) {
              s.schedule(Promise.resolve(), step.type).then(() => {
                if (step.type === "advance") {
                  clock.advance(step.ms);
                  return;
                }
                const calledAt = clock();
                const callId = ++calls;
                const markSettled = () => {
                  const own = runs.find((run) => run.callId === callId);
                  if (own) own.settledAt = clock();
                };
                wrapped({ callId, key: step.key, outcome: step.outcome, calledAt }).then(
                  (value) => {
                    markSettled();
                    if (!String(value).startsWith(`result of ${step.key}`)) unexpected.push(value);
                  },
                  (error: unknown) => {
                    markSettled();
                    const allowed =
                      error instanceof IdempotencyInProgressError ||
                      (error as Error).message === "declined" ||
                      (error as Error).message === "provider 503";
                    if (!allowed) unexpected.push(error);
                  },
                );
              });
            }
            await s.waitAll();
            expect(violations).toEqual([]);
            expect(unexpected).toEqual([]);
          },
        ),
        { numRuns: 300 },
      );
    },
  );
});
