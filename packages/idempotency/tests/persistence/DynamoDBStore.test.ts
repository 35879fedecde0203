import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DynamoDBClient,
  GetItemCommand,
  type GetItemCommandOutput,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { Classification, classify, PermanentError } from "@rebound/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  IdempotencyConfigError,
  IdempotencyInProgressError,
  IdempotencyPayloadMismatchError,
  IdempotencyResultUnavailableError,
  IdempotencyStoreError,
  makeIdempotent,
} from "../../src/index.js";
import { DynamoDBStore } from "../../src/persistence/DynamoDBStore.js";
import { countRequests, type LocalDynamo, startDynalite } from "../helpers/dynalite.js";
import { deferred, manualClock, recordingLogger } from "../helpers/fixtures.js";

interface Payment {
  readonly orderId: string;
  readonly amountCents: number;
}

let dynamo: LocalDynamo;
let tableCount = 0;

async function newTable(keyAttribute?: string): Promise<string> {
  const name = `idempotency-${++tableCount}`;
  await dynamo.createTable(name, keyAttribute);
  return name;
}

async function rawItem(tableName: string, id: string, client = dynamo.client, keyAttribute = "id") {
  const output: GetItemCommandOutput = await client.send(
    new GetItemCommand({ TableName: tableName, Key: { [keyAttribute]: { S: id } }, ConsistentRead: true }),
  );
  return output.Item;
}

beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.stop();
});

