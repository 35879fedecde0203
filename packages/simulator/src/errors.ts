/**
 * Base class of the simulator's errors.
 *
 * @example
 * ```ts
 * import { SimulatorError } from "@rebound/simulator";
 * try { simulation.runUntilIdle(); } catch (error) { if (error instanceof SimulatorError) console.error(error.message); }
 * ```
 */
export class SimulatorError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SimulatorError";
  }
}

/**
 * The run took more steps than its limit: a model is looping, or the scenario is far larger than
 * the limit allows. Thrown instead of hanging.
 *
 * @example
 * ```ts
 * import { StepLimitExceededError } from "@rebound/simulator";
 * ```
 */
export class StepLimitExceededError extends SimulatorError {
  public constructor(
    public readonly stepLimit: number,
    public readonly virtualTimeMs: number,
  ) {
    super(
      `the simulation exceeded its step limit of ${stepLimit} events at virtual time ${virtualTimeMs} ms; ` +
        "raise stepLimit if the scenario is really this large, otherwise a model is looping",
    );
    this.name = "StepLimitExceededError";
  }
}
