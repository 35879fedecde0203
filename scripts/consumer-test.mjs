#!/usr/bin/env node
// The consumer test: proves the public packages work the way another team will get them. It packs
// every public package with `pnpm pack` (the form `pnpm publish` uploads: workspace: specifiers
// rewritten), checks each tarball (no workspace: specifier, every exported, imported, mapped and bin
// file present, every bare import declared), installs the tarballs with plain npm into a temporary
// project outside the workspace, compiles a strict TypeScript handler against their published types,
// runs it (SQS partial batch, HTTP, idempotency in memory and on DynamoDB through dynalite) and runs
// the `rebound` CLI from that project on a small hand-written stack.
//
// Usage: node scripts/consumer-test.mjs [--keep]   (--keep leaves the temporary project for a look)
// Exits 1 with "consumer test FAILED at <step>: <what>" and the command's output on any failure.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { pnpmCommand } from "./lib/pnpm.mjs";
import { checkTarball, publicPackages } from "./lib/publishedForm.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const keep = process.argv.includes("--keep");
const fixtures = join(root, "scripts", "consumer");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", DO_NOT_TRACK: "1" };
// What the consumer installs from the registry besides the tarballs, pinned like the workspace's.
const REGISTRY_DEPENDENCIES = {
  "@aws-sdk/client-dynamodb": "3.1162.0",
  "@aws-sdk/client-sqs": "3.1162.0",
  dynalite: "4.0.0",
};
const REGISTRY_DEV_DEPENDENCIES = { typescript: "5.9.3", "@types/node": "20.19.43" };

class StepFailure extends Error {
  constructor(message, output = "") {
    super(message);
    this.output = output;
  }
}

const started = Date.now();
let current = "setup";
async function step(name, body) {
  current = name;
  const t0 = Date.now();
  process.stdout.write(`-- ${name}\n`);
  const result = await body();
  console.log(`   ok (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return result;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, env, encoding: "utf8", ...options });
  if (result.error) throw new StepFailure(`${command} could not start: ${result.error.message}`);
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.status !== 0) {
    throw new StepFailure(`\`${[command, ...args].join(" ")}\` exited with ${result.status}`, output);
  }
  return output;
}

// The consumer project lives in the OS temp directory: outside the workspace, so no pnpm workspace
// file, no hoisted node_modules and no tsconfig of ours can make a broken package look fine.
const work = mkdtempSync(join(tmpdir(), "rebound-consumer-"));
if (!relative(root, work).startsWith("..")) {
  console.error(
    `consumer test: the temporary directory ${work} is inside the workspace; set TMPDIR elsewhere`,
  );
  process.exit(1);
}
const tarballs = join(work, "tarballs");
const [pnpm, pnpmPrefix] = pnpmCommand(root, env);
const project = join(work, "project");

try {
  const packages = publicPackages(root);

  await step(`build ${packages.map((p) => p.name).join(", ")}`, () =>
    run(pnpm, [
      ...pnpmPrefix,
      "exec",
      "turbo",
      "run",
      "build",
      ...packages.flatMap((p) => ["--filter", p.name]),
      "--output-logs=errors-only",
    ]),
  );

  const packed = await step("pack with pnpm pack (the published form)", () => {
    mkdirSync(tarballs, { recursive: true });
    return packages.map((pkg) => {
      const before = new Set(readdirSync(tarballs));
      run(pnpm, [...pnpmPrefix, "pack", "--pack-destination", tarballs], { cwd: pkg.dir });
      const file = readdirSync(tarballs).find((f) => !before.has(f) && f.endsWith(".tgz"));
      if (!file) throw new StepFailure(`pnpm pack wrote no tarball for ${pkg.name}`);
      return { ...pkg, tarball: join(tarballs, file) };
    });
  });

  await step("check each tarball: specifiers, files, exports, imports, types", () => {
    const problems = packed.flatMap((pkg) =>
      checkTarball(pkg.tarball, join(work, "unpacked", pkg.name)).map((p) => `${pkg.name}: ${p}`),
    );
    if (problems.length)
      throw new StepFailure(`${problems.length} problem(s) in the published form`, problems.join("\n"));
  });

  await step("install the tarballs with npm in a project outside the workspace", () => {
    mkdirSync(project, { recursive: true });
    const dependencies = { ...REGISTRY_DEPENDENCIES };
    for (const pkg of packed) dependencies[pkg.name] = `file:${pkg.tarball}`;
    writeFileSync(
      join(project, "package.json"),
      `${JSON.stringify(
        {
          name: "rebound-consumer",
          private: true,
          type: "module",
          dependencies,
          devDependencies: REGISTRY_DEV_DEPENDENCIES,
        },
        null,
        2,
      )}\n`,
    );
    for (const file of readdirSync(fixtures, { recursive: true })) {
      const from = join(fixtures, file);
      if (!statSync(from).isFile()) continue;
      mkdirSync(dirname(join(project, file)), { recursive: true });
      writeFileSync(join(project, file), readFileSync(from));
    }
    run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: project });
    for (const pkg of packed) {
      const installed = JSON.parse(
        readFileSync(join(project, "node_modules", pkg.name, "package.json"), "utf8"),
      );
      if (installed.version !== pkg.version) {
        throw new StepFailure(`${pkg.name} installed as ${installed.version}, packed ${pkg.version}`);
      }
    }
  });

  await step("compile the strict TypeScript handlers against the published types", () =>
    run(process.execPath, [join(project, "node_modules", "typescript", "bin", "tsc"), "-p", "."], {
      cwd: project,
    }),
  );

  await step("run the handlers (SQS partial batch, HTTP, idempotency in memory and on dynalite)", () => {
    const output = run(process.execPath, ["dist/main.js"], { cwd: project });
    process.stdout.write(output.replace(/^/gm, "   "));
  });

  const rebound = join(project, "node_modules", ".bin", "rebound");
  await step("rebound explain --stack stack.tf.json", () => {
    const output = run(rebound, ["explain", "--stack", "stack.tf.json"], { cwd: project });
    if (!/worker/.test(output))
      throw new StepFailure("explain did not describe the function `worker`", output);
  });

  await step("rebound simulate --stack stack.tf.json what-if.yaml", () => {
    const output = run(rebound, ["simulate", "--stack", "stack.tf.json", "what-if.yaml"], { cwd: project });
    if (!/dead-letter/i.test(output))
      throw new StepFailure("simulate did not report the dead-lettered message", output);
  });

  console.log(`consumer test passed in ${((Date.now() - started) / 1000).toFixed(1)} s (${resolve(work)})`);
} catch (error) {
  console.error(`\nconsumer test FAILED at "${current}": ${error.message}`);
  if (error.output) console.error(error.output.trimEnd().split("\n").slice(-80).join("\n"));
  if (!(error instanceof StepFailure)) console.error(error.stack);
  console.error(`(the temporary project is kept at ${work})`);
  process.exit(1);
}
if (!keep) rmSync(work, { recursive: true, force: true });
