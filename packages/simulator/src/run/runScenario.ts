import { dirname, join, resolve } from "node:path";
import type { TableWriteChange } from "../aws/DynamoDbProxy.js";
import { CodeWorkspace } from "../code/CodeWorkspace.js";
import type { RunResult } from "../report/RunResult.js";
import { checkScenarioAgainst } from "../scenario/checkScenarioAgainst.js";
import { expandEvents } from "../scenario/expandEvents.js";
import type { Scenario } from "../scenario/Scenario.js";
import { findDeployRejections } from "../terraform/deployRejections.js";
import type { LoadedStack } from "../terraform/loadStack.js";
import { StackReferences } from "../terraform/StackReferences.js";
import { TerraformJson } from "../terraform/TerraformJson.js";
import { Topology } from "../topology/Topology.js";
import { collectRunResult, rejectedRunResult } from "./collectRunResult.js";
import { calledDownstreams } from "./downstreamEnvironment.js";
import { injectEvents } from "./injectEvents.js";
import { prepareFunctionCode } from "./prepareFunctionCode.js";
import { providerRegion } from "./providerRegion.js";
import { queueRoles } from "./queueRoles.js";
import { startRunEnvironment } from "./RunEnvironment.js";
import { DEFAULT_STACK_PATH, SIMULATED_ACCOUNT_ID, VIRTUAL_START_MS } from "./runDefaults.js";
import { runtimeModules } from "./runtimeModules.js";
import { ShortNames } from "./ShortNames.js";
import { settleRestingMessages } from "./settleRestingMessages.js";
import { createStackTables, stackIdentity, wireStack } from "./wireStack.js";

/** Options of one scenario run. */
export interface RunScenarioOptions {
  /** The repository root: the default stack is `infra/cdktf.out/stacks/orders/cdk.tf.json` below it. */
  readonly repoRoot: string;
  /** Terraform JSON or plan JSON to run instead of the scenario's `stack` (or the synthesized orders stack). */
  readonly stackPath?: string;
  /** What `stackPath` must be: `stack` (.tf.json), `plan` (terraform show -json), or `either` (default, by content). */
  readonly stackKind?: "stack" | "plan" | "either";
  /** Overrides the scenario's seed (`--seed`). */
  readonly seed?: number;
  /** Receives every trace line (`--trace FILE`). */
  readonly traceSink?: (line: string) => void;
  readonly tracePath?: string;
  /** Called every few hundred steps with the virtual time covered, for a progress bar. */
  readonly onProgress?: (progress: {
    readonly virtualMs: number;
    readonly capMs: number;
    readonly steps: number;
    /** Invocations so far (every attempt of every event). */
    readonly attempts: number;
  }) => void;
  /** Wall clock for `wallMs` (injected so tests control it). Default `performance.now`. */
  readonly wallClock?: () => number;
}

