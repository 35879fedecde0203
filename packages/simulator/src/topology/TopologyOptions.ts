import type { Simulation } from "../engine/Simulation.js";
import type { TraceOptions } from "../engine/Trace.js";

/**
 * Options of a topology (and of the simulation it creates unless one is passed).
 *
 * @example
 * ```ts
 * import { Topology, type TopologyOptions } from "@rebound/simulator";
 * const options: TopologyOptions = { seed: 7, region: "eu-west-1", trace: { collect: true } };
 * const topology = new Topology(options);
 * ```
 */
export interface TopologyOptions {
  /** Derives every random choice and id. Default 1. */
  readonly seed?: number;
  /** Virtual epoch ms of the start. Default 2026-01-01T00:00:00Z. */
  readonly startMs?: number;
  /** Hard cap on simulation steps. Default 50,000,000. */
  readonly stepLimit?: number;
  /** Run on an existing simulation instead (its seed and clock win). */
  readonly simulation?: Simulation;
  readonly region?: string;
  readonly accountId?: string;
  /** Account concurrency limit. Default 1000 (AWS's default regional quota). */
  readonly accountConcurrency?: number;
  /** Trace options (`{ collect: true }`, `{ sink }`). Default: off. */
  readonly trace?: TraceOptions;
  /** Keep per-event JSON outcomes. Default true; false for million-event runs (counts only). */
  readonly detailedOutcomes?: boolean;
}

/** The keys `TopologyOptions` accepts, for the unknown-key check. */
export const TOPOLOGY_OPTION_KEYS = [
  "seed",
  "startMs",
  "stepLimit",
  "simulation",
  "region",
  "accountId",
  "accountConcurrency",
  "trace",
  "detailedOutcomes",
] as const;
