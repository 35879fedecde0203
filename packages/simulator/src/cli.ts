#!/usr/bin/env node
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { SimulatorError } from "./engine/errors.js";
import { explainStack, formatPolicies } from "./report/explain.js";
import { formatSummary } from "./report/formatSummary.js";
import { ProgressBar } from "./report/ProgressBar.js";
import type { RunResult } from "./report/RunResult.js";
import { renderHtmlReport } from "./report/renderHtmlReport.js";
import { DEFAULT_STACK_PATH } from "./run/runDefaults.js";
import { runScenario } from "./run/runScenario.js";
import { ShortNames } from "./run/ShortNames.js";
import { starterScenario } from "./run/starterScenario.js";
import { checkScenarioAgainst } from "./scenario/checkScenarioAgainst.js";
import { parseScenario } from "./scenario/parseScenario.js";
import { ScenarioError } from "./scenario/ScenarioError.js";
import { TerraformJson } from "./terraform/TerraformJson.js";

const USAGE = `Usage: rebound <command> [options]

Commands:
  simulate [SCENARIO.yaml ...]  replay the stack under AWS's retry rules; default: every scenarios/*.yaml
  explain                       every function's retry policy in plain words, from the synthesized stack
  init [--out FILE]             write a starter scenario for the stack: one event per trigger, every
                                event final, nothing dead-lettered (default FILE: scenarios/starter.yaml)

Options:
  --stack FILE     Terraform JSON to read (default: infra/cdktf.out/stacks/orders/cdk.tf.json)
  --plan FILE      a plan's JSON instead (HCL projects): terraform plan -out plan.tfplan &&
                   terraform show -json plan.tfplan > plan.json
  --seed N         seed of every random choice (default: each scenario's own)
  --json           print the results as JSON (no progress bar, no summary)
  --trace FILE     write the trace, one line per simulated event (several scenarios: FILE.<name>)
  --report DIR     where the HTML reports go (default: .rebound/reports)
  -h, --help       this help

Exit status: 0 when every expectation holds, 1 when one fails, 2 for bad input.`;

/** The repository the command runs in: the nearest folder above with `apps/` and `infra/`, else cwd. */
function findRepoRoot(): string {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "apps")) && existsSync(join(dir, "infra"))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

function stackPath(root: string, explicit: string | undefined, flag = "--stack"): string {
  const path = explicit ? resolve(explicit) : join(root, DEFAULT_STACK_PATH);
  if (!existsSync(path)) {
    throw new SimulatorError(
      explicit
        ? `${flag} ${explicit}: no such file (${path})`
        : `no synthesized stack at ${path}; run \`pnpm build && pnpm synth\` first, or pass --stack FILE`,
    );
  }
  return path;
}

function scenarioFiles(root: string, given: readonly string[]): string[] {
  if (given.length > 0) return given.map((file) => resolve(file));
  const dir = join(root, "scenarios");
  if (!existsSync(dir)) throw new SimulatorError(`no scenarios given and no ${dir} folder`);
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => join(dir, file));
}

