import { describe, expect, it } from "vitest";
import { scripted, Topology } from "../../src/index.js";

function scenario(seed: number): string[] {
  const topology = new Topology({ seed, trace: { collect: true } });
  const dlq = topology.addQueue({ queueName: "dlq" });
  const failures = topology.addQueue({ queueName: "failures" });
  const queue = topology.addQueue({
    queueName: "work",
    visibilityTimeoutSeconds: 20,
    redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 },
  });
  topology.addFunction({
    functionName: "worker",
    handler: scripted.failFraction(0.3, { durationMs: (_event, env) => env.random.int(10, 900) }),
  });
  topology.addFunction({ functionName: "mailer", handler: scripted.failFraction(0.5) });
  topology.createEventSourceMapping({
    eventSourceArn: queue.arn,
    functionName: "worker",
    batchSize: 3,
    functionResponseTypes: ["ReportBatchItemFailures"],
  });
  topology.putFunctionEventInvokeConfig({
    functionName: "mailer",
    destinationConfig: { onFailure: { destination: failures.arn } },
  });
  for (let i = 0; i < 40; i++) {
    topology.sendMessage("work", `{"n":${i}}`, { atMs: topology.simulation.now() + i * 250 });
    topology.invokeAsync("mailer", { n: i }, { atMs: topology.simulation.now() + i * 1000 });
  }
  topology.run();
  return [...topology.trace.lines(), JSON.stringify(topology.outcomes)];
}

describe("determinism", () => {
  it("gives a byte-identical trace and outcome JSON for the same seed", () => {
    const first = scenario(2026);
    expect(first.length).toBeGreaterThan(500);
    expect(scenario(2026).join("\n")).toBe(first.join("\n"));
  });

  it("gives another run for another seed", () => {
    expect(scenario(2027).join("\n")).not.toBe(scenario(2026).join("\n"));
  });

  it("reads neither the wall clock nor Math.random", () => {
    const realNow = Date.now;
    const realRandom = Math.random;
    Date.now = () => {
      throw new Error("Date.now() called");
    };
    Math.random = () => {
      throw new Error("Math.random() called");
    };
    try {
      expect(scenario(1).length).toBeGreaterThan(0);
    } finally {
      Date.now = realNow;
      Math.random = realRandom;
    }
  });
});
