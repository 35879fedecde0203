import { createWriteStream, existsSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { formatSummary } from "../report/formatSummary.js";
import { ProgressBar } from "../report/ProgressBar.js";
import type { RunResult } from "../report/RunResult.js";
import { terminalText } from "../report/terminalText.js";
import { calledDownstreams } from "../run/downstreamEnvironment.js";
import { DEFAULT_STACK_PATH } from "../run/runDefaults.js";
import { ShortNames } from "../run/ShortNames.js";
import { checkScenarioAgainst } from "../scenario/checkScenarioAgainst.js";
import { parseScenario } from "../scenario/parseScenario.js";
import type { Scenario } from "../scenario/Scenario.js";
import { ScenarioError } from "../scenario/ScenarioError.js";
import type { TerraformFileKind, TerraformJson } from "../terraform/TerraformJson.js";
import { captureOutput } from "./captureOutput.js";
import { parseSeed } from "./commandLine.js";
import { ExitCode, type ExitCodeValue, InputError } from "./exitCodes.js";
import { limitHeapGrowthForLongRuns } from "./heapGrowthForLongRuns.js";
import { MAX_SCENARIO_BYTES, readInputText } from "./inputFiles.js";
import { checkOutputFile, prepareOutputFolder } from "./outputFolders.js";
import { findRepoRoot, shellArgument } from "./repoRoot.js";
import { safeFileNames } from "./safeFileName.js";
import { withScenarioPayloads } from "./scenarioPayloads.js";
import { checkStackLoads, readStack, type StackChoice, stackChoice } from "./stackInput.js";

/** The flags `rebound simulate` takes (see `COMMANDS.simulate`). */
export interface SimulateFlags {
  readonly stack?: string;
  readonly plan?: string;
  readonly seed?: string;
  readonly json?: boolean;
  readonly trace?: string;
  readonly report?: string;
  readonly logs?: string;
  readonly key?: string;
}

/** One scenario ready to run: parsed, checked against its stack, with its output file names. */
interface Planned {
  readonly scenario: Scenario;
  readonly stackPath: string;
  readonly stackKind: TerraformFileKind;
  readonly fileName: string;
}

/**
 * `rebound simulate`: checks every input first (flags, output folders, every scenario file, every
 * stack, every name) and reports every problem at once as an `InputError` before running anything;
 * then runs each scenario, prints its summary, and writes its report, log and trace only inside the
 * folders the flags name (file names come from `safeFileNames`, never from a raw scenario name).
 *
 * @example
 * ```ts
 * process.exitCode = await simulateCommand(["scenarios/happy-path.yaml"], { seed: "7" });
 * ```
 */
export async function simulateCommand(
  files: readonly string[],
  flags: SimulateFlags,
): Promise<ExitCodeValue> {
  const root = findRepoRoot();
  const seed = flags.seed === undefined ? undefined : parseSeed(flags.seed);
  const choice = stackChoice(root, flags);
  const explicitStack = choice.explicit ? choice : undefined;
  const reportDir = resolve(flags.report ?? join(root, ".rebound", "reports"));
  const logDir = resolve(flags.logs ?? join(root, ".rebound", "logs"));
  prepareOutputFolder("--report", reportDir, flags.report !== undefined);
  prepareOutputFolder("--logs", logDir, flags.logs !== undefined);
  if (flags.trace !== undefined) checkOutputFile("--trace", resolve(flags.trace));

  // A wrong --stack/--plan is named before the scenarios are looked for: it is the likelier mistake.
  const stacks = new Map<string, TerraformJson>();
  const refusals = new Map<string, string[]>();
  if (explicitStack !== undefined) {
    const tf = readStack(explicitStack.path, explicitStack.what, explicitStack.kind);
    // Refusals are judged per scenario: one that expects them runs against this stack.
    refusals.set(explicitStack.path, checkStackLoads(tf, explicitStack.path, { acceptRejections: true }));
    stacks.set(explicitStack.path, tf);
  }
  const planned = plan(root, files, explicitStack, stacks, refusals);
  // Loaded after every input check: the run pulls in the endpoints, dynalite and the host, and a
  // rejected input should be answered at once.
  const { runScenario } = await import("../run/runScenario.js");
  const { renderHtmlReport } = await import("../report/renderHtmlReport.js");
  limitHeapGrowthForLongRuns();

  const results: RunResult[] = [];
  for (const { scenario, stackPath, stackKind, fileName } of planned) {
    const tracePath =
      flags.trace === undefined
        ? undefined
        : planned.length === 1
          ? resolve(flags.trace)
          : `${resolve(flags.trace)}.${fileName}`;
    const trace = tracePath === undefined ? undefined : createWriteStream(tracePath);
    const logPath = join(logDir, `${fileName}.log`);
    const log = createWriteStream(logPath);
    const output = captureOutput((text) => log.write(text));
    const bar = new ProgressBar({
      enabled: !flags.json,
      label: terminalText(scenario.name, 40),
      stream: output.terminal,
    });
    try {
      const result = await runScenario(scenario, {
        repoRoot: root,
        stackPath,
        stackKind,
        ...(seed !== undefined ? { seed } : {}),
        ...(trace ? { traceSink: (line: string) => trace.write(`${line}\n`), tracePath } : {}),
        onProgress: ({ virtualMs, capMs, steps, attempts }) =>
          bar.update({ virtualMs, capMs, eventsProcessed: steps, attempts }),
      });
      bar.finish();
      output.restore();
      const reportPath = join(reportDir, `${fileName}.html`);
      const withReport: RunResult = {
        ...result,
        reportPath,
        reproduce: reproduceCommand(root, scenario, result.seed, explicitStack),
      };
      writeFileSync(
        reportPath,
        flags.key === undefined
          ? renderHtmlReport(withReport)
          : renderHtmlReport(withScenarioPayloads(withReport, scenario), { businessKey: flags.key }),
      );
      results.push(withReport);
      if (!flags.json)
        console.log(`${formatSummary(withReport)}\nFunction logs: ${relative(process.cwd(), logPath)}\n`);
    } finally {
      bar.finish();
      output.restore();
      await new Promise((done) => log.end(done));
      if (trace) await new Promise((done) => trace.end(done));
    }
  }
  const failed = results.filter((result) => result.expectations.some((expectation) => !expectation.ok));
  if (flags.json) {
    console.log(JSON.stringify(results, null, 2));
  } else {
    console.log(
      `${results.length - failed.length} of ${results.length} scenarios met every expectation; reports in ${relative(process.cwd(), reportDir) || "."}`,
    );
    for (const result of failed)
      console.log(`  ✘ ${terminalText(result.scenario.name, 100)}: reproduce with ${result.reproduce}`);
  }
  return failed.length > 0 ? ExitCode.ExpectationFailed : ExitCode.Ok;
}

/**
 * Parses every scenario and checks it against its stack before any run (a typo in the fifth file
 * should not wait for four runs), collecting every problem of every file into one `InputError`.
 */
function plan(
  root: string,
  files: readonly string[],
  explicitStack: StackChoice | undefined,
  stacks: Map<string, TerraformJson>,
  refusalsByStack: Map<string, string[]>,
): Planned[] {
  const problems: string[] = [];
  const scenarios: Scenario[] = [];
  const expectsRefusal = (scenario: Scenario) =>
    scenario.expect.some((expectation) => expectation.check === "rejected");
  for (const path of scenarioFiles(root, files)) {
    try {
      const text = readInputText(path, "scenario file", MAX_SCENARIO_BYTES);
      scenarios.push(parseScenario(text, relative(process.cwd(), path) || path));
    } catch (error) {
      problems.push(...problemLines(error));
    }
  }
  // A --stack AWS would refuse is named first (the likelier mistake), unless a scenario is there to show it.
  const explicitRefusals = explicitStack === undefined ? [] : (refusalsByStack.get(explicitStack.path) ?? []);
  if (explicitRefusals.length > 0 && !scenarios.some(expectsRefusal))
    problems.unshift(...explicitRefusals.map((line) => `${explicitStack!.path}: ${line}`));
  const planned: Planned[] = [];
  const fileNames = safeFileNames(scenarios.map((scenario) => scenario.name));
  scenarios.forEach((scenario, index) => {
    const stackPath =
      explicitStack?.path ??
      (scenario.stack !== undefined
        ? resolve(dirname(scenario.file), scenario.stack)
        : join(root, DEFAULT_STACK_PATH));
    const stackKind = explicitStack?.kind ?? "either";
    const what =
      explicitStack !== undefined
        ? explicitStack.what
        : scenario.stack !== undefined
          ? `stack of ${scenario.file}`
          : "stack";
    try {
      let tf = stacks.get(stackPath);
      if (tf === undefined) {
        if (explicitStack === undefined && scenario.stack === undefined && !existsSync(stackPath))
          throw new InputError([
            `no synthesized stack at ${stackPath}; run \`pnpm build && pnpm synth\` first, or pass --stack FILE`,
          ]);
        tf = readStack(stackPath, what, stackKind);
        stacks.set(stackPath, tf);
      }
      let refusals = refusalsByStack.get(stackPath);
      if (refusals === undefined) {
        refusals = checkStackLoads(tf, stackPath, { acceptRejections: true });
        refusalsByStack.set(stackPath, refusals);
      }
      // A stack AWS would refuse is bad input, unless the scenario is there to show the refusal.
      if (refusals.length > 0 && !expectsRefusal(scenario))
        throw new InputError(refusals.map((line) => `${stackPath}: ${line}`));
      checkScenarioAgainst(scenario, new ShortNames(tf).forScenario(calledDownstreams(tf).all));
      planned.push({ scenario, stackPath, stackKind, fileName: fileNames[index] ?? "scenario" });
    } catch (error) {
      problems.push(...problemLines(error));
    }
  });
  // One problem per line, each once: scenarios sharing a broken stack would repeat it.
  if (problems.length > 0) throw new InputError([...new Set(problems)]);
  return planned;
}

function problemLines(error: unknown): string[] {
  if (error instanceof ScenarioError)
    return error.issues.map((issue) => `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`);
  if (error instanceof InputError) return [...error.problems];
  throw error;
}

function scenarioFiles(root: string, given: readonly string[]): string[] {
  if (given.length > 0) return given.map((file) => resolve(file));
  const dir = join(root, "scenarios");
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new InputError([`no scenarios given and no ${dir} folder; pass SCENARIO.yaml files`]);
  }
  return names
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => join(dir, file));
}

/** The command that runs this scenario again exactly, as run from the repository root. */
function reproduceCommand(
  root: string,
  scenario: Scenario,
  seed: number,
  stack: StackChoice | undefined,
): string {
  const file = relative(root, resolve(scenario.file));
  return [
    "pnpm rebound simulate",
    shellArgument(file),
    "--seed",
    String(seed),
    ...(stack !== undefined ? [stack.what, shellArgument(relative(root, stack.path))] : []),
  ].join(" ");
}
