/**
 * The context object a handler receives, shaped like the Node.js runtime's. Remaining time is read on
 * the virtual clock, so a handler that checks `getRemainingTimeInMillis()` sees simulated time.
 * Scripted functions get exactly this; real bundles run by the `HandlerHost` also get the legacy
 * `done`/`succeed`/`fail` methods, as the Node.js runtime still offers them.
 *
 * @example
 * ```ts
 * import type { LambdaContext } from "@rebound/simulator";
 * export const handler = async (event: unknown, context: LambdaContext) => {
 *   if (context.getRemainingTimeInMillis() < 1_000) throw new Error("not enough time left");
 * };
 * ```
 */
export interface LambdaContext {
  /** Settable, as in the runtime: false lets a callback-style handler finish before its event loop is empty. */
  callbackWaitsForEmptyEventLoop: boolean;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  /** A string, as in the Node runtime ("128"). */
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  getRemainingTimeInMillis(): number;
}

/** The legacy Node.js callback a handler may take as its third argument. */
export type LambdaCallback = (error?: unknown, result?: unknown) => void;

/**
 * A Lambda handler: `(event, context)` returning a value or a promise. Real bundles may also use the
 * legacy callback form; scripted functions never get a callback.
 *
 * @example
 * ```ts
 * import type { LambdaHandler } from "@rebound/simulator";
 * const handler: LambdaHandler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });
 * ```
 */
export type LambdaHandler = (event: unknown, context: LambdaContext, callback?: LambdaCallback) => unknown;

/**
 * The runtime's context for one invocation. One small object per invocation; the deadline method lives
 * on the prototype so no closure is allocated.
 *
 * @example
 * ```ts
 * import { InvocationContext } from "@rebound/simulator";
 * const context = new InvocationContext(fn, "r-1", () => sim.now(), sim.now() + 3_000);
 * context.getRemainingTimeInMillis(); // 3000
 * ```
 */
export class InvocationContext implements LambdaContext {
  public callbackWaitsForEmptyEventLoop = true;
  public readonly functionVersion = "$LATEST";
  public readonly functionName: string;
  public readonly invokedFunctionArn: string;
  public readonly memoryLimitInMB: string;
  public readonly logGroupName: string;
  public readonly logStreamName: string;
  readonly #clock: () => number;
  readonly #deadlineMs: number;

  public constructor(
    fn: {
      readonly functionName: string;
      readonly arn: string;
      readonly memoryLimitInMB: string;
      readonly logGroupName: string;
      readonly logStreamName: string;
    },
    public readonly awsRequestId: string,
    clock: () => number,
    deadlineMs: number,
  ) {
    // Plain fields (strings shared with the function, not copied) so the context serialises and spreads
    // like the runtime's.
    this.functionName = fn.functionName;
    this.invokedFunctionArn = fn.arn;
    this.memoryLimitInMB = fn.memoryLimitInMB;
    this.logGroupName = fn.logGroupName;
    this.logStreamName = fn.logStreamName;
    this.#clock = clock;
    this.#deadlineMs = deadlineMs;
  }

  public getRemainingTimeInMillis(): number {
    return Math.max(0, this.#deadlineMs - this.#clock());
  }
}
