#!/usr/bin/env node
// One entry point for the README's two commands on a fresh machine: it checks Node, makes sure the
// pinned pnpm is available (through npm, because corepack fails on these machines), installs the
// workspace from the lockfile and then hands over to turbo. Written in plain ES2020 so that an old
// Node can still parse it far enough to print the version message instead of a syntax error.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const MINIMUM_NODE_MAJOR = 20;
// What Lambda runs (nodejs22.x) and what AWS SDK releases from January 2027 require.
const RECOMMENDED_NODE_MAJOR = 22;
const PNPM_VERSION = "12.4.2";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const major = Number(process.versions.node.split(".")[0]);
if (major < MINIMUM_NODE_MAJOR) {
  console.error(
    `Rebound needs Node ${MINIMUM_NODE_MAJOR} or newer; this is Node ${process.versions.node}.\n` +
      "Install Node 20 LTS or newer (https://nodejs.org or your version manager) and run the command again.",
  );
  process.exit(1);
}

// The one place the Node advice is printed: the tests silence the AWS SDK's own copy of it, which
// it would otherwise print once per test worker.
if (major < RECOMMENDED_NODE_MAJOR) {
  console.log(
    `Note: Node ${process.versions.node} is supported but past its end of life; Node ${RECOMMENDED_NODE_MAJOR} is recommended (Lambda runs nodejs${RECOMMENDED_NODE_MAJOR}.x, and AWS SDK releases from January 2027 need it).`,
  );
}

// Both tools phone home by default and this project must run with no network beyond npm.
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", DO_NOT_TRACK: "1" };

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit", ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function runOrExit(command, args) {
  const status = run(command, args);
  if (status !== 0) process.exit(status);
}

function pnpmCommand() {
  const probe = spawnSync("pnpm", ["--version"], { cwd: root, env, encoding: "utf8" });
  if (!probe.error && probe.status === 0 && probe.stdout.trim() === PNPM_VERSION) return ["pnpm", []];
  // npx caches the pinned pnpm per user, so no global install (and no sudo) is needed.
  return ["npx", ["--yes", `pnpm@${PNPM_VERSION}`]];
}

const [pnpm, pnpmPrefix] = pnpmCommand();
const pnpmRun = (...args) => runOrExit(pnpm, [...pnpmPrefix, ...args]);

const task = process.argv[2];
const rest = process.argv.slice(3);
const tasks = {
  // The main job: build the handlers, synthesize the stack, then run the simulator on it.
  start() {
    pnpmRun("install", "--frozen-lockfile");
    pnpmRun("exec", "turbo", "run", "build", "synth", "--output-logs=errors-only");
    runOrExit(process.execPath, [join(root, "packages/simulator/dist/cli.js"), "simulate", ...rest]);
  },
  // Every test of every package; turbo builds what the tests depend on first.
  test() {
    pnpmRun("install", "--frozen-lockfile");
    pnpmRun("exec", "turbo", "run", "test", ...rest);
  },
};

const chosen = tasks[task];
if (!chosen) {
  console.error(`Unknown task "${task}". Use one of: ${Object.keys(tasks).join(", ")}.`);
  process.exit(2);
}
chosen();
