import { DynaliteServer } from "../aws/DynaliteServer.js";
import type { TableWriteChange } from "../aws/DynamoDbProxy.js";
import { InMemoryParameterStore } from "../aws/InMemoryParameterStore.js";
import { installInProcessTransport, serveInProcess } from "../aws/inProcessTransport.js";
import { LocalAwsEndpoints } from "../aws/LocalAwsEndpoints.js";
import { ScriptedHttpService } from "../aws/ScriptedHttpService.js";
import { HandlerHost } from "../host/HandlerHost.js";
import type { Scenario } from "../scenario/Scenario.js";
import type { LoadedStack } from "../terraform/loadStack.js";
import type { TerraformJson } from "../terraform/TerraformJson.js";
import type { Topology } from "../topology/Topology.js";
import { calledDownstreams, unscriptedRoutes } from "./downstreamEnvironment.js";
import { downstreamRoutes } from "./downstreamRoutes.js";
import { SIMULATED_ACCOUNT_ID, VIRTUAL_START_MS } from "./runDefaults.js";
import { runtimeModules } from "./runtimeModules.js";
import { topologyBackends } from "./topologyBackends.js";

/** Everything a run starts outside the models, and the one call that stops it all again. */
export interface RunEnvironment {
  readonly dynalite: DynaliteServer;
  readonly host: HandlerHost;
  readonly parameters: InMemoryParameterStore;
  readonly endpoints: LocalAwsEndpoints;
  /** The downstreams the scenario scripts, by name (`payment`, `mail`, …). */
  readonly downstreams: ReadonlyMap<string, ScriptedHttpService>;
  /** Stand-ins answering 501 for URLs the stack's functions name but the scenario does not script. */
  readonly unscripted: ReadonlyMap<string, ScriptedHttpService>;
  /** Closes everything started, last first; safe to call once whatever happened. */
  close(): Promise<void>;
}

/** What starting the environment needs to know. */
export interface RunEnvironmentOptions {
  readonly scenario: Scenario;
  readonly tf: TerraformJson;
  readonly topology: Topology;
  readonly region: string;
  readonly seed: number;
  /** The loaded stack, once it is (the endpoints start first: queue URLs need their address). */
  readonly stack: () => LoadedStack | undefined;
  /** Told of every write to a table whose stream is captured. */
  readonly onTableWrite: (change: TableWriteChange) => void;
}

/**
 * Starts what the real handlers talk to: an in-memory dynalite, the handler host, the local AWS
 * endpoints backed by the topology's models, the scenario's scripted downstreams (each seeded from the
 * run's seed), and a 501 stand-in for every URL a function's environment names that the scenario does
 * not script, so an unexpected call fails loudly instead of reaching for the real internet. Anything
 * started is closed again if a later start fails.
 *
 * @example
 * ```ts
 * const environment = await startRunEnvironment({ scenario, tf, topology, region, seed, stack: () => loaded, onTableWrite });
 * try { ... } finally { await environment.close(); }
 * ```
 */
export async function startRunEnvironment(options: RunEnvironmentOptions): Promise<RunEnvironment> {
  const { scenario, topology, region, seed } = options;
  const simulation = topology.simulation;
  const closers: (() => Promise<void> | void)[] = [];
  const close = async (): Promise<void> => {
    for (const closeOne of closers.splice(0).reverse()) await closeOne();
  };
  try {
    const dynalite = await DynaliteServer.start();
    closers.push(() => dynalite.close());
    const host = new HandlerHost({ region, accountId: SIMULATED_ACCOUNT_ID });
    const parameters = new InMemoryParameterStore();
    const endpoints = await LocalAwsEndpoints.start({
      backends: topologyBackends({ topology, stack: options.stack, parameters }),
      dynamodb: {
        endpoint: dynalite.endpoint,
        onTableWrite: options.onTableWrite,
        serve: (body, headers) => dynalite.serveInMemory(body, headers),
      },
      region,
      accountId: SIMULATED_ACCOUNT_ID,
      invocations: host,
    });
    closers.push(() => endpoints.close());
    // The handlers' SDK calls reach the endpoints in memory: no socket, no HTTP parser, the same
    // bytes. The loopback port still answers every other client.
    installInProcessTransport(runtimeModules());
    closers.push(serveInProcess(endpoints.url, (request) => endpoints.serveInMemory(request)));
    const startService = async (
      name: string,
      routes: Parameters<typeof ScriptedHttpService.start>[0]["routes"],
      serviceSeed?: number,
    ) => {
      const service = await ScriptedHttpService.start({
        name,
        routes,
        ...(serviceSeed !== undefined ? { seed: serviceSeed } : {}),
        invocations: host,
        now: () => simulation.now(),
        epochMs: VIRTUAL_START_MS,
      });
      closers.push(() => service.close());
      return service;
    };
    const downstreams = new Map<string, ScriptedHttpService>();
    for (const [name, spec] of Object.entries(scenario.downstreams)) {
      downstreams.set(name, await startService(name, downstreamRoutes(spec), seed + downstreams.size + 1));
    }
    const unscripted = new Map<string, ScriptedHttpService>();
    for (const name of calledDownstreams(options.tf).urls) {
      if (!downstreams.has(name))
        unscripted.set(name, await startService(name, unscriptedRoutes(name, scenario.file)));
    }
    return { dynalite, host, parameters, endpoints, downstreams, unscripted, close };
  } catch (error) {
    await close();
    throw error;
  }
}
