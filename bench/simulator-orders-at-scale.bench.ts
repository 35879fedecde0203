// Real handlers at scale: N orders through the HTTP API of the orders stack, the payment provider
// failing 30% of charges, every downstream function the real built bundle (no scripted stand-in),
// run as a user runs it: one `rebound simulate` process. Two sizes, 2,000 and 20,000 orders
// (`node bench/run.mjs orders-at-scale` runs both; ORDERS=2000 runs one). Measured per size:
// real-handler attempts per wall second (the summary's total attempts / wall time from spawn to
// exit; target >= 1,000) and peak RSS of the process (GNU time's maximum resident set; target at
// 20,000 orders <= 1 GB). Absolute targets: nothing else replays this stack offline.
// Needs `pnpm exec turbo run build synth` first (`pnpm bench` does it).
//
// Measured here, after the in-process transport (one run each, machine otherwise idle):
// 2,000 orders: 16,895 attempts in 46.9 s, 360 attempts/s, 467 MB peak RSS; 20,000 orders: 168,313
// attempts in 513 s, 328 attempts/s, 1,105 MB peak RSS (first measured 496.9 s, 339/s, 1,188 MB before
// the outcome book was drained into the result). Before the in-process transport: 183 attempts/s at
// both sizes, and 2,676 MB at 20,000 orders before the compact dynalite store. Both targets missed.
//
// What changed (see packages/simulator/src/aws/README.md): the SDK clients the simulator hands to the
// functions reach the local endpoints in memory (no socket, no HTTP parser; same bytes, same SigV4
// signature), the DynamoDB proxy calls dynalite's request handler in memory, and process.env is
// swapped as one object per sandbox instead of setenv per variable. At 400 orders, old and new builds
// back to back: 17.3 s -> 11.8 s wall for the same 3,371 attempts.
//
// Profile now (node --cpu-prof, 400 orders, 13.7 s of samples), self time: the AWS SDK inside the
// bundles about 23% (@smithy/core 13.8%, @aws-sdk/core 4.6%, SigV4 2.6%, hashing ~2%); dynalite and
// its level store 13.6%; GC 6.8%; handler host 5.8%; local endpoints 4.6%; fetch (undici) to the
// scripted downstreams ~2%; module compilation on re-initialization ~1.5%; idle 2.9%. The SDK's own
// share alone bounds this stack at about 1,500 attempts/s on this machine even if everything else cost
// nothing: 1,000/s needs two thirds of the rest gone (dynalite first, then the downstreams' fetch in
// memory, then compiled-module reuse across re-initializations). Not done.
//
// Heap growth (cli/heapGrowthForLongRuns.ts): `rebound simulate` sets V8's heap growing factor to
// 20%. Measured after it: 2,000 orders 16,895 attempts in 53.1 s (318/s), 261 MB peak RSS (467 MB
// before); 20,000 orders 168,313 attempts in 579.2 s (291/s, 11% slower than 513 s), 923 MB peak RSS
// (1,105 MB before): the 1 GB target is met. Again after every invocation got its own copy of its
// event: 2,000 orders in 55.8 s, 263 MB; 20,000 orders in 582.1 s (289/s), 936 MB. At 6,000 orders, one run each of V8's growing factor
// (wall times vary by +-15% here): default 147 s / 642 MB, 100% 169 s / 530 MB, 40% 146 s / 442 MB,
// 20% 180 s / 415 MB, 20% with a 32 MB semi-space 162 s / 451 MB (a semi-space size only takes
// effect as a node flag at start, so it is not used). 40% would put 20,000 orders at about 1,050 MB
// by the live heap measured at 20%, over the target, so 20% it is.
//
// Memory before that (6,000 orders, heap snapshot near the end): heap used ~200 MB of a ~430-460 MB V8 heap
// (heapTotal runs at 2-2.5x heapUsed through the run), 25 KB retained per order: dynalite's items
// (~95,000 buffers, ~40 MB at 6,000 orders), event outcomes and results, execution histories and
// stream records kept for their retention; RSS adds ~140 MB of code and native memory. Earlier notes:
// the compact dynalite store (aws/compactDynaliteStore.ts) stopped dynalite pinning 8 KB Buffer slabs
// (534 -> 391 MB at 2,000 orders then).
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
    const result = simulateProcess({ cli, scenario: file, work, cwd: root });
    const { seconds, load } = result;
    if (result.status !== 0 && result.status !== 1)
      throw new Error(
        `rebound simulate exited ${result.status}:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`,
      );
    // The summary's total row: source, events, attempts, … (numbers with thousands separators).
    const total = result.stdout.split("\n").find((line) => line.startsWith("total "));
    const attempts = Number(total?.trim().split(/\s+/)[2]?.replaceAll(",", ""));
    const rssMb = result.rssMib;
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
          "top profile costs: SDK clients in the bundles 23%, dynalite 14%, GC 7% (see the file's header)",
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