async function simulate(
  values: { stack?: string; plan?: string; seed?: string; json?: boolean; trace?: string; report?: string },
  files: readonly string[],
): Promise<number> {
  const root = findRepoRoot();
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isSafeInteger(seed)) {
    throw new SimulatorError(`--seed must be a whole number, got ${values.seed}`);
  }
  const stackKind = stackKindOf(values);
  const explicitStack =
    values.plan !== undefined
      ? stackPath(root, values.plan, "--plan")
      : values.stack === undefined
        ? undefined
        : stackPath(root, values.stack);
  // A wrong file is named before anything else is read.
  if (explicitStack) TerraformJson.load(explicitStack, stackKind);
  const reportDir = resolve(values.report ?? join(root, ".rebound", "reports"));
  mkdirSync(reportDir, { recursive: true });
  const paths = scenarioFiles(root, files);
  // Parse every file first: a typo in the fifth scenario should not wait for four runs.
  const scenarios = paths.map((path) => parseScenario(readFileSync(path, "utf8"), relative(root, path)));
  if (!explicitStack && scenarios.some((scenario) => scenario.stack === undefined))
    stackPath(root, undefined);
  // Check every scenario's names against its stack before running any, for the same reason.
  for (const scenario of scenarios) {
    const path =
      explicitStack ??
      (scenario.stack !== undefined
        ? resolve(root, dirname(scenario.file), scenario.stack)
        : join(root, DEFAULT_STACK_PATH));
    checkScenarioAgainst(
      scenario,
      new ShortNames(TerraformJson.load(path, explicitStack ? stackKind : "either")).forScenario(
        Object.keys(scenario.downstreams),
      ),
    );
  }

  const logDir = join(root, ".rebound", "logs");
  mkdirSync(logDir, { recursive: true });
  const results: RunResult[] = [];
  for (const scenario of scenarios) {
    const tracePath =
      values.trace === undefined
        ? undefined
        : scenarios.length === 1
          ? values.trace
          : `${values.trace}.${scenario.name}`;
    const trace = tracePath === undefined ? undefined : createWriteStream(tracePath);
    // Handlers log as they would in Lambda; their lines go to a log file per scenario, so they
    // neither interleave with the summary nor break --json.
    const logPath = join(logDir, `${scenario.name}.log`);
    const log = createWriteStream(logPath);
    const output = captureOutput((text) => log.write(text));
    const bar = new ProgressBar({ enabled: !values.json, label: scenario.name, stream: output.terminal });
    try {
      const result = await runScenario(scenario, {
        repoRoot: root,
        ...(explicitStack ? { stackPath: explicitStack, stackKind } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(trace ? { traceSink: (line: string) => trace.write(`${line}\n`), tracePath } : {}),
        onProgress: ({ virtualMs, capMs, steps }) => bar.update({ virtualMs, capMs, eventsProcessed: steps }),
      });
      bar.finish();
      output.restore();
      const reportPath = join(reportDir, `${scenario.name}.html`);
      const withReport = { ...result, reportPath };
      writeFileSync(reportPath, renderHtmlReport(withReport));
      results.push(withReport);
      if (!values.json)
        console.log(`${formatSummary(withReport)}\nFunction logs: ${relative(process.cwd(), logPath)}\n`);
    } finally {
      bar.finish();
      output.restore();
      await new Promise((done) => log.end(done));
      if (trace) await new Promise((done) => trace.end(done));
    }
  }
  const failed = results.filter((result) => result.expectations.some((expectation) => !expectation.ok));
  if (values.json) {
    console.log(JSON.stringify(results, null, 2));
  } else {
    console.log(
      `${results.length - failed.length} of ${results.length} scenarios met every expectation; reports in ${relative(process.cwd(), reportDir) || "."}`,
    );
    for (const result of failed)
      console.log(`  ✘ ${result.scenario.name}: reproduce with ${result.reproduce}`);
  }
  return failed.length > 0 ? 1 : 0;
}

/** Sends everything written to stdout and stderr to `sink` until `restore`; `terminal` still reaches stdout. */
function captureOutput(sink: (text: string) => void): {
  readonly terminal: { isTTY: boolean; columns: number; write(text: string): boolean };
  restore(): void;
} {
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const capture = ((chunk: string | Uint8Array) => {
    sink(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  let restored = false;
  return {
    terminal: {
      isTTY: process.stdout.isTTY === true,
      columns: process.stdout.columns ?? 100,
      write: (text: string) => stdoutWrite.call(process.stdout, text),
    },
    restore() {
      if (restored) return;
      restored = true;
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stack: { type: "string" },
      plan: { type: "string" },
      out: { type: "string" },
      seed: { type: "string" },
      json: { type: "boolean" },
      trace: { type: "string" },
      report: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (command === "explain") {
    const path = stackPath(findRepoRoot(), values.plan ?? values.stack, values.plan ? "--plan" : "--stack");
    console.log(`Retry policy of ${path}\n`);
    console.log(formatPolicies(explainStack(TerraformJson.load(path, stackKindOf(values)))));
    return 0;
  }
  if (command === "init") {
    const root = findRepoRoot();
    const path = stackPath(root, values.plan ?? values.stack, values.plan ? "--plan" : "--stack");
    const out = resolve(values.out ?? join(root, "scenarios", "starter.yaml"));
    if (existsSync(out))
      throw new SimulatorError(`--out ${out} exists already; choose another file or remove it`);
    const tf = TerraformJson.load(path, stackKindOf(values));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, starterScenario(tf, { stackPath: path, scenarioPath: out }));
    console.log(
      `wrote ${relative(process.cwd(), out)}; run it with: rebound simulate ${relative(process.cwd(), out)}`,
    );
    return 0;
  }
  if (command === "simulate") return simulate(values, rest);
  console.error(command === undefined ? USAGE : `unknown command "${command}"\n\n${USAGE}`);
  return 2;
}

/** `--plan` reads a plan JSON only, `--stack` a Terraform JSON only. */
function stackKindOf(values: { stack?: string; plan?: string }): "stack" | "plan" | "either" {
  if (values.plan !== undefined && values.stack !== undefined)
    throw new SimulatorError("--stack and --plan name the same thing; pass one of them");
  return values.plan !== undefined ? "plan" : values.stack !== undefined ? "stack" : "either";
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof SimulatorError ||
      error instanceof ScenarioError ||
      (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
    ) {
      console.error(`rebound: ${(error as Error).message}`);
      process.exitCode = 2;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
