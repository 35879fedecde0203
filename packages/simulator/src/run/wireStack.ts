import { bundleHandler } from "../host/bundleHandler.js";
import type { LambdaHandler } from "../lambda/LambdaContext.js";
import type { Script } from "../lambda/Script.js";
import type { Scenario } from "../scenario/Scenario.js";
import { type LoadedStack, loadStack, type StackFunction } from "../terraform/loadStack.js";
import type { StackIdentity } from "../terraform/StackReferences.js";
import type { TerraformJson } from "../terraform/TerraformJson.js";
import type { Topology } from "../topology/Topology.js";
import { withDownstreams } from "./downstreamEnvironment.js";
import { createTable } from "./dynamoCalls.js";
import { functionsWhosePayloadsAreRead, keepingPayloads } from "./keptPayloads.js";
import type { PreparedFunction } from "./prepareFunctionCode.js";
import type { RunEnvironment } from "./RunEnvironment.js";
import { SIMULATED_ACCOUNT_ID, STREAM_LABEL } from "./runDefaults.js";
import type { ShortNames } from "./ShortNames.js";
import { scriptFromSpec } from "./scriptFromSpec.js";

/** What wiring a stack needs. */
export interface WireStackOptions {
  readonly scenario: Scenario;
  readonly tf: TerraformJson;
  readonly topology: Topology;
  readonly environment: RunEnvironment;
  readonly names: ShortNames;
  readonly region: string;
  /** Where the events of the functions the scenario's checks read are kept, by request id. */
  readonly invocationPayloads?: Map<string, unknown>;
  /** Every unscripted function's code, unpacked (`prepareFunctionCode`). */
  readonly code: ReadonlyMap<string, PreparedFunction>;
}

/**
 * Loads the stack into the topology with a handler for every function: the scenario's scripted
 * stand-in where it scripts one, otherwise the function's real code as Lambda finds it (unpacked by
 * `prepareFunctionCode`), registered with the host with its own environment pointing at the local
 * endpoints and downstreams.
 *
 * @example
 * ```ts
 * const stack = wireStack({ scenario, tf, topology, environment, names, region, code });
 * await createStackTables(environment, stack);
 * ```
 */
export function wireStack(options: WireStackOptions): LoadedStack {
  const { scenario, topology, environment, names } = options;
  const { host, endpoints, parameters } = environment;
  const simulation = topology.simulation;
  const localServices = new Map([...environment.unscripted, ...environment.downstreams]);
  const kept = functionsWhosePayloadsAreRead(scenario);
  const handlerFor = (fn: StackFunction): LambdaHandler | Script => {
    const handler = codeFor(fn);
    return kept.has(names.short(fn.functionName)) && options.invocationPayloads !== undefined
      ? keepingPayloads(handler, options.invocationPayloads)
      : handler;
  };
  const codeFor = (fn: StackFunction): LambdaHandler | Script => {
    const scriptedSpec = scenario.functions[names.short(fn.functionName)];
    if (scriptedSpec) return scriptFromSpec(scriptedSpec);
    const code = options.code.get(fn.functionName);
    if (code === undefined) throw new Error(`no code was prepared for function ${fn.functionName}`);
    host.register({
      functionName: fn.functionName,
      bundlePath: code.file,
      exportName: code.exportPath,
      moduleFormat: code.format,
      moduleScope: code.moduleScope,
      environment: {
        // Code that reads files next to itself finds them where Lambda's /var/task would be.
        LAMBDA_TASK_ROOT: code.codeRoot,
        ...withDownstreams(fn, localServices, parameters, endpoints.url),
        ...endpoints.env(),
      },
      memorySizeMb: fn.memorySizeMB,
    });
    return bundleHandler(host, {
      functionName: fn.functionName,
      timeoutSeconds: fn.timeoutSeconds,
      now: () => simulation.now(),
    });
  };
  return loadStack(options.tf, topology, {
    identity: stackIdentity(environment, options.region),
    handlerFor,
  });
}

/**
 * Who and where the stack runs: the simulated account in `region`, its endpoints at the run's local
 * AWS endpoints.
 *
 * @example
 * ```ts
 * const references = new StackReferences(tf, stackIdentity(environment, "eu-west-1"));
 * ```
 */
export function stackIdentity(environment: RunEnvironment, region: string): StackIdentity {
  return {
    region,
    accountId: SIMULATED_ACCOUNT_ID,
    endpointUrl: environment.endpoints.url,
    streamLabel: STREAM_LABEL,
  };
}

/**
 * Creates the stack's tables in dynalite and captures the writes of those with a stream, so each
 * write becomes a stream record.
 *
 * @example
 * ```ts
 * await createStackTables(environment, stack);
 * ```
 */
export async function createStackTables(environment: RunEnvironment, stack: LoadedStack): Promise<void> {
  for (const table of stack.tables) {
    await createTable(environment.dynalite.endpoint, table);
    if (table.stream) environment.endpoints.captureTableWrites(table.tableName);
  }
}
