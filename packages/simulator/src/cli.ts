#!/usr/bin/env node
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { SimulatorError } from "./errors.js";
import { explainStack, formatPolicies } from "./explain.js";
import { TerraformJson } from "./terraform/TerraformJson.js";

const USAGE = `Usage: rebound <command> [options]

Commands:
  explain [--stack FILE]    every function's retry policy in plain words, from the synthesized stack
  simulate [--stack FILE]   replay the stack under AWS's retry rules (the default scenarios)

Options:
  --stack FILE   Terraform JSON to read (default: infra/cdktf.out/stacks/orders/cdk.tf.json)
  -h, --help     this help`;

const DEFAULT_STACK = "infra/cdktf.out/stacks/orders/cdk.tf.json";

function findStack(explicit: string | undefined): string {
  if (explicit) return resolve(explicit);
  // Run from the repository root or from any package folder below it.
  for (const prefix of ["", "../", "../../"]) {
    const candidate = resolve(prefix + DEFAULT_STACK);
    if (existsSync(candidate)) return candidate;
  }
  throw new SimulatorError(
    `no synthesized stack found at ${DEFAULT_STACK}; run \`pnpm synth\` or pass --stack FILE`,
  );
}

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { stack: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const command = positionals[0];
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (command !== "explain" && command !== "simulate") {
    console.error(`unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  const stackPath = findStack(values.stack);
  const policies = explainStack(TerraformJson.load(stackPath));
  console.log(`Retry policy of ${stackPath}\n`);
  console.log(formatPolicies(policies));
  if (command === "simulate") {
    console.log(
      "\nThe simulation of scenarios is not built yet (issue 8); this run explained the stack's retry policy.",
    );
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof SimulatorError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    console.error(`rebound: ${(error as Error).message}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
