import {
  Classification,
  ConflictError,
  classify,
  NotFoundError,
  PermanentError,
  RetryableError,
  ValidationError,
} from "@rebound/errors";
import { describe, expect, it } from "vitest";
import {
  IdempotencyConfigError,
  IdempotencyError,
  IdempotencyInProgressError,
  IdempotencyKeyError,
  IdempotencyPayloadMismatchError,
  type IdempotencyRecord,
  IdempotencyResultUnavailableError,
  IdempotencyStoreError,
  InMemoryStore,
  Limits,
  makeIdempotent,
  RecordStatus,
} from "../src/index.js";
import { deferred, lambdaContext, manualClock, recordingLogger, settle } from "./helpers/fixtures.js";

interface Order {
  readonly orderId?: string;
  readonly amountCents: number;
  readonly receivedAt?: string;
}

function setup(options: { cache?: { maxEntries: number } } = {}) {
  const clock = manualClock();
  const store = new InMemoryStore({ clock, ...(options.cache ? { cache: options.cache } : {}) });
  const logger = recordingLogger();
  const runs: Order[] = [];
  return { clock, store, logger, runs };
}

describe("makeIdempotent with the in-memory store", () => {
  it("runs the body once per key and replays the stored result to later calls", async () => {
    const { store, logger, runs } = setup();
    const charge = makeIdempotent(
      async (order: Order) => {
        runs.push(order);
        return { chargeId: `ch-${runs.length}`, at: new Date(0) };
      },
      { store, logger, keyFrom: (order) => order.orderId },
    );
    const first = await charge({ orderId: "o-1", amountCents: 100 });
    const second = await charge({ orderId: "o-1", amountCents: 100 });
    expect(runs).toHaveLength(1);
    expect(first).toEqual({ chargeId: "ch-1", at: new Date(0) });
    // Replays are the JSON of the result: a Date comes back as its ISO string.
    expect(second).toEqual({ chargeId: "ch-1", at: "1970-01-01T00:00:00.000Z" });
  });

  it("runs the body again for another key, and for the same key in another namespace", async () => {
    const { store, runs } = setup();
    const body = async (order: Order) => {
      runs.push(order);
      return runs.length;
    };
    const charge = makeIdempotent(body, { store, keyFrom: (o) => o.orderId, namespace: "charge" });
    const refund = makeIdempotent(body, { store, keyFrom: (o) => o.orderId, namespace: "refund" });
    await charge({ orderId: "o-1", amountCents: 1 });
    await charge({ orderId: "o-2", amountCents: 1 });
    await refund({ orderId: "o-1", amountCents: 1 });
    expect(runs).toHaveLength(3);
    expect(store.records().map((r) => r.id)).toEqual(["charge#o-1", "charge#o-2", "refund#o-1"]);
  });

  it("passes every argument through to the wrapped function", async () => {
    const { store } = setup();
    const wrapped = makeIdempotent(
      async (order: Order, context: { awsRequestId: string }, extra: number) => {
        return `${order.orderId}/${context.awsRequestId}/${extra}`;
      },
      { store, keyFrom: (order) => order.orderId },
    );
    expect(await wrapped({ orderId: "o-1", amountCents: 1 }, { awsRequestId: "r-9" }, 7)).toBe("o-1/r-9/7");
  });

  it("replays an undefined result as undefined", async () => {
    const { store, runs } = setup();
    const wrapped = makeIdempotent(
      async (order: Order) => {
        runs.push(order);
      },
      { store, keyFrom: (o) => o.orderId },
    );
    await wrapped({ orderId: "o-1", amountCents: 1 });
    await expect(wrapped({ orderId: "o-1", amountCents: 1 })).resolves.toBeUndefined();
    expect(runs).toHaveLength(1);
  });

  describe("in-progress lock", () => {
    it("gives a duplicate that arrives during the first call a retryable 409 naming the lock's expiry", async () => {
      const { store, clock } = setup();
      const gate = deferred();
      const wrapped = makeIdempotent(async (_order: Order) => gate.promise, {
        store,
        keyFrom: (o) => o.orderId,
        inProgressExpiresAfterMs: 10_000,
      });
      const first = wrapped({ orderId: "o-1", amountCents: 1 });
      await settle();
      clock.advance(2_500);
      const duplicate = await wrapped({ orderId: "o-1", amountCents: 1 }).catch((error: unknown) => error);
      expect(duplicate).toBeInstanceOf(IdempotencyInProgressError);
      expect(duplicate).toBeInstanceOf(RetryableError);
      expect(duplicate).toBeInstanceOf(IdempotencyError);
      expect(classify(duplicate)).toBe(Classification.Retryable);
      expect(duplicate).toMatchObject({
        httpStatus: 409,
        code: "IDEMPOTENCY_IN_PROGRESS",
        key: "o-1",
        retryAfterSeconds: 8,
      });
      gate.resolve();
      await first;
    });

    it.each([
      {
        name: "the Lambda context's remaining time",
        context: lambdaContext(5_000),
        option: undefined,
        lockMs: 5_000,
      },
      { name: "60 s without a Lambda context", context: undefined, option: undefined, lockMs: 60_000 },
      { name: "a fixed number of ms", context: lambdaContext(5_000), option: 1_234, lockMs: 1_234 },
      {
        name: "a function of the context",
        context: lambdaContext(5_000),
        option: (context: { getRemainingTimeInMillis(): number } | undefined) =>
          (context?.getRemainingTimeInMillis() ?? 0) - 1_000,
        lockMs: 4_000,
      },
    ])(
      "keeps a crashed call's key locked for $name, then lets it run once",
      async ({ context, option, lockMs }) => {
        const { store, clock, runs } = setup();
        let crash = true;
        const wrapped = makeIdempotent(
          async (order: Order, _context?: { getRemainingTimeInMillis(): number }) => {
            runs.push(order);
            // A crash: the call never finishes, so the lock is never completed nor released.
            if (crash) await new Promise(() => {});
            return "done";
          },
          {
            store,
            keyFrom: (o) => o.orderId,
            ...(option === undefined ? {} : { inProgressExpiresAfterMs: option }),
          },
        );
        void wrapped({ orderId: "o-1", amountCents: 1 }, context);
        await settle();
        crash = false;
        clock.advance(lockMs - 1);
        await expect(wrapped({ orderId: "o-1", amountCents: 1 }, context)).rejects.toBeInstanceOf(
          IdempotencyInProgressError,
        );
        expect(runs).toHaveLength(1);
        clock.advance(1);
        await expect(wrapped({ orderId: "o-1", amountCents: 1 }, context)).resolves.toBe("done");
        await expect(wrapped({ orderId: "o-1", amountCents: 1 }, context)).resolves.toBe("done");
        expect(runs).toHaveLength(2);
      },
    );

    it("rejects a lock function that returns no positive number, naming the option", async () => {
      const { store } = setup();
      const wrapped = makeIdempotent(async (_order: Order) => 1, {
        store,
        keyFrom: (o) => o.orderId,
        inProgressExpiresAfterMs: () => Number.NaN,
      });
      await expect(wrapped({ orderId: "o-1", amountCents: 1 })).rejects.toThrow(
        /"inProgressExpiresAfterMs" returned NaN/,
      );
    });
  });

  describe("failures", () => {
    it("releases the lock by default, so the next delivery runs the body again", async () => {
      const { store, runs } = setup();
      const wrapped = makeIdempotent(
        async (order: Order) => {
          runs.push(order);
          if (runs.length === 1) throw new PermanentError("card declined");
          return "charged";
        },
        { store, keyFrom: (o) => o.orderId },
      );
      await expect(wrapped({ orderId: "o-1", amountCents: 1 })).rejects.toThrow("card declined");
      expect(store.records()).toEqual([]);
      await expect(wrapped({ orderId: "o-1", amountCents: 1 })).resolves.toBe("charged");
      expect(runs).toHaveLength(2);
    });

    class OrderNotFoundError extends NotFoundError {
      public constructor(id: string) {
        super(`order ${id} not found`, { code: "ORDER_NOT_FOUND" });
        this.name = "OrderNotFoundError";
      }
    }

    it.each([
      {
        error: new PermanentError("card declined", { code: "CARD_DECLINED", httpStatus: 402 }),
        kind: PermanentError,
      },
      {
        error: new ValidationError("bad order", { issues: ["amountCents: expected > 0"] }),
        kind: ValidationError,
      },
      { error: new ConflictError("already shipped"), kind: ConflictError },
      { error: new OrderNotFoundError("o-1"), kind: NotFoundError },
    ])(
      "remembers a permanent $error.name and throws it again without running the body",
      async ({ error, kind }) => {
        const { store, runs } = setup();
        const wrapped = makeIdempotent(
          async (order: Order) => {
            runs.push(order);
            throw error;
          },
          { store, keyFrom: (o) => o.orderId, onFailure: "remember-permanent" },
        );
        await expect(wrapped({ orderId: "o-1", amountCents: 1 })).rejects.toBe(error);
        const again = await wrapped({ orderId: "o-1", amountCents: 1 }).catch((e: unknown) => e);
        expect(runs).toHaveLength(1);
        expect(again).toBeInstanceOf(kind);
        expect(again).toMatchObject({
          name: error.name,
          message: error.message,
          code: error.code,
          httpStatus: error.httpStatus,
        });
        if (error instanceof ValidationError) expect(again).toMatchObject({ issues: error.issues });
        expect(store.records()[0]).toMatchObject({ status: RecordStatus.Failed });
      },
    );

    it("releases retryable and unknown failures even when remembering permanent ones", async () => {
      const { store, runs } = setup();
      const errors = [new RetryableError("provider 503"), new Error("socket hang up")];
      const wrapped = makeIdempotent(
        async (order: Order) => {
          runs.push(order);
          const error = errors[runs.length - 1];
          if (error) throw error;
          return "charged";
        },
        { store, keyFrom: (o) => o.orderId, onFailure: "remember-permanent" },
      );
      await expect(wrapped({ orderId: "o-1", amountCents: 1 })).rejects.toThrow("provider 503");
      await expect(wrapped({ orderId: "o-1", amountCents: 1 })).rejects.toThrow("socket hang up");
      await expect(wrapped({ orderId: "o-1", amountCents: 1 })).resolves.toBe("charged");
      expect(runs).toHaveLength(3);
    });

    it("returns the result and logs when the outcome cannot be stored, leaving the lock to expire", async () => {
      const clock = manualClock();
      const logger = recordingLogger();
      class FlakyStore extends InMemoryStore {
        protected override async settleRecord(): Promise<boolean> {
          throw new Error("store unreachable");
        }
      }
      const store = new FlakyStore({ clock });
      const runs: Order[] = [];
      const wrapped = makeIdempotent(
        async (order: Order) => {
          runs.push(order);
          return "charged";
        },
        { store, logger, keyFrom: (o) => o.orderId, inProgressExpiresAfterMs: 1_000 },
      );
      await expect(wrapped({ orderId: "o-1", amountCents: 1 })).resolves.toBe("charged");
      expect(logger.lines).toEqual([
        { level: "error", message: expect.stringMatching(/could not store the outcome/) },
      ]);
      expect(store.records()[0]).toMatchObject({ status: RecordStatus.InProgress });
      await expect(wrapped({ orderId: "o-1", amountCents: 1 })).rejects.toBeInstanceOf(
        IdempotencyInProgressError,
      );
      expect(runs).toHaveLength(1);
    });

    it("never completes or releases a lock that expired and was taken over by another call", async () => {
      const { store, clock, logger, runs } = setup();
      const gates = [deferred<string>(), deferred<string>()];
      const wrapped = makeIdempotent(
        async (order: Order) => {
          runs.push(order);
          return gates[runs.length - 1]!.promise;
        },
        { store, logger, keyFrom: (o) => o.orderId, inProgressExpiresAfterMs: 1_000 },
      );
      const slow = wrapped({ orderId: "o-1", amountCents: 1 });
      await settle();
      clock.advance(1_000);
      const takeover = wrapped({ orderId: "o-1", amountCents: 1 });
      await settle();
      const lockOfTakeover = store.records()[0]!.lockId;
      gates[0]!.resolve("slow result");
      await expect(slow).resolves.toBe("slow result");
      expect(store.records()[0]).toMatchObject({ status: RecordStatus.InProgress, lockId: lockOfTakeover });
      expect(logger.lines.map((l) => l.message)).toEqual([
        expect.stringMatching(/another call took the key over/),
      ]);
      gates[1]!.resolve("takeover result");
      await expect(takeover).resolves.toBe("takeover result");
      expect(store.records()[0]).toMatchObject({
        status: RecordStatus.Completed,
        result: '"takeover result"',
      });
    });
  });

  describe("payload validation", () => {
    it("rejects the same key with another payload as a permanent conflict naming the key", async () => {
      const { store } = setup();
      const wrapped = makeIdempotent(async (_order: Order) => "ok", {
        store,
        keyFrom: (o) => o.orderId,
        namespace: "charge",
      });
      await wrapped({ orderId: "o-1", amountCents: 100 });
      const error = await wrapped({ orderId: "o-1", amountCents: 999 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdempotencyPayloadMismatchError);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toBeInstanceOf(IdempotencyError);
      expect(classify(error)).toBe(Classification.Permanent);
      expect(error).toMatchObject({ key: "charge#o-1", code: "IDEMPOTENCY_PAYLOAD_MISMATCH" });
      expect((error as Error).message).toContain('"charge#o-1"');
    });

    it("rejects a mismatched payload while the first call is still in progress", async () => {
      const { store } = setup();
      const gate = deferred();
      const wrapped = makeIdempotent(async (_order: Order) => gate.promise, {
        store,
        keyFrom: (o) => o.orderId,
      });
      const first = wrapped({ orderId: "o-1", amountCents: 100 });
      await settle();
      await expect(wrapped({ orderId: "o-1", amountCents: 5 })).rejects.toBeInstanceOf(
        IdempotencyPayloadMismatchError,
      );
      gate.resolve();
      await first;
    });

    it("hashes only what payloadFrom returns, so per-delivery noise is not a mismatch", async () => {
      const { store, runs } = setup();
      const wrapped = makeIdempotent(
        async (order: Order) => {
          runs.push(order);
          return "ok";
        },
        {
          store,
          keyFrom: (o) => o.orderId,
          payloadFrom: ({ orderId, amountCents }) => ({ orderId, amountCents }),
        },
      );
      await wrapped({ orderId: "o-1", amountCents: 100, receivedAt: "t1" });
      await expect(wrapped({ orderId: "o-1", amountCents: 100, receivedAt: "t2" })).resolves.toBe("ok");
      expect(runs).toHaveLength(1);
    });
  });

  describe("expiry", () => {
    it("keeps a completed record for expiresAfterSeconds, then runs the body again", async () => {
      const { store, clock, runs } = setup();
      const wrapped = makeIdempotent(
        async (order: Order) => {
          runs.push(order);
          return runs.length;
        },
        { store, keyFrom: (o) => o.orderId, expiresAfterSeconds: 60 },
      );
      await wrapped({ orderId: "o-1", amountCents: 1 });
      clock.advance(59_999);
      await expect(wrapped({ orderId: "o-1", amountCents: 1 })).resolves.toBe(1);
      clock.advance(1);
      await expect(wrapped({ orderId: "o-1", amountCents: 1 })).resolves.toBe(2);
      expect(runs).toHaveLength(2);
    });

    it("defaults to one hour", async () => {
      const { store, clock, runs } = setup();
      const wrapped = makeIdempotent(
        async (order: Order) => {
          runs.push(order);
        },
        { store, keyFrom: (o) => o.orderId },
      );
      await wrapped({ orderId: "o-1", amountCents: 1 });
      clock.advance(3_599_999);
      await wrapped({ orderId: "o-1", amountCents: 1 });
      expect(runs).toHaveLength(1);
      clock.advance(1);
      await wrapped({ orderId: "o-1", amountCents: 1 });
      expect(runs).toHaveLength(2);
    });

    it("stores the expiry in epoch seconds and the lock in epoch milliseconds", async () => {
      const { store, clock } = setup();
      const gate = deferred();
      const wrapped = makeIdempotent(async (_order: Order) => gate.promise, {
        store,
        keyFrom: (o) => o.orderId,
        expiresAfterSeconds: 60,
        inProgressExpiresAfterMs: 1_500,
      });
      clock.set(1_767_225_600_250);
      const call = wrapped({ orderId: "o-1", amountCents: 1 });
      await settle();
      expect(store.records()[0]).toMatchObject({
        expiration: 1_767_225_661,
        inProgressExpiration: 1_767_225_601_750,
      });
      gate.resolve();
      await call;
      const completed = store.records()[0] as IdempotencyRecord;
      expect(completed).toMatchObject({ status: RecordStatus.Completed, expiration: 1_767_225_661 });
      expect(completed.inProgressExpiration).toBeUndefined();
      expect(completed.lockId).toBeUndefined();
    });
  });

  describe("local cache", () => {
    class CountingStore extends InMemoryStore {
      public operations = 0;
      protected override async putRecord(...args: Parameters<InMemoryStore["putRecord"]>) {
        this.operations++;
        return super.putRecord(...args);
      }
      protected override async getRecord(id: string) {
        this.operations++;
        return super.getRecord(id);
      }
    }

    it("answers a repeated key without touching the store, and still checks the payload and expiry", async () => {
      const clock = manualClock();
      const store = new CountingStore({ clock, cache: { maxEntries: 10 } });
      const wrapped = makeIdempotent(async (_order: Order) => "ok", {
        store,
        keyFrom: (o) => o.orderId,
        expiresAfterSeconds: 60,
      });
      await wrapped({ orderId: "o-1", amountCents: 1 });
      store.operations = 0;
      await expect(wrapped({ orderId: "o-1", amountCents: 1 })).resolves.toBe("ok");
      expect(store.operations).toBe(0);
      await expect(wrapped({ orderId: "o-1", amountCents: 2 })).rejects.toBeInstanceOf(
        IdempotencyPayloadMismatchError,
      );
      expect(store.operations).toBe(0);
      clock.advance(60_000);
      await wrapped({ orderId: "o-1", amountCents: 1 });
      expect(store.operations).toBe(1);
    });

    it("keeps at most maxEntries records, dropping the least recently used", async () => {
      const store = new CountingStore({ cache: { maxEntries: 2 } });
      const wrapped = makeIdempotent(async (_order: Order) => "ok", { store, keyFrom: (o) => o.orderId });
      for (const orderId of ["a", "b", "a", "c"]) await wrapped({ orderId, amountCents: 1 });
      store.operations = 0;
      await wrapped({ orderId: "a", amountCents: 1 });
      await wrapped({ orderId: "c", amountCents: 1 });
      expect(store.operations).toBe(0);
      await wrapped({ orderId: "b", amountCents: 1 });
      expect(store.operations).toBe(1);
    });
  });

  describe("a store of your own", () => {
    // A store that breaks its contract (errors other than IdempotencyStoreError) at one operation;
    // its put rejects every write, so a call needs the get too.
    class BrokenStore extends InMemoryStore {
      public constructor(private readonly failing: "put" | "get") {
        super();
      }
      protected override async putRecord(): Promise<"rejected"> {
        if (this.failing === "put") throw new Error("ECONNRESET");
        return "rejected";
      }
      protected override async getRecord(): Promise<undefined> {
        throw new Error("ECONNRESET");
      }
    }

    it.each(["put", "get"] as const)(
      "turns a raw error of its %s into a retryable IdempotencyStoreError and never runs the body",
      async (failing) => {
        const runs: Order[] = [];
        const wrapped = makeIdempotent(async (order: Order) => runs.push(order), {
          store: new BrokenStore(failing),
          keyFrom: (o) => o.orderId,
        });
        const error = await wrapped({ orderId: "o-1", amountCents: 1 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(IdempotencyStoreError);
        expect(error).toMatchObject({ key: "o-1", operation: failing, cause: { message: "ECONNRESET" } });
        expect(classify(error)).toBe(Classification.Retryable);
        expect(runs).toHaveLength(0);
      },
    );
  });

  describe("a record that changes hands between the put and the read", () => {
    // The first `rejections` puts are rejected as if a live record existed, but the read that
    // follows finds none: it was released (or expired) in between.
    class ReleasedInBetween extends InMemoryStore {
      public puts = 0;
      public constructor(private readonly rejections: number) {
        super();
      }
      protected override async putRecord(...args: Parameters<InMemoryStore["putRecord"]>) {
        this.puts++;
        return this.puts <= this.rejections ? "rejected" : super.putRecord(...args);
      }
    }

    it("puts again and runs the body once when the key is free by then", async () => {
      const store = new ReleasedInBetween(2);
      const runs: Order[] = [];
      const wrapped = makeIdempotent(async (order: Order) => runs.push(order), {
        store,
        keyFrom: (o) => o.orderId,
      });
      await expect(wrapped({ orderId: "o-1", amountCents: 1 })).resolves.toBe(1);
      expect(store.puts).toBe(3);
      expect(runs).toHaveLength(1);
    });

    it("gives up with a retryable in-progress error after 3 puts, without running the body", async () => {
      const store = new ReleasedInBetween(Number.POSITIVE_INFINITY);
      const runs: Order[] = [];
      const wrapped = makeIdempotent(async (order: Order) => runs.push(order), {
        store,
        keyFrom: (o) => o.orderId,
      });
      const error = await wrapped({ orderId: "o-1", amountCents: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdempotencyInProgressError);
      expect(error).toMatchObject({ key: "o-1", retryAfterSeconds: 1 });
      expect(store.puts).toBe(Limits.maxPutAttempts);
      expect(runs).toHaveLength(0);
    });
  });

  describe("results that cannot be stored", () => {
    it("stores a hash-only marker for a result over the 400 KB item limit and tells duplicates so", async () => {
      const { store, logger, runs } = setup();
      const big = "x".repeat(410 * 1024);
      const wrapped = makeIdempotent(
        async (order: Order) => {
          runs.push(order);
          return big;
        },
        { store, logger, keyFrom: (o) => o.orderId },
      );
      await expect(wrapped({ orderId: "o-1", amountCents: 1 })).resolves.toBe(big);
      expect(store.records()[0]).toMatchObject({
        status: RecordStatus.Completed,
        resultHash: expect.stringMatching(/^sha256:[0-9a-f]{64} 419842 bytes$/),
      });
      expect(store.records()[0]!.result).toBeUndefined();
      const error = await wrapped({ orderId: "o-1", amountCents: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdempotencyResultUnavailableError);
      expect(classify(error)).toBe(Classification.Permanent);
      expect(runs).toHaveLength(1);
      expect(logger.lines.map((l) => l.level)).toEqual(["warn"]);
    });

    it("stores a result just under the limit as it is", async () => {
      const { store } = setup();
      const fits = "y".repeat(400 * 1024 - 256 - 3 * "o-1".length - 2);
      const wrapped = makeIdempotent(async (_order: Order) => fits, { store, keyFrom: (o) => o.orderId });
      await wrapped({ orderId: "o-1", amountCents: 1 });
      await expect(wrapped({ orderId: "o-1", amountCents: 1 })).resolves.toBe(fits);
    });

    it("marks a result that JSON cannot represent, instead of failing after the side effect", async () => {
      const { store, logger } = setup();
      const wrapped = makeIdempotent(async (_order: Order) => ({ total: 10n }), {
        store,
        logger,
        keyFrom: (o) => o.orderId,
      });
      await expect(wrapped({ orderId: "o-1", amountCents: 1 })).resolves.toEqual({ total: 10n });
      await expect(wrapped({ orderId: "o-1", amountCents: 1 })).rejects.toBeInstanceOf(
        IdempotencyResultUnavailableError,
      );
      expect(logger.lines.map((l) => l.level)).toEqual(["warn"]);
    });
  });

  describe("keys", () => {
    it.each([
      { name: "undefined", key: undefined },
      { name: "an empty string", key: "" },
    ])("throws a permanent IdempotencyKeyError when keyFrom returns $name", async ({ key }) => {
      const { store, runs } = setup();
      const wrapped = makeIdempotent(
        async (order: Order) => {
          runs.push(order);
        },
        { store, keyFrom: () => key },
      );
      const error = await wrapped({ amountCents: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdempotencyKeyError);
      expect(error).toBeInstanceOf(ValidationError);
      expect(classify(error)).toBe(Classification.Permanent);
      expect((error as Error).message).toMatch(/onMissingKey: "run-without-idempotency"/);
      expect(runs).toHaveLength(0);
    });

    it("runs unguarded with a warning when configured to, every time", async () => {
      const { store, logger, runs } = setup();
      const wrapped = makeIdempotent(
        async (order: Order) => {
          runs.push(order);
        },
        { store, logger, keyFrom: (o) => o.orderId, onMissingKey: "run-without-idempotency" },
      );
      await wrapped({ amountCents: 1 });
      await wrapped({ amountCents: 1 });
      expect(runs).toHaveLength(2);
      expect(store.records()).toEqual([]);
      expect(logger.lines).toEqual([
        { level: "warn", message: expect.stringMatching(/no key/) },
        { level: "warn", message: expect.stringMatching(/no key/) },
      ]);
    });

    it("wraps an exception from keyFrom in an IdempotencyKeyError that keeps it as cause", async () => {
      const { store } = setup();
      const boom = new TypeError("cannot read orderId");
      const wrapped = makeIdempotent(async (_order: Order) => 1, {
        store,
        keyFrom: () => {
          throw boom;
        },
      });
      await expect(wrapped({ amountCents: 1 })).rejects.toMatchObject({
        name: "IdempotencyKeyError",
        cause: boom,
      });
    });

    it("rejects a key that is not a string, naming what it got", async () => {
      const { store } = setup();
      const wrapped = makeIdempotent(async (_order: Order) => 1, {
        store,
        keyFrom: () => 42 as unknown as string,
      });
      await expect(wrapped({ amountCents: 1 })).rejects.toThrow(/must return a string, returned 42/);
    });

    it("rejects a key longer than DynamoDB's 2048-byte partition key limit", async () => {
      const { store } = setup();
      const wrapped = makeIdempotent(async (_order: Order) => 1, { store, keyFrom: () => "é".repeat(1_100) });
      await expect(wrapped({ amountCents: 1 })).rejects.toThrow(/2200 bytes; DynamoDB allows 2048/);
    });
  });

  describe("options", () => {
    const store = new InMemoryStore();
    const keyFrom = (order: Order) => order.orderId;
    it.each([
      { options: { store, keyFrom, expiresAfterSecond: 60 }, message: /unknown option "expiresAfterSecond"/ },
      { options: { store: {}, keyFrom }, message: /"store" must be a DynamoDBStore or InMemoryStore/ },
      {
        options: { keyFrom },
        message: /"store" must be a DynamoDBStore or InMemoryStore, received undefined/,
      },
      { options: { store }, message: /"keyFrom" must be a function, received undefined/ },
      {
        options: { store, keyFrom, payloadFrom: "amountCents" },
        message: /"payloadFrom" must be a function/,
      },
      { options: { store, keyFrom, namespace: "" }, message: /"namespace" must be a non-empty string/ },
      {
        options: { store, keyFrom, expiresAfterSeconds: 0 },
        message: /"expiresAfterSeconds" must be a positive integer, received 0/,
      },
      {
        options: { store, keyFrom, expiresAfterSeconds: 1.5 },
        message: /"expiresAfterSeconds" must be a positive integer, received 1.5/,
      },
      {
        options: { store, keyFrom, inProgressExpiresAfterMs: -1 },
        message:
          /"inProgressExpiresAfterMs" must be a positive finite number or a function of the context, received -1/,
      },
      {
        options: { store, keyFrom, onFailure: "delete" },
        message: /"onFailure" must be one of "release", "remember-permanent", received "delete"/,
      },
      { options: { store, keyFrom, onMissingKey: "skip" }, message: /"onMissingKey" must be one of/ },
      { options: { store, keyFrom, clock: 5 }, message: /"clock" must be a function, received 5/ },
      { options: { store, keyFrom, random: "seed" }, message: /"random" must be a function/ },
      {
        options: { store, keyFrom, logger: {} },
        message:
          /"logger" must be an object with warn and error methods \(console works\), received an object/,
      },
      { options: null, message: /options must be an object, received null/ },
    ])("rejects $options at construction: $message", ({ options, message }) => {
      expect(() => makeIdempotent(async (_order: Order) => 1, options as never)).toThrow(message);
      expect(() => makeIdempotent(async (_order: Order) => 1, options as never)).toThrow(
        IdempotencyConfigError,
      );
    });

    it("rejects something that is not a function to wrap", () => {
      expect(() => makeIdempotent("charge" as never, { store, keyFrom } as never)).toThrow(
        /expects the async function to wrap first/,
      );
    });

    it.each([
      {
        options: { cache: { maxEntries: 0 } },
        message: /"maxEntries" must be a positive integer, received 0/,
      },
      { options: { cache: {} }, message: /"maxEntries" must be a positive integer, received undefined/ },
      { options: { cache: { max: 5 } }, message: /unknown option "max"/ },
      { options: { clock: "now" }, message: /"clock" must be a function, received "now"/ },
      { options: { ttl: 5 }, message: /InMemoryStore: unknown option "ttl"; allowed: clock, cache/ },
    ])("rejects store options $options", ({ options, message }) => {
      expect(() => new InMemoryStore(options as never)).toThrow(message);
    });
  });
});
