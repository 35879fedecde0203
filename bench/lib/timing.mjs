// Wall and CPU time of one benchmark run, and the machine's load for the notes: shared by the
// simulator benchmarks, which each time one synchronous run of the simulation.
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";

/** Runs `run` once and returns its wall milliseconds and this process's CPU milliseconds (user + system). */
export function timed(run) {
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  run();
  const wallMs = performance.now() - began;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** "1-minute load average at the end 0.4 on 2 cores": what else the machine was doing. */
export function machineLoad() {
  return `1-minute load average at the end ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`;
}
