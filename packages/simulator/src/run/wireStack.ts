import { existsSync } from "node:fs";
import { join } from "node:path";
import { ConfigurationError } from "../engine/errors.js";
import { bundleHandler } from "../host/bundleHandler.js";
import type { LambdaHandler } from "../lambda/LambdaContext.js";
import type { Script } from "../lambda/Script.js";
import type { Scenario } from "../scenario/Scenario.js";
import { type LoadedStack, loadStack, type StackFunction } from "../terraform/loadStack.js";
import type { TerraformJson } from "../terraform/TerraformJson.js";
import type { Topology } from "../topology/Topology.js";
import { withDownstreams } from "./downstreamEnvironment.js";
import { createTable } from "./dynamoCalls.js";
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
  /** The repository root: bundles are `apps/<app>/dist/index.mjs` below it. */
  readonly repoRoot: string;
}

/**
 * Loads the stack into the topology with a handler for every function: the scenario's scripted
 * stand-in where it scripts one, otherwise the function's real bundle, registered with the host with
 * its own environment pointing at the local endpoints and downstreams.
 *
 * @example
 * ```ts
 * const stack = wireStack({ scenario, tf, topology, environment, names, region, repoRoot: "." });
 * await createStackTables(environment, stack);
 * ```
 */
export function wireStack(options: WireStackOptions): LoadedStack {
  const { scenario, topology, environment, names } = options;
  const { host, endpoints, parameters } = environment;
  const simulation = topology.simulation;
  const localServices = new Map([...environment.unscripted, ...environment.downstreams]);
  const handlerFor = (fn: StackFunction): LambdaHandler | Script => {
    const scriptedSpec = scenario.functions[names.short(fn.functionName)];
    if (scriptedSpec) return scriptFromSpec(scriptedSpec);
    host.register({
      functionName: fn.functionName,
      bundlePath: bundlePathOf(fn, options.repoRoot, names),
      exportName: fn.exportName,
      environment: {
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
    identity: {
      region: options.region,
      accountId: SIMULATED_ACCOUNT_ID,
      endpointUrl: endpoints.url,
      streamLabel: STREAM_LABEL,
    },
    handlerFor,
  });
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

/** Where a function's built bundle is, or a configuration error saying how to get one. */
function bundlePathOf(fn: StackFunction, repoRoot: string, names: ShortNames): string {
  if (fn.app === undefined) {
    throw new ConfigurationError(
      fn.address,
      `function ${fn.functionName} (${fn.address}) has no rebound:app tag, so its bundle cannot be found; ` +
        `tag it with the app folder, or script it in the scenario under functions: ${names.short(fn.functionName)}`,
    );
  }
  const bundlePath = join(repoRoot, "apps", fn.app, "dist", "index.mjs");
  if (!existsSync(bundlePath)) {
    throw new ConfigurationError(
      fn.address,
      `the code of function ${fn.functionName} was looked for at ${bundlePath} and is not there; run \`pnpm build\``,
    );
  }
  return bundlePath;
}
