#!/usr/bin/env node
// Publishes every public package whose version is not on npm yet, from the release workflow. Each is
// packed with `pnpm pack` (workspace: specifiers rewritten to versions), checked like the consumer
// test checks it, and that same tarball is published with `npm publish --provenance`: npm's trusted
// publishing exchanges the workflow's OIDC token for a short-lived publish token, so no npm token is
// stored anywhere. Packages are published in dependency order (@rebound/errors before
// @rebound/idempotency), so a dependent never points at a version that is not there yet.
//
// Usage: node scripts/publish-packages.mjs [--dry-run]
//   --dry-run  packs and checks everything and runs `npm publish --dry-run`; publishes nothing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pnpmCommand } from "./lib/pnpm.mjs";
import { checkTarball, publicPackages } from "./lib/publishedForm.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dryRun = process.argv.includes("--dry-run");
const work = mkdtempSync(join(tmpdir(), "rebound-publish-"));
const [pnpm, pnpmPrefix] = pnpmCommand(root);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", ...options });
  return { status: result.status ?? 1, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

function fail(message) {
  console.error(`release FAILED: ${message}`);
  process.exit(1);
}

// Dependencies first: a package comes after every public package it depends on.
function inDependencyOrder(packages) {
  const names = new Set(packages.map((p) => p.name));
  const ordered = [];
  const visit = (pkg, path) => {
    if (ordered.includes(pkg)) return;
    if (path.includes(pkg.name)) fail(`dependency cycle: ${[...path, pkg.name].join(" -> ")}`);
    for (const dep of Object.keys(pkg.manifest.dependencies ?? {})) {
      if (names.has(dep))
        visit(
          packages.find((p) => p.name === dep),
          [...path, pkg.name],
        );
    }
    ordered.push(pkg);
  };
  for (const pkg of packages) visit(pkg, []);
  return ordered;
}

// npm provenance links the package to the repository it was built from and rejects a package.json
// whose repository.url names another one.
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by GitHub Actions for the release job, never read in a turbo task
const repository = process.env.GITHUB_REPOSITORY;
const packages = inDependencyOrder(publicPackages(root));
for (const pkg of packages) {
  const url = pkg.manifest.repository?.url ?? "";
  if (repository && !url.replace(/\.git$/, "").endsWith(`github.com/${repository}`)) {
    fail(
      `${pkg.name}: repository.url is "${url}" but this workflow runs in ${repository}; set it to "git+https://github.com/${repository}.git" in ${pkg.dir}/package.json`,
    );
  }
}

let published = 0;
for (const pkg of packages) {
  const id = `${pkg.name}@${pkg.version}`;
  const view = run("npm", ["view", id, "version"]);
  if (view.status === 0 && view.output.trim() === pkg.version) {
    console.log(`${id} is already on npm; skipped`);
    continue;
  }
  if (view.status !== 0 && !/E404|404 Not Found/.test(view.output)) {
    fail(`could not ask npm whether ${id} exists:\n${view.output}`);
  }
  const packed = run(pnpm, [...pnpmPrefix, "pack", "--pack-destination", work], { cwd: pkg.dir });
  if (packed.status !== 0) fail(`pnpm pack of ${pkg.name} failed:\n${packed.output}`);
  const tarball = readdirSync(work).find(
    (f) => f.endsWith(`-${pkg.version}.tgz`) && f.includes(pkg.name.slice(1).replace("/", "-")),
  );
  if (!tarball) fail(`pnpm pack wrote no tarball for ${id}`);
  const problems = checkTarball(join(work, tarball), join(work, "unpacked", pkg.name));
  if (problems.length) fail(`${id} is not publishable:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  const args = [
    "publish",
    join(work, tarball),
    "--access",
    "public",
    "--provenance",
    ...(dryRun ? ["--dry-run"] : []),
  ];
  console.log(`npm ${args.join(" ")}`);
  const result = spawnSync("npm", args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) fail(`npm publish of ${id} exited with ${result.status}`);
  published++;
}
console.log(`${dryRun ? "would publish" : "published"} ${published} package(s)`);
