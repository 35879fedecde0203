// A million scripted events, run as a user runs them: one `rebound simulate` process on a scenario of
// 1,000,000 SQS messages to the orders stack's payments queue, the payments worker scripted to fail 10%
// of invocations (no bundle runs). Measured: peak RSS of the process (GNU time's maximum resident set;
// target <= 1.5 GB, i.e. 1,536 MiB) and wall time from spawn to exit (reported, no target). Absolute
// target: nothing else replays a stack offline. Every event is kept in detail (outcomes, report,
// expectations), unlike the library benchmarks, which keep counts only.
// Needs `pnpm exec turbo run build synth` first (`pnpm bench` does it).
//
// Measured here (machine otherwise idle): 21.0-22.6 s wall, 984-988 MiB peak over two runs, since
// `rebound simulate` sets V8's heap growing factor to 20% (cli/heapGrowthForLongRuns.ts). Before
// that: 16.5-20.9 s and 1,478-1,591 MiB over five runs (the target met on some runs only, as the
// peak moved by about 100 MiB with when V8 collected); and 22.9 s and 1,854 MiB before the outcome
// book was drained into the result, held times as numbers and flat ids.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { metric, writeResults } from "./lib/report.mjs";
import { simulateProcess } from "./lib/simulateProcess.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "packages", "simulator", "dist", "cli.js");
if (!existsSync(cli)) throw new Error(`no CLI at ${cli}; run \`pnpm exec turbo run build synth\` first`);
if (!existsSync("/usr/bin/time"))
  throw new Error("GNU time (/usr/bin/time) measures peak RSS; apt-get install time");

const EVENTS = 1_000_000;
const work = mkdtempSync(join(tmpdir(), "rebound-bench-million-"));
const file = join(work, "million.yaml");
writeFileSync(
  file,
  `name: million-scripted
description: ${EVENTS} payment requests to a scripted payments worker that fails 10% of invocations
seed: 1
maxVirtualSeconds: 86400
events:
  - id: pay
    kind: sqs
    queue: payments
    repeat: ${EVENTS}
    every: 10ms
    body: { orderId: "ord_{{n}}", amountCents: 100, currency: EUR }
functions:
  payments-worker: { behaviour: fail-rate, rate: 0.1 }
`,
);
try {
  const result = simulateProcess({ cli, scenario: file, work, cwd: root });
  const { seconds, rssMib, load } = result;
  if (result.status !== 0)
    throw new Error(
      `rebound simulate exited ${result.status}:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`,
    );
  console.log(
    `${EVENTS} scripted events: ${seconds.toFixed(1)} s wall, peak RSS ${rssMib.toFixed(0)} MiB (${load})`,
  );
  writeResults("simulator-million-scenario", [
    metric({
      metric: "1,000,000 scripted SQS events through rebound simulate: peak RSS",
      unit: "MB",
      ours: rssMib,
      target: 1_536,
      better: "lower",
      note: `GNU time maximum resident set; ${seconds.toFixed(1)} s wall (${load}); every event kept in detail`,
    }),
  ]);
} finally {
  rmSync(work, { recursive: true, force: true });
}