describe("DynamoDBStore against dynalite", () => {
  it("runs the body exactly once for 50 concurrent calls with one key; the others get the result or in progress", async () => {
    const store = new DynamoDBStore({ tableName: await newTable(), client: dynamo.client });
    let runs = 0;
    const charge = makeIdempotent(
      async (payment: Payment) => {
        runs++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { chargeId: `ch-${payment.orderId}` };
      },
      { store, keyFrom: (p) => p.orderId },
    );
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => charge({ orderId: "o-50", amountCents: 500 })),
    );
    expect(runs).toBe(1);
    for (const outcome of outcomes) {
      if (outcome.status === "fulfilled") expect(outcome.value).toEqual({ chargeId: "ch-o-50" });
      else expect(outcome.reason).toBeInstanceOf(IdempotencyInProgressError);
    }
    expect(outcomes.filter((o) => o.status === "fulfilled").length).toBeGreaterThanOrEqual(1);
    // After the dust settles every caller gets the stored result.
    await expect(charge({ orderId: "o-50", amountCents: 500 })).resolves.toEqual({ chargeId: "ch-o-50" });
    expect(runs).toBe(1);
  });

  it("keeps a call that died mid-way locked until its lock expires, then runs the body once", async () => {
    const clock = manualClock();
    const tableName = await newTable();
    const store = new DynamoDBStore({ tableName, client: dynamo.client, clock });
    let runs = 0;
    let crash = true;
    const charge = makeIdempotent(
      async (_payment: Payment) => {
        runs++;
        if (crash) await new Promise(() => {}); // the process died: no completion, no release
        return "charged";
      },
      { store, keyFrom: (p) => p.orderId, inProgressExpiresAfterMs: 30_000 },
    );
    void charge({ orderId: "o-crash", amountCents: 1 });
    await expect.poll(() => runs).toBe(1);
    crash = false;
    clock.advance(29_999);
    const early = await charge({ orderId: "o-crash", amountCents: 1 }).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(IdempotencyInProgressError);
    expect(early).toMatchObject({ retryAfterSeconds: 1 });
    expect(runs).toBe(1);
    clock.advance(1);
    await expect(charge({ orderId: "o-crash", amountCents: 1 })).resolves.toBe("charged");
    await expect(charge({ orderId: "o-crash", amountCents: 1 })).resolves.toBe("charged");
    expect(runs).toBe(2);
    expect(await rawItem(tableName, "o-crash")).toMatchObject({ status: { S: "COMPLETED" } });
  });

  it("runs an expired completed record again, though DynamoDB has not deleted it yet", async () => {
    const clock = manualClock();
    const tableName = await newTable();
    const store = new DynamoDBStore({ tableName, client: dynamo.client, clock });
    let runs = 0;
    const charge = makeIdempotent(async (_payment: Payment) => ++runs, {
      store,
      keyFrom: (p) => p.orderId,
      expiresAfterSeconds: 10,
    });
    await charge({ orderId: "o-exp", amountCents: 1 });
    clock.advance(9_999);
    await expect(charge({ orderId: "o-exp", amountCents: 1 })).resolves.toBe(1);
    clock.advance(1);
    expect(await rawItem(tableName, "o-exp")).toBeDefined();
    await expect(charge({ orderId: "o-exp", amountCents: 1 })).resolves.toBe(2);
    expect(runs).toBe(2);
  });

  it("rejects the same key with another payload, naming the key", async () => {
    const store = new DynamoDBStore({ tableName: await newTable(), client: dynamo.client });
    const charge = makeIdempotent(async (_payment: Payment) => "ok", {
      store,
      keyFrom: (p) => p.orderId,
      namespace: "charge",
    });
    await charge({ orderId: "o-mm", amountCents: 100 });
    const error = await charge({ orderId: "o-mm", amountCents: 101 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyPayloadMismatchError);
    expect((error as Error).message).toContain('"charge#o-mm"');
  });

  it("writes the documented layout: epoch seconds for expiration, epoch ms for the lock, JSON result", async () => {
    const clock = manualClock(1_767_225_600_250);
    const tableName = await newTable("pk");
    const store = new DynamoDBStore({ tableName, client: dynamo.client, clock, keyAttribute: "pk" });
    const gate = deferred();
    const charge = makeIdempotent(
      async (payment: Payment) => {
        await gate.promise;
        return { chargeId: `ch-${payment.orderId}` };
      },
      {
        store,
        keyFrom: (p) => p.orderId,
        namespace: "charge",
        expiresAfterSeconds: 60,
        inProgressExpiresAfterMs: 1_500,
      },
    );
    const call = charge({ orderId: "o-1", amountCents: 1 });
    await expect.poll(() => rawItem(tableName, "charge#o-1", dynamo.client, "pk")).toBeDefined();
    const locked = await rawItem(tableName, "charge#o-1", dynamo.client, "pk");
    expect(locked).toEqual({
      pk: { S: "charge#o-1" },
      status: { S: "INPROGRESS" },
      expiration: { N: "1767225661" },
      inProgressExpiration: { N: "1767225601750" },
      payloadHash: { S: expect.stringMatching(/^[0-9a-f]{64}$/) },
      lockId: { S: expect.any(String) },
    });
    clock.advance(1_000);
    gate.resolve();
    await call;
    expect(await rawItem(tableName, "charge#o-1", dynamo.client, "pk")).toEqual({
      pk: { S: "charge#o-1" },
      status: { S: "COMPLETED" },
      expiration: { N: "1767225662" },
      payloadHash: locked?.payloadHash,
      result: { S: '{"chargeId":"ch-o-1"}' },
    });
  });

  describe("requests per invocation", () => {
    it("makes 2 requests for a first call, 2 for a duplicate on dynalite and 0 for a local cache hit", async () => {
      const client = new DynamoDBClient({
        endpoint: dynamo.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
      });
      const requests = countRequests(client);
      const tableName = await newTable();
      const noCache = new DynamoDBStore({ tableName, client });
      const cached = new DynamoDBStore({ tableName, client, cache: { maxEntries: 10 } });
      const body = async (payment: Payment) => payment.amountCents;
      const viaStore = makeIdempotent(body, { store: noCache, keyFrom: (p) => p.orderId });
      const viaCache = makeIdempotent(body, { store: cached, keyFrom: (p) => p.orderId });

      await viaStore({ orderId: "o-r", amountCents: 1 });
      expect(Object.fromEntries(requests.byCommand)).toEqual({ PutItemCommand: 1, UpdateItemCommand: 1 });
      requests.reset();
      await viaStore({ orderId: "o-r", amountCents: 1 });
      // dynalite ignores ReturnValuesOnConditionCheckFailure, so the store reads the record.
      expect(Object.fromEntries(requests.byCommand)).toEqual({ PutItemCommand: 1, GetItemCommand: 1 });
      await viaCache({ orderId: "o-r", amountCents: 1 });
      requests.reset();
      await viaCache({ orderId: "o-r", amountCents: 1 });
      expect(requests.total()).toBe(0);
    });

    it("makes 1 request for a duplicate when the rejected put returns the old item, as DynamoDB does", async () => {
      const client = new DynamoDBClient({
        endpoint: dynamo.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
      });
      // A unit seam for what dynalite lacks: attach the old item to ConditionalCheckFailedException
      // like DynamoDB does for ALL_OLD. The item is read with a second client so it is not counted.
      const reader = new DynamoDBClient({
        endpoint: dynamo.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
      });
      client.middlewareStack.add(
        (next, context) => async (args) => {
          try {
            return await next(args);
          } catch (error) {
            const input = args.input as { TableName: string; Item: Record<string, { S: string }> };
            if (
              (error as Error).name === "ConditionalCheckFailedException" &&
              context.commandName === "PutItemCommand"
            ) {
              (error as { Item?: unknown }).Item = await rawItem(input.TableName, input.Item.id!.S, reader);
            }
            throw error;
          }
        },
        { step: "initialize", name: "returnOldItem" },
      );
      const requests = countRequests(client);
      const store = new DynamoDBStore({ tableName: await newTable(), client });
      const charge = makeIdempotent(async (payment: Payment) => payment.amountCents, {
        store,
        keyFrom: (p) => p.orderId,
      });
      await charge({ orderId: "o-old", amountCents: 7 });
      requests.reset();
      await expect(charge({ orderId: "o-old", amountCents: 7 })).resolves.toBe(7);
      expect(Object.fromEntries(requests.byCommand)).toEqual({ PutItemCommand: 1 });
    });
  });

  describe("failures", () => {
    it("releases the lock on failure with a conditional delete, so a retry runs", async () => {
      const tableName = await newTable();
      const store = new DynamoDBStore({ tableName, client: dynamo.client });
      let runs = 0;
      const charge = makeIdempotent(
        async (_payment: Payment) => {
          if (++runs === 1) throw new Error("provider timeout");
          return "charged";
        },
        { store, keyFrom: (p) => p.orderId },
      );
      await expect(charge({ orderId: "o-rel", amountCents: 1 })).rejects.toThrow("provider timeout");
      expect(await rawItem(tableName, "o-rel")).toBeUndefined();
      await expect(charge({ orderId: "o-rel", amountCents: 1 })).resolves.toBe("charged");
    });

    it("remembers a permanent failure in the table and re-throws it without running", async () => {
      const tableName = await newTable();
      const store = new DynamoDBStore({ tableName, client: dynamo.client });
      let runs = 0;
      const charge = makeIdempotent(
        async (_payment: Payment) => {
          runs++;
          throw new PermanentError("card declined", { code: "CARD_DECLINED" });
        },
        { store, keyFrom: (p) => p.orderId, onFailure: "remember-permanent" },
      );
      await expect(charge({ orderId: "o-pf", amountCents: 1 })).rejects.toThrow("card declined");
      const again = await charge({ orderId: "o-pf", amountCents: 1 }).catch((e: unknown) => e);
      expect(again).toMatchObject({
        name: "PermanentError",
        code: "CARD_DECLINED",
        message: "card declined",
      });
      expect(classify(again)).toBe(Classification.Permanent);
      expect(runs).toBe(1);
      expect(await rawItem(tableName, "o-pf")).toMatchObject({
        status: { S: "FAILED" },
        error: { S: expect.stringContaining("CARD_DECLINED") },
      });
    });

    it("does not delete a lock another call took over after ours expired", async () => {
      const clock = manualClock();
      const tableName = await newTable();
      const store = new DynamoDBStore({ tableName, client: dynamo.client, clock });
      const gates = [deferred(), deferred()];
      let runs = 0;
      const charge = makeIdempotent(
        async (_payment: Payment) => {
          const gate = gates[runs++]!;
          await gate.promise;
          return "charged";
        },
        { store, keyFrom: (p) => p.orderId, inProgressExpiresAfterMs: 1_000, logger: recordingLogger() },
      );
      const slow = charge({ orderId: "o-own", amountCents: 1 });
      await expect.poll(() => runs).toBe(1);
      clock.advance(1_000);
      const takeover = charge({ orderId: "o-own", amountCents: 1 });
      await expect.poll(() => runs).toBe(2);
      const lockOfTakeover = (await rawItem(tableName, "o-own"))?.lockId;
      gates[0]!.reject(new Error("slow call failed"));
      await expect(slow).rejects.toThrow("slow call failed");
      expect(await rawItem(tableName, "o-own")).toMatchObject({
        status: { S: "INPROGRESS" },
        lockId: lockOfTakeover,
      });
      gates[1]!.resolve();
      await expect(takeover).resolves.toBe("charged");
    });

    it("stores a hash-only marker for a result over the 400 KB item limit", async () => {
      const tableName = await newTable();
      const store = new DynamoDBStore({ tableName, client: dynamo.client });
      const big = "z".repeat(401 * 1024);
      const report = makeIdempotent(async (_payment: Payment) => big, {
        store,
        keyFrom: (p) => p.orderId,
        logger: recordingLogger(),
      });
      await expect(report({ orderId: "o-big", amountCents: 1 })).resolves.toBe(big);
      expect(await rawItem(tableName, "o-big")).toMatchObject({
        status: { S: "COMPLETED" },
        resultHash: { S: expect.stringMatching(/^sha256:/) },
      });
      await expect(report({ orderId: "o-big", amountCents: 1 })).rejects.toBeInstanceOf(
        IdempotencyResultUnavailableError,
      );
    });

    it("treats an item of another shape under the key as a key collision: never overwritten, body not run", async () => {
      const tableName = await newTable();
      const foreign = { id: { S: "o-foreign" }, status: { S: "DONE" } };
      await dynamo.client.send(new PutItemCommand({ TableName: tableName, Item: foreign }));
      const store = new DynamoDBStore({ tableName, client: dynamo.client });
      let runs = 0;
      const charge = makeIdempotent(async (_payment: Payment) => ++runs, {
        store,
        keyFrom: (p) => p.orderId,
      });
      await expect(charge({ orderId: "o-foreign", amountCents: 1 })).rejects.toBeInstanceOf(
        IdempotencyPayloadMismatchError,
      );
      expect(runs).toBe(0);
      expect(await rawItem(tableName, "o-foreign")).toEqual(foreign);
    });
  });

  it("fails with a retryable error when the store goes down, never runs the body unguarded, and marks nothing completed", async () => {
    const path = mkdtempSync(join(tmpdir(), "rebound-idempotency-"));
    try {
      const first = await startDynalite({ path });
      await first.createTable("outage");
      const logger = recordingLogger();
      const store = new DynamoDBStore({ tableName: "outage", client: first.client });
      const gate = deferred();
      const ran: string[] = [];
      const charge = makeIdempotent(
        async (payment: Payment) => {
          ran.push(payment.orderId);
          if (payment.orderId === "o-mid") await gate.promise;
          return "charged";
        },
        { store, keyFrom: (p) => p.orderId, logger, inProgressExpiresAfterMs: 60_000 },
      );
      await charge({ orderId: "o-before", amountCents: 1 });
      const mid = charge({ orderId: "o-mid", amountCents: 1 });
      await expect.poll(() => ran.includes("o-mid")).toBe(true);

      await first.stop();

      // The body finished, but its completion cannot be stored: the caller still gets the result
      // (throwing would make AWS retry the side effect once the lock expires) and it is logged.
      gate.resolve();
      await expect(mid).resolves.toBe("charged");
      expect(logger.lines).toEqual([
        { level: "error", message: expect.stringMatching(/could not store the outcome/) },
      ]);
      // New calls fail retryably before running anything.
      const down = await charge({ orderId: "o-during", amountCents: 1 }).catch((e: unknown) => e);
      expect(down).toBeInstanceOf(IdempotencyStoreError);
      expect(classify(down)).toBe(Classification.Retryable);
      expect(down).toMatchObject({ operation: "PutItem", key: "o-during" });
      expect((down as Error).cause).toBeDefined();
      expect(ran).toEqual(["o-before", "o-mid"]);

      const second = await startDynalite({ path });
      try {
        expect(await rawItem("outage", "o-before", second.client)).toMatchObject({
          status: { S: "COMPLETED" },
        });
        expect(await rawItem("outage", "o-mid", second.client)).toMatchObject({
          status: { S: "INPROGRESS" },
        });
        expect(await rawItem("outage", "o-during", second.client)).toBeUndefined();
        // The unconfirmed call stays locked until its lock expires, so a retry does not repeat it now.
        const again = makeIdempotent(async (_payment: Payment) => ran.push("again"), {
          store: new DynamoDBStore({ tableName: "outage", client: second.client }),
          keyFrom: (p) => p.orderId,
        });
        await expect(again({ orderId: "o-mid", amountCents: 1 })).rejects.toBeInstanceOf(
          IdempotencyInProgressError,
        );
        expect(ran).toEqual(["o-before", "o-mid"]);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(path, { recursive: true, force: true });
    }
  });

  it.each([
    { options: {}, message: /"tableName" must be a non-empty string, received undefined/ },
    { options: { tableName: "" }, message: /"tableName" must be a non-empty string, received ""/ },
    {
      options: { tableName: "orders", keyAttribute: "status" },
      message: /"keyAttribute" must be a non-empty string other than a record attribute, received "status"/,
    },
    { options: { tableName: "orders", client: "default" }, message: /"client" must be an object/ },
    { options: { tableName: "orders", region: "eu-west-1" }, message: /unknown option "region"/ },
  ])("rejects options $options at construction", ({ options, message }) => {
    expect(() => new DynamoDBStore(options as never)).toThrow(message);
    expect(() => new DynamoDBStore(options as never)).toThrow(IdempotencyConfigError);
  });
});
