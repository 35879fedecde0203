// 1,000,000 messages through one SQS queue + mapping (batch 10) to a scripted function failing 10% of
// invocations transiently, DLQ at maxReceiveCount 3. No external tool simulates AWS retries on a virtual
// clock, so these are absolute targets (anchor null): >= 300,000 deliveries per wall second, <= 1 GB peak
// RSS, and the virtual seconds simulated per wall second reported.

import { scripted, Topology } from "@rebound/simulator";
import { createMemorySampler } from "./lib/memory.mjs";
import { metric, writeResults } from "./lib/report.mjs";
import { machineLoad, timed } from "./lib/timing.mjs";

const MESSAGES = 1_000_000;
/** Messages arrive in bursts of 1,000 every virtual second (1,000 messages/s of traffic). */
const BURST = 1_000;

const memory = createMemorySampler();

function sqsRun(): { deliveries: number; wallMs: number; virtualSeconds: number; counts: unknown } {
  const topology = new Topology({ seed: 42, detailedOutcomes: false });
  const dlq = topology.addQueue({ queueName: "payments-dlq", messageRetentionPeriodSeconds: 1_209_600 });
  const queue = topology.addQueue({
    queueName: "payments",
    visibilityTimeoutSeconds: 60,
    redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 },
  });
  topology.addFunction({
    functionName: "pay",
    timeoutSeconds: 10,
    handler: scripted.failFraction(0.1, { durationMs: 200 }),
  });
  topology.createEventSourceMapping({ eventSourceArn: queue.arn, functionName: "pay", batchSize: 10 });
  const sim = topology.simulation;
  const start = sim.now();
  let sent = 0;
  // Inject lazily, one burst per virtual second, so the event queue never holds a million sends.
  const burst = (): void => {
    for (let i = 0; i < BURST && sent < MESSAGES; i++, sent++)
      queue.sendMessage(`{"orderId":${sent},"amount":1999}`);
    memory.sample();
    if (sent < MESSAGES) sim.after(1_000, burst);
  };
  sim.at(start, burst);
  topology.validate();
  const { wallMs, cpuMs } = timed(() => sim.runUntil(start + (MESSAGES / BURST) * 1000 + 3_600_000));
  memory.sample(true);
  return {
    deliveries: queue.receives,
    wallMs,
    cpuMs,
    virtualSeconds: (sim.now() - start) / 1000,
    counts: topology.outcomes.counts(),
  };
}

const sqs = sqsRun();
console.log("sqs", sqs);
const note =
  "absolute target: no external tool simulates AWS retry semantics on a virtual clock, so there is no anchor; " +
  machineLoad();
writeResults("simulator-sqs", [
  metric({
    metric:
      "message deliveries per wall second (1M messages, batch 10, 10% of invocations failing, DLQ at maxReceiveCount 3)",
    unit: "deliveries/s",
    ours: sqs.deliveries / (sqs.wallMs / 1000),
    target: 300_000,
    better: "higher",
    note: `${note}; per CPU second (user+system, less sensitive to other load on the machine): ${(sqs.deliveries / (sqs.cpuMs / 1000)).toFixed(0)}`,
  }),
  metric({
    metric: "peak RSS",
    unit: "MB",
    ours: memory.peakRssMb,
    target: 1024,
    better: "lower",
    note: `${note}; peak heap used ${memory.peakHeapMb.toFixed(0)} MB`,
  }),
  metric({
    metric: "virtual seconds simulated per wall second",
    unit: "virtual s/s",
    ours: sqs.virtualSeconds / (sqs.wallMs / 1000),
    target: 1,
    better: "higher",
    note: `${note}; reported as asked, target: faster than real time`,
  }),
]);
