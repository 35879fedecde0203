// Real handlers at scale: N orders through the HTTP API of the orders stack, the payment provider
// failing 30% of charges, every downstream function the real built bundle (no scripted stand-in),
// run as a user runs it: one `rebound simulate` process. Two sizes, 2,000 and 20,000 orders
// (`node bench/run.mjs orders-at-scale` runs both; ORDERS=2000 runs one). Measured per size:
// real-handler attempts per wall second (the summary's total attempts / wall time from spawn to
// exit; target >= 1,000) and peak RSS of the process (GNU time's maximum resident set; target at
// 20,000 orders <= 1 GB). Absolute targets: nothing else replays this stack offline.
// Needs `pnpm exec turbo run build synth` first (`pnpm bench` does it).
//
// Measured here (one run each; the 20,000 run overlapped a test suite for about 2 minutes): 2,000 orders: 16,895 attempts,
// 183 attempts/s, 547 MB peak RSS; 20,000 orders: 168,313 attempts in 919 s, 183 attempts/s,
// 2,676 MB peak RSS (the outcome book, trace and report data grow with events: over the 1 GB target).
//
// Profile (node --cpu-prof, 400 orders, 3,371 attempts, 25.8 s of samples), self time by package:
// AWS SDK clients in the bundles 20% (@smithy/core 11.9%, @aws-sdk/core 3.5%, SigV4 signing 2.2%,
// hashing 2.3%); dynalite + its level store 11%; Node's HTTP client/server and undici for the
// loopback hops 12%; socket/file writes (writev) 5.3%; GC 4.2%; idle 4.6% (waits on loopback I/O);
// HandlerHost environment swaps 3.2% (process.env writes go to setenv; writing only changed keys
// gave no measurable gain at 2,000 orders, so it was not kept).
// The costs are the loopback HTTP hop of every SDK call (serialize, sign, send, parse on both sides)
// and dynalite: replacing them with in-process calls, without touching function code, is the next
// step and not done yet. Bound on that step: the SDK's own 20% stays (handlers call it normally), so
// removing every other listed cost (loopback 12%, dynalite 11%, writes 5.3%, GC 4.2%, idle 4.6%,
// env swaps 3.2%: 40%) gives at most ~1.7x; 1,000 attempts/s (5.5x) also needs the remaining 40%
// (handler code, engine, host) to shrink.
//
// Memory (second pass). The JS heap is not what grows: --trace-gc at 600 orders shows 12 -> 49 MB
// live after each mark-compact while RSS reaches 328 MB; process.memoryUsage() every 5 s at 1,200
// orders showed arrayBuffers growing linearly (84 MB at ~1,100 orders, ~70 KB per order). A mid-run
// heap snapshot (600 orders) found 6,570 whole 8 KB ArrayBuffers (54 MB) each held by one small
// Buffer key or value in dynalite's memory-level tree: Buffer.from(string) slices Node's shared
// 8 KB pool, and the store pins the whole slab. aws/compactDynaliteStore.ts opens that store with
// the `view` encoding (own-sized bytes, same byte order): arrayBuffers then stays at 1-3 MB for the
// whole 1,200-order run. Before/after at 2,000 orders (same day, separate runs, machine shared):
// before 16,895 attempts, 534 MB peak RSS, 112 attempts/s (load 9.65 -> 16.00 on 2 CPUs); after
// 16,895 attempts (same), 391 MB peak RSS (-27%), 69 attempts/s (load 8.15 -> 6.46, overlapping
// this worktree's lint, typecheck and test suite: the wall time is not comparable). 20,000 orders
// not re-measured after the change; the slabs were ~70 of the ~118 KB per order RSS grew by, so
// expect roughly 1.2-1.3 GB there: still over the 1 GB target.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { metric, writeResults } from "./lib/report.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "packages", "simulator", "dist", "cli.js");
if (!existsSync(cli)) throw new Error(`no CLI at ${cli}; run \`pnpm exec turbo run build synth\` first`);
if (!existsSync("/usr/bin/time"))
  throw new Error("GNU time (/usr/bin/time) measures peak RSS; apt-get install time");

