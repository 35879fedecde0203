import type { Outcomes } from "./Outcomes.js";
import type { Simulation } from "./Simulation.js";
import type { Trace } from "./Trace.js";

/**
 * What every service model needs from the world it runs in: the clock and scheduler, the trace, the
 * outcome book, the account's region and id, and reproducible ids. `Topology` implements it; a test
 * can hand a model a small object of its own instead, so no model depends on the whole topology (and
 * the topology, which creates the models, is never imported back by them).
 *
 * @example
 * ```ts
 * import { Outcomes, Simulation, SqsQueue, Trace, type ModelEnv } from "@rebound/simulator";
 * const simulation = new Simulation({ seed: 1 });
 * const trace = new Trace(() => simulation.now(), {});
 * let next = 0;
 * const env: ModelEnv = { simulation, trace, outcomes: new Outcomes(() => simulation.now(), { trace }),
 *   region: "eu-west-1", accountId: "123456789012", newId: () => `id-${next++}` };
 * ```
 */
export interface ModelEnv {
  readonly simulation: Simulation;
  readonly trace: Trace;
  readonly outcomes: Outcomes;
  readonly region: string;
  readonly accountId: string;
  /** A fresh id (message ids, request ids), reproducible from the run's seed. */
  newId(): string;
}
