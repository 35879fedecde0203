import { describe, expect, it } from "vitest";
import {
  findEventSourceMapping,
  putFunctionConcurrency,
  StreamSources,
  scripted,
  Topology,
  updateEventSourceMapping,
} from "../../src/index.js";

const START = Date.UTC(2026, 0, 1);

describe("event source mapping state: enabled, disabled, and what GetEventSourceMapping reports", () => {
  it("an SQS mapping disabled at 10 s reads nothing until it is enabled again at 60 s", () => {
    const topology = new Topology({ startMs: START });
    const queue = topology.addQueue({ queueName: "jobs" });
    const starts: number[] = [];
    topology.addFunction({
      functionName: "worker",
      handler: () => void starts.push((topology.simulation.now() - START) / 1000),
    });
    topology.createEventSourceMapping({ eventSourceArn: queue.arn, functionName: "worker", batchSize: 1 });
    const selector = { functionName: "worker", eventSourceArn: queue.arn };
    updateEventSourceMapping(topology, selector, { enabled: false }, { atMs: START + 10_000 });
    updateEventSourceMapping(topology, selector, { enabled: true }, { atMs: START + 60_000 });
    for (const at of [5, 20, 40]) topology.sendMessage("jobs", `m${at}`, { atMs: START + at * 1000 });
    topology.run(START + 55_000);
    expect(starts).toEqual([5]);
    expect(findEventSourceMapping(topology, selector).status()).toMatchObject({
      State: "Disabled",
      StateTransitionReason: "USER_INITIATED",
      EventSourceArn: queue.arn,
    });
    expect(findEventSourceMapping(topology, selector).status()).not.toHaveProperty("LastProcessingResult");
    topology.run();
    expect(starts).toEqual([5, 60, 60]);
    expect(findEventSourceMapping(topology, selector).status().State).toBe("Enabled");
  });

  it("a stream mapping created with enabled false holds its records until enabled, then reads from its checkpoint", () => {
    const topology = new Topology({ startMs: START });
    const streams = new StreamSources(topology);
    const clicks = streams.addKinesisStream({ streamName: "clicks" });
    const seen: string[][] = [];
    topology.addFunction({
      functionName: "counter",
      handler: (event) => {
        const records = (event as { Records: { kinesis: { data: string } }[] }).Records;
        seen.push(records.map((record) => Buffer.from(record.kinesis.data, "base64").toString()));
        if (seen.length === 2) throw new Error("second batch fails once");
      },
    });
    const mapping = topology.createEventSourceMapping({
      eventSourceArn: clicks.streamArn,
      functionName: "counter",
      startingPosition: "TRIM_HORIZON",
      enabled: false,
      maximumRetryAttempts: 1,
    }) as { status(): Record<string, unknown>; uuid: string };
    clicks.putRecord({ partitionKey: "k", data: "a" });
    clicks.putRecord({ partitionKey: "k", data: "b" });
    topology.run(START + 30_000);
    expect(seen).toEqual([]);
    expect(mapping.status()).toMatchObject({
      State: "Disabled",
      StateTransitionReason: "User action",
      LastProcessingResult: "No records processed",
    });
    updateEventSourceMapping(topology, { uuid: mapping.uuid }, { enabled: true });
    topology.run(START + 31_000);
    expect(seen).toEqual([["a", "b"]]);
    expect(mapping.status()).toMatchObject({ State: "Enabled", LastProcessingResult: "OK" });
    clicks.putRecord({ partitionKey: "k", data: "c" });
    topology.run(START + 31_500);
    expect(mapping.status().LastProcessingResult).toBe("PROBLEM: Function call failed");
    topology.run();
    expect(seen).toEqual([["a", "b"], ["c"], ["c"]]);
    expect(mapping.status().LastProcessingResult).toBe("OK");
  });

  it("names the mappings there are when a selector matches none", () => {
    const topology = new Topology({ startMs: START });
    const queue = topology.addQueue({ queueName: "jobs" });
    topology.addFunction({ functionName: "worker", handler: scripted.succeed() });
    topology.createEventSourceMapping({ eventSourceArn: queue.arn, functionName: "worker" });
    expect(() => findEventSourceMapping(topology, { uuid: "nope" })).toThrow(
      /no event source mapping with UUID nope; mappings: worker ← arn:aws:sqs:.*:jobs/,
    );
  });
});

describe("reserved concurrency changed while the run goes on", () => {
  it("0 sends async events to the failure destination; removing it lets later events run", () => {
    const topology = new Topology({ startMs: START });
    const failures = topology.addQueue({ queueName: "failures" });
    let runs = 0;
    topology.addFunction({ functionName: "receipts", handler: () => void runs++ });
    topology.putFunctionEventInvokeConfig({
      functionName: "receipts",
      destinationConfig: { onFailure: { destination: failures.arn } },
    });
    putFunctionConcurrency(topology, "receipts", 0, { atMs: START + 10_000 });
    putFunctionConcurrency(topology, "receipts", null, { atMs: START + 20_000 });
    for (const at of [5, 15, 25]) topology.invokeAsync("receipts", { at }, { atMs: START + at * 1000 });
    topology.run();
    expect(runs).toBe(2);
    const records = failures.messages().map((message) => JSON.parse(message.body));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      requestContext: { condition: "ZeroReservedConcurrency", approximateInvokeCount: 0 },
      requestPayload: { at: 15 },
    });
    expect(topology.function("receipts").reservedConcurrency).toBeUndefined();
  });

  it("a limit of 1 throttles a second concurrent invoke, and the unreserved pool stays balanced", () => {
    const topology = new Topology({ startMs: START, accountConcurrency: 1000 });
    topology.addFunction({ functionName: "slow", handler: scripted.succeed({ durationMs: 5_000 }) });
    const results: number[] = [];
    topology.invoke("slow", {}, { onResult: (result) => results.push(result.statusCode) });
    putFunctionConcurrency(topology, "slow", 1, { atMs: START + 1_000 });
    topology.invoke(
      "slow",
      {},
      { atMs: START + 2_000, onResult: (result) => results.push(result.statusCode) },
    );
    topology.run();
    // The first invoke still runs when the limit of 1 comes in, so the second (at 2 s) is throttled;
    // the first ends at 5 s. Its slot came from the unreserved pool and goes back there.
    expect(results).toEqual([429, 200]);
    expect(topology.account.unreservedInUse).toBe(0);
  });

  it("refuses a reservation that would leave fewer than 100 unreserved", () => {
    const topology = new Topology({ startMs: START, accountConcurrency: 1000 });
    topology.addFunction({ functionName: "f", handler: scripted.succeed() });
    expect(() => putFunctionConcurrency(topology, "f", 950)).toThrow(/below its minimum value of \[100\]/);
  });
});