const sizes = process.env.ORDERS ? [Number(process.env.ORDERS)] : [2_000, 20_000];
const work = mkdtempSync(join(tmpdir(), "rebound-bench-orders-"));

/** A scenario of `orders` API orders, 10 per virtual second (under the stage's 20/s throttle). */
function scenario(orders: number): string {
  return `name: orders-at-scale-${orders}
description: ${orders} orders through the API, the payment provider failing 30% of charges
seed: 1
maxVirtualSeconds: ${Math.ceil(orders / 10) + 1800}
events:
  - id: order
    kind: api
    at: 1s
    repeat: ${orders}
    every: 100ms
    method: POST
    path: /orders
    # The routes have a JWT authorizer: without a token every order would be a 401.
    jwt:
      sub: customer-{{n}}
    headers:
      content-type: application/json
      idempotency-key: scale-{{n}}
    body:
      customerEmail: customer-{{n}}@example.com
      currency: EUR
      items:
        - { sku: BOOK-42, quantity: 2, unitPriceCents: 1250 }
downstreams:
  payment:
    errorRate: 0.3
    routes:
      "POST /charges": { status: 201, body: { chargeId: ch_sim }, idempotent: true }
  mail:
    routes:
      "POST /messages": { status: 202, body: { messageId: msg_sim } }
  stock:
    routes:
      "POST /reservations": { status: 201, body: { reservationId: res_sim } }
  carrier:
    routes:
      "POST /shipments": { status: 201, body: { trackingNumber: TRK-SIM } }
  slack:
    status: 200
    body: ok
`;
}

const metrics = [];
try {
  for (const orders of sizes) {
    const file = join(work, `orders-${orders}.yaml`);
    writeFileSync(file, scenario(orders));
    // The machine is shared: the 1-minute load average before and after says how noisy the wall time is.
    const loadBefore = loadavg()[0]!;
    const start = performance.now();
    const result = spawnSync(
      "/usr/bin/time",
      ["-f", "maxrss_kb=%M", process.execPath, cli, "simulate", file, "--report", work, "--logs", work],
      { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    const seconds = (performance.now() - start) / 1000;
    const load = `load ${loadBefore.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} CPUs`;
    if (result.status !== 0 && result.status !== 1)
      throw new Error(
        `rebound simulate exited ${result.status}:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`,
      );
    // The summary's total row: source, events, attempts, … (numbers with thousands separators).
    const total = result.stdout.split("\n").find((line) => line.startsWith("total "));
    const attempts = Number(total?.trim().split(/\s+/)[2]?.replaceAll(",", ""));
    const rssMb = Number(/maxrss_kb=(\d+)/.exec(result.stderr)?.[1]) / 1024;
    if (!Number.isFinite(attempts) || !Number.isFinite(rssMb))
      throw new Error(
        `could not read attempts or RSS:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-1000)}`,
      );
    console.log(
      `${orders} orders: ${attempts} attempts in ${seconds.toFixed(1)} s wall, peak RSS ${rssMb.toFixed(0)} MB (${load})`,
    );
    metrics.push(
      metric({
        metric: `${orders} API orders, 30% payment failures: real-handler attempts per wall second`,
        unit: "attempts/s",
        ours: attempts / seconds,
        target: 1_000,
        better: "higher",
        note:
          `${attempts} attempts in ${seconds.toFixed(1)} s wall (spawn to exit, one process; ${load}); absolute target; ` +
          "top profile costs: SDK clients 20%, loopback HTTP 12%, dynalite 11% (see the file's header)",
      }),
      metric({
        metric: `${orders} API orders, 30% payment failures: peak RSS`,
        unit: "MB",
        ours: rssMb,
        target: 1_024,
        better: "lower",
        note: "GNU time maximum resident set of the rebound process; the 1 GB target is stated for 20,000 orders",
      }),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
writeResults(
  process.env.ORDERS ? `simulator-orders-at-scale-${process.env.ORDERS}` : "simulator-orders-at-scale",
  metrics,
);
