import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// The CLI as a user runs it, on scenario files written to a temp folder, against the real
// synthesized orders stack (turbo's @rebound/simulator#test depends on build and synth).
const PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const CLI = join(PACKAGE_DIR, "dist", "cli.js");
const dir = mkdtempSync(join(tmpdir(), "rebound-bad-scenarios-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A valid scenario (one message on the payments queue); the comments number its lines. */
const VALID = [
  "name: one-payment", // 1
  "description: one message on the payments queue", // 2
  "seed: 1", // 3
  "maxVirtualSeconds: 600", // 4
  "events:", // 5
  "  - id: m", // 6
  "    kind: sqs", // 7
  "    at: 1s", // 8
  "    queue: payments", // 9
  "    body: { orderId: ord_1, amountCents: 100, currency: EUR }", // 10
  "downstreams:", // 11
  "  payment:", // 12
  "    routes:", // 13
  '      "POST /charges": { status: 201, body: { chargeId: ch } }', // 14
  "  slack:", // 15
  "    status: 200", // 16
  "    body: ok", // 17
  "expect:", // 18
  "  - check: every-event-final", // 19
];

function write(name: string, lines: readonly string[]): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

/** `lines` with line `at` (1-based) replaced by `replacement` (one or more lines). */
function edit(at: number, ...replacement: string[]): string[] {
  return [...VALID.slice(0, at - 1), ...replacement, ...VALID.slice(at)];
}

function simulate(...args: string[]): { status: number | null; stderr: string; stdout: string } {
  const result = spawnSync(process.execPath, [CLI, "simulate", ...args, "--report", join(dir, "reports")], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe("rebound simulate on bad scenario files", () => {
  it.each([
    {
      problem: "an unknown top-level key",
      lines: edit(3, "seed: 1", "retries: 3"),
      line: 4,
      says: [/unknown key "retries"/, /allowed keys: .*maxVirtualSeconds/],
    },
    {
      problem: "an unknown key in an event",
      lines: edit(8, "    at: 1s", "    delay: 5s"),
      line: 9,
      says: [/unknown key "delay"/, /allowed keys/],
    },
    {
      problem: "a queue the stack does not have",
      lines: edit(9, "    queue: paymnts"),
      line: 9,
      says: [/unknown queue "paymnts"/, /did you mean "payments"/, /known queues: .*payments-dlq/],
    },
    {
      problem: "a function the stack does not have",
      lines: [
        ...VALID.slice(0, 5),
        "  - id: r",
        "    kind: invoke",
        "    at: 1s",
        "    function: reciepts",
        "    payload: {}",
        ...VALID.slice(10),
      ],
      line: 9,
      says: [/unknown function "reciepts"/, /did you mean "receipts"/, /known functions: /],
    },
    {
      problem: "a negative time",
      lines: edit(8, "    at: -5s"),
      line: 8,
      says: [/events\[0\]\.at is "-5s"/, /negative times are impossible/],
    },
    {
      problem: "an error rate above 1",
      lines: edit(12, "  payment:", "    errorRate: 1.5"),
      line: 13,
      says: [/errorRate is 1\.5/, /between 0 and 1/],
    },
  ])("$problem exits 2 naming the file, line $line and the fix", ({ problem, lines, line, says }) => {
    const file = write(problem.replaceAll(" ", "-"), lines);
    const { status, stderr, stdout } = simulate(file);
    expect(status, stderr + stdout).toBe(2);
    expect(stderr).toMatch(new RegExp(`${problem.replaceAll(" ", "-")}\\.yaml:${line}:\\d+: `));
    for (const pattern of says) expect(stderr).toMatch(pattern);
  });

  it("an API request no route of the stack matches exits 2 naming the file, the event's line and the routes there are", () => {
    const file = write("no-route", [
      ...VALID.slice(0, 5),
      "  - id: r",
      "    kind: api",
      "    at: 1s",
      "    method: DELETE",
      "    path: /nowhere",
      ...VALID.slice(10),
    ]);
    const { status, stderr } = simulate(file);
    expect(status).toBe(2);
    expect(stderr).toMatch(/no-route\.yaml:6\b/);
    expect(stderr).toMatch(/no route of the stack's HTTP API matches DELETE \/nowhere/);
    expect(stderr).toMatch(/routes: .*POST \/orders/);
  });

  it("a --stack path that does not exist exits 2 naming the path", () => {
    const file = write("valid-for-stack", VALID);
    const missing = join(dir, "nowhere", "cdk.tf.json");
    const { status, stderr } = simulate(file, "--stack", missing);
    expect(status).toBe(2);
    expect(stderr).toContain(`--stack ${missing}: no such file`);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  it.each(["abc", "1.5", "12x"])("--seed %s exits 2 saying a seed is a whole number in range", (seed) => {
    const file = write("valid-for-seed", VALID);
    const { status, stderr } = simulate(file, "--seed", seed);
    expect(status).toBe(2);
    expect(stderr).toContain(`--seed ${seed}: a seed is a whole number from 0 to 4294967295`);
  });

  it("a valid scenario exits 0 and one whose expectation fails exits 1 naming it", () => {
    expect(simulate(write("valid", VALID)).status).toBe(0);
    const failing = write(
      "failing",
      edit(19, "  - check: requests", "    name: seven charges", "    downstream: payment", "    count: 7"),
    );
    const { status, stdout } = simulate(failing);
    expect(status).toBe(1);
    expect(stdout).toMatch(/✘ seven charges/);
    expect(stdout).toMatch(/0 request\(s\), expected = 7/);
    expect(stdout).toMatch(/0 of 1 scenarios met every expectation/);
  }, 60_000);
});
