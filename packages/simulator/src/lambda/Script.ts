import type { SeededRandom } from "../engine/SeededRandom.js";
import type { LambdaHandler } from "./LambdaContext.js";

/** What a scripted function is bound to when its function is created. */
export interface ScriptEnv {
  /** The function's own seeded source (derived from the run seed and the function name). */
  readonly random: SeededRandom;
  readonly functionName: string;
  /** Virtual now, epoch ms. */
  now(): number;
}

/**
 * A scripted function: a description and a factory that binds it to one function's seeded source.
 * Build them with `scripted.*`; pass one as a function's `handler`.
 *
 * @example
 * ```ts
 * import { scripted } from "@rebound/simulator";
 * topology.addFunction({ functionName: "pay", handler: scripted.failFraction(0.1) });
 * ```
 */
export class Script {
  public constructor(
    /** Human-readable behaviour, shown by reports (`fails 10% of invocations with Error`). */
    public readonly description: string,
    readonly bindTo: (env: ScriptEnv) => LambdaHandler,
    /**
     * Whether the bound handler looks at its event or context. False (e.g. `failFraction(0.1)` with a
     * fixed duration) lets source models skip building the event and the runtime skip the context:
     * nothing the handler can see changes, and a 1M-message run saves building 1M SQS records.
     * Default true.
     */
    public readonly readsInput: boolean = true,
  ) {}

  /** Binds the script to one function. */
  public bind(env: ScriptEnv): LambdaHandler {
    return this.bindTo(env);
  }
}