/**
 * Runs one scenario end to end, in four steps: start the environment (dynalite, the local AWS
 * endpoints, the scripted downstreams), wire the stack (its topology, each function's real bundle or
 * scripted stand-in, its tables), inject the scenario's events on the virtual clock and run until idle
 * (or the cap), then collect the result and check the expectations. Everything started is closed
 * again, whatever happens.
 *
 * @example
 * ```ts
 * import { parseScenario, runScenario } from "@rebound/simulator";
 * const result = await runScenario(parseScenario(text, "scenarios/happy-path.yaml"), { repoRoot: "." });
 * console.log(result.expectations.every((expectation) => expectation.ok));
 * ```
 */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<RunResult> {
  const wallClock = options.wallClock ?? (() => performance.now());
  const wallStart = wallClock();
  const stackPath = resolve(
    options.stackPath ??
      (scenario.stack !== undefined
        ? join(dirname(scenario.file), scenario.stack)
        : join(options.repoRoot, DEFAULT_STACK_PATH)),
  );
  const tf = TerraformJson.load(
    stackPath,
    options.stackPath === undefined ? "either" : (options.stackKind ?? "either"),
  );
  const region = providerRegion(tf) ?? "eu-west-1";
  const seed = options.seed ?? scenario.seed;
  const topology = new Topology({
    seed,
    startMs: VIRTUAL_START_MS,
    region,
    accountId: SIMULATED_ACCOUNT_ID,
    ...(options.traceSink ? { trace: { sink: options.traceSink } } : {}),
  });
  // A write to a table with a stream becomes a stream record; one made by a scenario event is named
  // by that event's id.
  let stack: LoadedStack | undefined;
  const injectionKeys = new Map<string, string>();
  let pendingTableInjection: string | undefined;
  const onTableWrite = (change: TableWriteChange): void => {
    const table = stack?.tables.find((candidate) => candidate.tableName === change.tableName);
    const entry = table?.stream?.recordWrite({
      ...(change.oldImage ? { oldImage: change.oldImage as never } : {}),
      ...(change.newImage ? { newImage: change.newImage as never } : {}),
    });
    if (entry && pendingTableInjection !== undefined)
      injectionKeys.set(entry.sequenceNumber, pendingTableInjection);
  };
  const environment = await startRunEnvironment({
    scenario,
    tf,
    topology,
    region,
    seed,
    stack: () => stack,
    onTableWrite,
  });
  const workspace = new CodeWorkspace({ runtimeModules: runtimeModules() });
  try {
    const names = new ShortNames(tf);
    checkScenarioAgainst(scenario, names.forScenario(calledDownstreams(tf).all));
    // A scenario that expects AWS to refuse the stack checks the refusal instead of running; any
    // other scenario meets a refused stack as bad input (`loadStack` throws the rejections).
    if (scenario.expect.some((expectation) => expectation.check === "rejected")) {
      const rejections = findDeployRejections(
        tf,
        new StackReferences(tf, stackIdentity(environment, region)),
      );
      if (rejections.length > 0)
        return rejectedRunResult(
          { scenario, seed, stackPath, virtualStartMs: VIRTUAL_START_MS, wallMs: wallClock() - wallStart },
          rejections,
        );
    }
    const code = await prepareFunctionCode({ tf, scenario, names, workspace });
    const invocationPayloads = new Map<string, unknown>();
    stack = wireStack({ scenario, tf, topology, environment, names, region, code, invocationPayloads });
    const loaded = stack;
    await createStackTables(environment, loaded);
    injectEvents(expandEvents(scenario), {
      topology,
      stack: loaded,
      names,
      injectionKeys,
      endpointUrl: environment.endpoints.url,
      setPendingTable: (id) => {
        pendingTableInjection = id;
      },
    });
    const capMs = VIRTUAL_START_MS + (scenario.durationMs ?? scenario.maxVirtualMs);
    const stoppedBecause = await runToEnd(topology, scenario, capMs, options.onProgress);
    // Code that cannot load is bad input, not a simulated failure: report it instead of a result.
    const loadFailure = environment.host.loadFailure;
    if (loadFailure) throw loadFailure;
    settleRestingMessages(topology);
    return collectRunResult({
      scenario,
      seed,
      stackPath,
      topology,
      stack: loaded,
      names,
      injectionKeys,
      downstreams: environment.downstreams,
      queueRoles: queueRoles(tf, loaded, names),
      unscripted: environment.unscripted,
      virtualStartMs: VIRTUAL_START_MS,
      virtualCapMs: capMs,
      stoppedBecause,
      wallMs: wallClock() - wallStart,
      tracePath: options.tracePath,
      invocationPayloads,
    });
  } finally {
    await environment.close();
    workspace.close();
  }
}

/** Runs for the scenario's fixed duration, or until nothing is left to do or the cap is reached. */
async function runToEnd(
  topology: Topology,
  scenario: Scenario,
  capMs: number,
  onProgress: RunScenarioOptions["onProgress"],
): Promise<RunResult["stoppedBecause"]> {
  const simulation = topology.simulation;
  const progress = () =>
    onProgress?.({
      virtualMs: simulation.now() - VIRTUAL_START_MS,
      capMs: capMs - VIRTUAL_START_MS,
      steps: simulation.steps,
      attempts: topology.outcomes.counts().attempts,
    });
  let stoppedBecause: RunResult["stoppedBecause"];
  if (scenario.durationMs !== undefined) {
    await simulation.runUntilAsync(capMs);
    stoppedBecause = "duration";
  } else {
    stoppedBecause =
      (await simulation.runUntilIdleOrCapAsync(capMs, progress, 200)) === "idle" ? "idle" : "cap";
  }
  progress();
  return stoppedBecause;
}
