import { SimulatorError } from "../engine/errors.js";

/**
 * A function's code cannot be prepared the way Lambda would find it: the zip is missing or unsafe,
 * the handler file is not in it, the runtime cannot run in this process. The message is one line
 * per problem naming the function, the file and the fix; the CLI reports it as bad input (exit 2).
 *
 * @example
 * ```ts
 * import { CodeLoadError } from "@rebound/simulator";
 * try { await cache.prepare(source); }
 * catch (error) { if (error instanceof CodeLoadError) console.error(error.message); }
 * ```
 */
export class CodeLoadError extends SimulatorError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CodeLoadError";
  }
}
