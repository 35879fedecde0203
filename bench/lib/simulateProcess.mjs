// One `rebound simulate` process run as a user runs it, under GNU time: wall seconds from spawn to
// exit, peak RSS, and the machine's load before and after (the machine is shared: it says how noisy
// the wall time is). Shared by the benchmarks that measure the CLI end to end.
import { spawnSync } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";

/**
 * Runs `node <cli> simulate <scenario> --report <work> --logs <work>` from `cwd` and returns its
 * output, `seconds`, `rssMib` (GNU time's maximum resident set) and `load`.
 */
export function simulateProcess({ cli, scenario, work, cwd }) {
  const loadBefore = loadavg()[0];
  const start = performance.now();
  const result = spawnSync(
    "/usr/bin/time",
    ["-f", "maxrss_kb=%M", process.execPath, cli, "simulate", scenario, "--report", work, "--logs", work],
    { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    seconds,
    rssMib: Number(/maxrss_kb=(\d+)/.exec(result.stderr)?.[1]) / 1024,
    load: `load ${loadBefore.toFixed(2)} -> ${loadavg()[0].toFixed(2)} on ${availableParallelism()} CPUs`,
  };
}
