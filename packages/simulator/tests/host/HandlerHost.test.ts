import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { HandlerLoadError, HandlerStalledError } from "../../src/aws/errors.js";
import { bundleHandler } from "../../src/host/bundleHandler.js";
import { HandlerHost } from "../../src/host/HandlerHost.js";
import { InvocationClock } from "../../src/host/InvocationClock.js";
import { installVirtualDate } from "../../src/host/virtualDate.js";
import { Reply } from "../../src/lambda/Reply.js";
import type { SyncInvokeResult } from "../../src/lambda/SyncInvoker.js";
import { Topology } from "../../src/topology/Topology.js";

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const START = Date.UTC(2026, 0, 1, 12, 0, 0);
const clockAt = (startMs = START, timeoutMs = 3_000) => new InvocationClock({ startMs, timeoutMs });

describe("HandlerHost", () => {
  it("gives each function its own module instance even when they share a bundle", async () => {
    const host = new HandlerHost();
    host.register({ functionName: "a", bundlePath: fixture("counter.mjs"), exportName: "handler" });
    host.register({ functionName: "b", bundlePath: fixture("counter.mjs"), exportName: "handler" });
    const counts = [];
    for (const name of ["a", "a", "b", "a"]) {
      const result = await host.invoke(name, {}, { clock: clockAt(), awsRequestId: "r" });
      counts.push(result.kind === "success" ? (result.payload as { count: number }).count : -1);
    }
    expect(counts).toEqual([1, 2, 1, 3]);
  });

  it("sets the function's environment while the module loads and while it runs, and nothing from the host", async () => {
    const host = new HandlerHost();
    host.register({
      functionName: "greeter",
      bundlePath: fixture("counter.mjs"),
      exportName: "handler",
      environment: { GREETING: "hej" },
    });
    process.env["GREETING"] = "from the host shell";
    const result = await host.invoke("greeter", {}, { clock: clockAt(), awsRequestId: "r" });
    expect(result).toMatchObject({
      kind: "success",
      payload: { greeting: "hej", loadedWith: "hej", home: null, lambdaName: "greeter" },
    });
    expect(process.env["GREETING"]).toBe("from the host shell");
    delete process.env["GREETING"];
  });

  it("keeps what the code sets in its environment until the sandbox is re-initialized, and shows local time as UTC", async () => {
    const host = new HandlerHost();
    host.register({
      functionName: "keeper",
      bundlePath: fixture("environmentKeeper.mjs"),
      exportName: "handler",
    });
    const run = async () => {
      const result = await host.invoke("keeper", {}, { clock: clockAt(), awsRequestId: "r" });
      return result.kind === "success" ? result.payload : result;
    };
    expect(await run()).toEqual({ before: null, after: "1", timeZone: ":UTC", localHours: 12, sees: true });
    expect(await run()).toMatchObject({ before: "1", after: "2" });
    expect(process.env["SET_BY_CODE"]).toBeUndefined(); // the process's own environment is untouched
    host.recycle("keeper");
    expect(await run()).toMatchObject({ before: null, after: "1" });
  });

  it("shows the invocation's virtual time to Date and the remaining time to the context, then restores the real Date", async () => {
    const host = new HandlerHost();
    host.register({ functionName: "clocked", bundlePath: fixture("counter.mjs"), exportName: "handler" });
    const clock = clockAt(START, 5_000);
    clock.consume(1_250);
    const realDate = Date;
    const result = await host.invoke("clocked", { id: 1 }, { clock, awsRequestId: "req-1" });
    expect(result).toMatchObject({
      kind: "success",
      payload: {
        loadedAt: START + 1_250,
        now: START + 1_250,
        iso: "2026-01-01T12:00:01.250Z",
        remaining: 3_750,
        awsRequestId: "req-1",
        functionName: "clocked",
        event: { id: 1 },
      },
      durationMs: 1_250,
    });
    expect(Date).toBe(realDate);
  });

  it("makes a Date.now kept from module load follow each later invocation's virtual time", async () => {
    const host = new HandlerHost();
    host.register({ functionName: "kept", bundlePath: fixture("keptClock.mjs"), exportName: "handler" });
    const first = await host.invoke("kept", {}, { clock: clockAt(START, 5_000), awsRequestId: "req-1" });
    const later = await host.invoke(
      "kept",
      {},
      { clock: clockAt(START + 90_000, 5_000), awsRequestId: "req-2" },
    );
    expect(first).toMatchObject({ kind: "success", payload: { now: START } });
    expect(later).toMatchObject({ kind: "success", payload: { now: START + 90_000 } });
  });

  it("supports the callback style when the handler declares three parameters", async () => {
    const host = new HandlerHost();
    host.register({ functionName: "cb", bundlePath: fixture("counter.mjs"), exportName: "callbackStyle" });
    const result = await host.invoke("cb", { x: 1 }, { clock: clockAt(), awsRequestId: "r" });
    expect(result).toEqual(Reply.success({ echoed: { x: 1 } }, { durationMs: 0 }));
  });

  it.each([
    ["throwsError", "PaymentDeclined", "card declined for order o-1", true],
    ["throwsString", "string", "plain string failure", false],
    ["returnsCircular", "Runtime.MarshalError", "Unable to marshal response", false],
  ])("reports %s as Lambda does: errorType %s", async (exportName, errorType, message, hasStack) => {
    const host = new HandlerHost();
    host.register({ functionName: "f", bundlePath: fixture("failures.mjs"), exportName });
    const result = await host.invoke("f", {}, { clock: clockAt(), awsRequestId: "r" });
    expect(result.kind).toBe("error");
    expect(result.error?.errorType).toBe(errorType);
    expect(result.error?.errorMessage).toContain(message);
    expect(result.phase).toBe("invoke");
    const trace = result.error?.trace ?? [];
    expect(trace.length > 0).toBe(hasStack);
    if (hasStack) expect(trace[0]).toMatch(/^at .*failures\.mjs/);
  });

  it("returns null for a handler that returns nothing (Lambda's JSON round trip)", async () => {
    const host = new HandlerHost();
    host.registerScripted({ functionName: "nothing", handler: async () => undefined });
    expect(await host.invoke("nothing", {}, { clock: clockAt(), awsRequestId: "r" })).toEqual(
      Reply.success(null, { durationMs: 0 }),
    );
  });

  it("reports a top-level throw as an init failure, and loads afresh on the next invocation", async () => {
    const host = new HandlerHost();
    let environment: Record<string, string> = {};
    host.registerScripted({ functionName: "probe", handler: async () => environment });
    host.register({ functionName: "fragile", bundlePath: fixture("initFails.mjs"), exportName: "handler" });
    const first = await host.invoke("fragile", {}, { clock: clockAt(), awsRequestId: "r" });
    expect(first).toMatchObject({
      kind: "error",
      error: { errorType: "TypeError", errorMessage: "MUST_EXIST is not set" },
      phase: "init",
    });
    const second = await host.invoke("fragile", {}, { clock: clockAt(), awsRequestId: "r" });
    expect(second).toMatchObject({ kind: "error", phase: "init" });
    environment = { unused: "x" };
    expect((await host.invoke("probe", {}, { clock: clockAt(), awsRequestId: "r" })).kind).toBe("success");
  });

  it("reports a run past the timeout on the virtual clock as a timeout, not as a duration", async () => {
    const host = new HandlerHost({ timedOutGraceMs: 50 });
    host.registerScripted({
      functionName: "slow",
      handler: async () => {
        const clock = host.current()!;
        clock.consume(2_500); // a downstream answering after 2.5 s
        return new Promise(() => {});
      },
    });
    const result = await host.invoke("slow", {}, { clock: clockAt(START, 2_000), awsRequestId: "req-9" });
    expect(result).toBe(Reply.timeout());
    expect(host.current()).toBeUndefined();
  });

  it("through bundleHandler, a bundle past its timeout fails with AWS's error type and message at the timeout", async () => {
    const host = new HandlerHost({ timedOutGraceMs: 50 });
    host.registerScripted({
      functionName: "slow",
      handler: async () => {
        host.current()!.consume(2_500); // a downstream answering after 2.5 s
        return new Promise(() => {});
      },
    });
    const topology = new Topology({ seed: 1, startMs: START });
    topology.addFunction({
      functionName: "slow",
      timeoutSeconds: 2,
      handler: bundleHandler(host, {
        functionName: "slow",
        timeoutSeconds: 2,
        now: () => topology.simulation.now(),
      }),
    });
    const results: SyncInvokeResult[] = [];
    topology.invoke("slow", {}, { onResult: (result) => results.push(result) });
    await topology.runAsync();
    expect(results).toHaveLength(1);
    const [result] = results;
    expect(result).toMatchObject({
      statusCode: 200,
      functionError: "Unhandled",
      payload: {
        errorType: "Sandbox.Timedout",
        errorMessage: `RequestId: ${result!.requestId} Error: Task timed out after 2.00 seconds`,
      },
    });
    expect(topology.simulation.now()).toBe(START + 2_000);
  });

  it("runs invocations one at a time so process.env stays the function's own", async () => {
    const host = new HandlerHost();
    const seen: string[] = [];
    for (const name of ["one", "two"]) {
      host.registerScripted({
        functionName: name,
        environment: { WHO: name },
        handler: async () => {
          seen.push(`start ${process.env["WHO"]}`);
          await new Promise((resolve) => setImmediate(resolve));
          seen.push(`end ${process.env["WHO"]}`);
          return null;
        },
      });
    }
    await Promise.all([
      host.invoke("one", {}, { clock: clockAt(), awsRequestId: "1" }),
      host.invoke("two", {}, { clock: clockAt(), awsRequestId: "2" }),
    ]);
    expect(seen).toEqual(["start one", "end one", "start two", "end two"]);
  });

  it("stops a handler that never settles while virtual time stands still", async () => {
    const host = new HandlerHost({ stallLimitMs: 50 });
    host.register({ functionName: "stuck", bundlePath: fixture("failures.mjs"), exportName: "neverSettles" });
    await expect(host.invoke("stuck", {}, { clock: clockAt(), awsRequestId: "r" })).rejects.toBeInstanceOf(
      HandlerStalledError,
    );
  });

  it("names the function and the path when the bundle is missing", () => {
    const host = new HandlerHost();
    const error = (() => {
      try {
        host.register({
          functionName: "receipts",
          bundlePath: "/nowhere/receipts/dist/index.mjs",
          exportName: "handler",
        });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(HandlerLoadError);
    expect((error as Error).message).toContain('"receipts"');
    expect((error as Error).message).toContain("/nowhere/receipts/dist/index.mjs");
  });

  it.each([["missingExport"], ["notAFunction"]])(
    "names the function, the export and the path when export %s is not a function",
    async (exportName) => {
      const host = new HandlerHost();
      host.register({ functionName: "orders-api", bundlePath: fixture("counter.mjs"), exportName });
      const error = await host
        .invoke("orders-api", {}, { clock: clockAt(), awsRequestId: "r" })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(HandlerLoadError);
      expect((error as Error).message).toContain(`"${exportName}"`);
      expect((error as Error).message).toContain("counter.mjs");
      expect((error as Error).message).toContain("handler, callbackStyle");
    },
  );

  it.each([
    [{ functionName: "x", bundlePath: "b", exportName: "h", env: {} }, "function definition.env"],
    [{ functionName: "bad name", bundlePath: "b", exportName: "h" }, "functionName"],
    [
      { functionName: "x", bundlePath: fixture("counter.mjs"), exportName: "h", environment: { N: 1 } },
      "x.environment.N",
    ],
  ])("rejects the invalid definition %j naming %s", (definition, key) => {
    const host = new HandlerHost();
    expect(() => host.register(definition as never)).toThrow(expect.objectContaining({ key }));
  });

  it("re-initializes the module after a timeout, as AWS resets the sandbox", async () => {
    const host = new HandlerHost({ timedOutGraceMs: 10 });
    host.register({ functionName: "c", bundlePath: fixture("counter.mjs"), exportName: "handler" });
    await host.invoke("c", {}, { clock: clockAt(), awsRequestId: "r" });
    const timedOut = clockAt();
    timedOut.consume(3_000);
    expect((await host.invoke("c", {}, { clock: timedOut, awsRequestId: "r" })).kind).toBe("timeout");
    const after = await host.invoke("c", {}, { clock: clockAt(), awsRequestId: "r" });
    expect(after.kind === "success" && (after.payload as { count: number }).count).toBe(1);
  });
});

describe("installVirtualDate", () => {
  it("keeps instanceof working both ways and leaves explicit dates alone", () => {
    const before = new Date(0);
    const restore = installVirtualDate(() => Date.UTC(2030, 5, 1));
    try {
      const during = new Date();
      expect(during.toISOString()).toBe("2030-06-01T00:00:00.000Z");
      expect(Date.now()).toBe(Date.UTC(2030, 5, 1));
      expect(new Date(5).getTime()).toBe(5);
      expect(before instanceof Date).toBe(true);
      expect(during instanceof Date).toBe(true);
      expect(typeof Date()).toBe("string");
      class Stamp extends Date {}
      expect(new Stamp().getTime()).toBe(Date.UTC(2030, 5, 1));
    } finally {
      restore();
    }
    expect(Date.now()).not.toBe(Date.UTC(2030, 5, 1));
  });
});

describe("InvocationClock", () => {
  it.each([
    [3_000, [1_000, 1_999], false, 1],
    [3_000, [1_000, 2_000], true, 0],
    [3_000, [5_000], true, 0],
  ])(
    "with timeout %i and latencies %j, timedOut is %s and %i ms remain",
    (timeoutMs, latencies, timedOut, remaining) => {
      const clock = new InvocationClock({ startMs: 0, timeoutMs });
      for (const latency of latencies) clock.consume(latency);
      expect(clock.timedOut).toBe(timedOut);
      expect(clock.remainingMs()).toBe(remaining);
      expect(clock.signal.aborted).toBe(timedOut);
    },
  );

  it("rejects a timeout above Lambda's 900 s", () => {
    expect(() => new InvocationClock({ startMs: 0, timeoutMs: 900_001 })).toThrow(/timeoutMs must be/);
  });
});
