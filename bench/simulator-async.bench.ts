// 1,000,000 async invocations with the default retry policy (2 retries, 60 s then 120 s) to a scripted
// function failing 10% of attempts. No external tool simulates AWS retries on a virtual clock, so these are
// absolute targets (anchor null): >= 300,000 attempts per wall second and <= 1 GB peak RSS.

import { scripted, Topology } from "@rebound/simulator";
import { createMemorySampler } from "./lib/memory.mjs";
import { metric, writeResults } from "./lib/report.mjs";
import { machineLoad, timed } from "./lib/timing.mjs";

const MESSAGES = 1_000_000;
/** Events arrive 500 per virtual second, so the retries of earlier events fit the account concurrency. */
const ASYNC_BURST = 500;

const memory = createMemorySampler();

function asyncRun(): { attempts: number; wallMs: number; counts: unknown } {
  const topology = new Topology({ seed: 43, detailedOutcomes: false });
  topology.addFunction({
    functionName: "receipts",
    handler: scripted.failFraction(0.1, { durationMs: 100 }),
  });
  const fn = topology.function("receipts");
  const sim = topology.simulation;
  const payload = { orderId: 1 };
  let sent = 0;
  const burst = (): void => {
    for (let i = 0; i < ASYNC_BURST && sent < MESSAGES; i++, sent++)
      topology.invokeAsync("receipts", payload);
    memory.sample();
    if (sent < MESSAGES) sim.after(1_000, burst);
  };
  sim.at(sim.now(), burst);
  const { wallMs, cpuMs } = timed(() => sim.runUntilIdle());
  memory.sample(true);
  return { attempts: fn.invocations, wallMs, cpuMs, counts: topology.outcomes.counts() };
}

const result = asyncRun();
console.log("async", result);
const note =
  "absolute target: no external tool simulates AWS retry semantics on a virtual clock, so there is no anchor; " +
  machineLoad();
writeResults("simulator-async", [
  metric({
    metric: "attempts per wall second (1M async events, default retry policy, 10% failing)",
    unit: "attempts/s",
    ours: result.attempts / (result.wallMs / 1000),
    target: 300_000,
    better: "higher",
    note: `${note}; per CPU second (user+system, less sensitive to other load on the machine): ${(result.attempts / (result.cpuMs / 1000)).toFixed(0)}`,
  }),
  metric({
    metric: "peak RSS",
    unit: "MB",
    ours: memory.peakRssMb,
    target: 1024,
    better: "lower",
    note: `${note}; peak heap used ${memory.peakHeapMb.toFixed(0)} MB`,
  }),
]);
