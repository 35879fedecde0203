import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// The built CLI as a user runs it (turbo's @rebound/simulator#test depends on build and synth).
export const PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
export const CLI = join(PACKAGE_DIR, "dist", "cli.js");
export const STACK = join(REPO_ROOT, "infra", "cdktf.out", "stacks", "orders", "cdk.tf.json");

/** What one run of the CLI printed and how it exited. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `rebound ARGS` from `cwd` (the repository root by default). */
export function rebound(args: readonly string[], cwd = REPO_ROOT): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A valid scenario (one message on the payments queue), as lines. */
export const VALID_SCENARIO = [
  "name: one-payment",
  "description: one message on the payments queue",
  "seed: 1",
  "maxVirtualSeconds: 600",
  "events:",
  "  - id: m",
  "    kind: sqs",
  "    at: 1s",
  "    queue: payments",
  "    body: { orderId: ord_1, amountCents: 100, currency: EUR }",
  "downstreams:",
  "  payment:",
  "    routes:",
  '      "POST /charges": { status: 201, body: { chargeId: ch } }',
  "  slack:",
  "    status: 200",
  "    body: ok",
];
