import { ConfigurationError } from "../engine/errors.js";
import { SeededRandom } from "../engine/SeededRandom.js";
import type { Simulation } from "../engine/Simulation.js";
import type { Trace } from "../engine/Trace.js";
import { assertIntInRange, assertOptions, assertString, describe } from "../engine/validate.js";
import type { AccountConcurrency } from "./AccountConcurrency.js";
import { InvocationContext, type LambdaHandler } from "./LambdaContext.js";
import { type LambdaErrorPayload, timeoutError, toLambdaError } from "./lambdaError.js";
import { ownPayload } from "./ownPayload.js";
import { Reply } from "./Reply.js";
import { DEFAULT_RUNTIME, errorPayloadForRuntime } from "./runtimeErrorPayload.js";
import { Script } from "./Script.js";

/** Configuration of a function, with AWS's names. */
export interface LambdaFunctionConfig {
  readonly functionName: string;
  /** A handler or a `scripted.*` script. */
  readonly handler: LambdaHandler | Script;
  /** Default 3, 1–900 (AWS: "Timeout ... Minimum value of 1. Maximum value of 900."). */
  readonly timeoutSeconds?: number;
  /** Default 128, 128–10240. */
  readonly memorySizeMB?: number;
  /** Unset: draws from the account's unreserved pool. 0 stops every invocation (throttled / ZeroReservedConcurrency). */
  readonly reservedConcurrency?: number;
  /** Function dead-letter queue (SQS or SNS ARN) for async invocations. */
  readonly deadLetterTargetArn?: string;
  /** The function's environment variables (kept for real handlers). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Virtual duration of an invocation whose handler does not report one. Default 0 ms. */
  readonly defaultDurationMs?: number;
  /** The execution role's ARN (`role`); stream records name it as `invokeIdentityArn`. */
  readonly roleArn?: string;
  /**
   * The function's runtime (`nodejs22.x`, `python3.13`, …; default `nodejs22.x`): a function error
   * is reported in its runtime's JSON (`errorPayloadForRuntime`), also for scripted functions.
   */
  readonly runtime?: string;
}

const CONFIG_KEYS = [
  "functionName",
  "handler",
  "timeoutSeconds",
  "memorySizeMB",
  "reservedConcurrency",
  "deadLetterTargetArn",
  "environment",
  "defaultDurationMs",
  "roleArn",
  "runtime",
] as const;

/** What a function needs from the topology that owns it. */
export interface LambdaRuntimeEnv {
  readonly simulation: Simulation;
  readonly trace: Trace;
  readonly account: AccountConcurrency;
  readonly region: string;
  readonly accountId: string;
}

/**
 * How an invocation ended, as the invoker sees it.
 *
 * @example
 * ```ts
 * import { InvocationStatus } from "@rebound/simulator";
 * if (result.status === InvocationStatus.Throttled) retryLater();
 * ```
 */
export const InvocationStatus = {
  Success: "Success",
  /** The function ran and failed (threw, returned an error, timed out): `FunctionError: Unhandled`. */
  FunctionError: "FunctionError",
  /** An invocation error before execution: HTTP 429 TooManyRequestsException. */
  Throttled: "Throttled",
} as const;
/** One of `InvocationStatus`'s values. */
export type InvocationStatus = (typeof InvocationStatus)[keyof typeof InvocationStatus];

/**
 * Why an invoke was throttled: AWS's `Reason` values of TooManyRequestsException.
 *
 * @example
 * ```ts
 * import { ThrottleReason } from "@rebound/simulator";
 * result.reason === ThrottleReason.ReservedFunctionConcurrentInvocationLimitExceeded;
 * ```
 */
export const ThrottleReason = {
  ReservedFunctionConcurrentInvocationLimitExceeded: "ReservedFunctionConcurrentInvocationLimitExceeded",
  ConcurrentInvocationLimitExceeded: "ConcurrentInvocationLimitExceeded",
  /** A scripted throttle (`scripted.throttle()`): a rate limit the topology does not model otherwise. */
  FunctionInvocationRateLimitExceeded: "FunctionInvocationRateLimitExceeded",
} as const;
/** One of `ThrottleReason`'s values. */
export type ThrottleReason = (typeof ThrottleReason)[keyof typeof ThrottleReason];

/** The function returned normally. */
export interface InvocationSuccess {
  readonly status: typeof InvocationStatus.Success;
  readonly requestId: string;
  readonly payload: unknown;
  readonly startMs: number;
  readonly endMs: number;
}

/** The function ran and failed; `error` is what the runtime reports (`Sandbox.Timedout` on timeout). */
export interface InvocationFunctionError {
  readonly status: typeof InvocationStatus.FunctionError;
  readonly requestId: string;
  readonly error: LambdaErrorPayload;
  readonly timedOut: boolean;
  readonly startMs: number;
  readonly endMs: number;
}

/** The invoke never reached the function. */
export interface InvocationThrottled {
  readonly status: typeof InvocationStatus.Throttled;
  readonly requestId: string;
  readonly reason: ThrottleReason;
  readonly startMs: number;
  readonly endMs: number;
}

/** The one result type every source model handles. */
export type InvocationResult = InvocationSuccess | InvocationFunctionError | InvocationThrottled;

/**
 * Called once per invoke with its result, and with the `token` given to `invoke` (so a source model can
 * pass a method made once plus its per-invoke state instead of a closure per invoke).
 */
export type InvocationCallback<T = undefined> = (result: InvocationResult, token: T) => void;

const DEFAULT_TIMEOUT_SECONDS = 3;
const MAX_TIMEOUT_SECONDS = 900;

/**
 * The function runtime model: configuration, concurrency and the single `invoke` every source model
 * (sync, async, SQS, streams, Step Functions) goes through.
 *
 * `invoke(event, requestId, onDone)`:
 * - Throttle (reserved concurrency reached or 0, account pool exhausted, or a scripted throttle):
 *   `onDone` is called synchronously, before `invoke` returns, with status `Throttled` — an invocation
 *   error is the Invoke API call failing, so no virtual time passes. Nothing ran; no slot was used.
 * - Otherwise the handler runs at once (virtual time stands still while it runs; a Promise is tracked by
 *   the simulation) and `onDone` runs at start + duration, where the duration is the one the handler
 *   reported (a `Reply`) or `defaultDurationMs`. A duration past the timeout ends the attempt at the
 *   timeout with `Sandbox.Timedout` and the handler's result is discarded, as Lambda freezes it.
 * The concurrency slot is held from start to end.
 *
 * @example
 * ```ts
 * import { scripted } from "@rebound/simulator";
 * const fn = topology.addFunction({ functionName: "pay", timeoutSeconds: 10, handler: scripted.succeed() });
 * fn.invoke({ orderId: 1 }, "3f1c...", (result) => console.log(result.status));
 * simulation.runUntilIdle();
 * ```
 */
export class LambdaFunction {
  public readonly functionName: string;
  public readonly arn: string;
  public readonly timeoutSeconds: number;
  public readonly memorySizeMB: number;
  #reservedConcurrency: number | undefined;
  /** Invocations running now that took their slot from the account's unreserved pool. */
  #unreservedRunning = 0;
  public readonly deadLetterTargetArn: string | undefined;
  public readonly environment: Readonly<Record<string, string>>;
  public readonly defaultDurationMs: number;
  public readonly roleArn: string | undefined;
  public readonly runtime: string;
  /** Human-readable behaviour of a scripted function; undefined for a plain handler. */
  public readonly scriptDescription: string | undefined;
  /**
   * Whether the handler looks at its event and context (false only for scripts that say so, e.g.
   * `scripted.failFraction(0.1)`). Source models may then skip building the event and pass undefined;
   * the runtime skips the context.
   */
  public readonly readsEvent: boolean;
  /** Fields the invocation context shares (strings built once). */
  public readonly memoryLimitInMB: string;
  public readonly logGroupName: string;
  public readonly logStreamName: string;
  /** Executions running now. */
  public running = 0;
  /** Invocations that ran (not throttled). */
  public invocations = 0;
  /** Invokes throttled. */
  public throttles = 0;
  readonly #handler: LambdaHandler;
  readonly #env: LambdaRuntimeEnv;
  readonly #timeoutMs: number;
  readonly #source: string;
  readonly #clock: () => number;

  public constructor(env: LambdaRuntimeEnv, config: LambdaFunctionConfig) {
    const where = "addFunction";
    assertOptions(where, config, CONFIG_KEYS);
    assertString(where, "functionName", config.functionName);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(config.functionName)) {
      throw new ConfigurationError(
        "functionName",
        `${where}: functionName ${describe(config.functionName)} is not valid (AWS: 1-64 letters, digits, hyphens or underscores)`,
      );
    }
    const timeoutSeconds = config.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    assertIntInRange(
      where,
      "timeoutSeconds",
      timeoutSeconds,
      1,
      MAX_TIMEOUT_SECONDS,
      "Timeout is 1 to 900 seconds",
    );
    const memorySizeMB = config.memorySizeMB ?? 128;
    assertIntInRange(where, "memorySizeMB", memorySizeMB, 128, 10240, "MemorySize is 128 to 10240 MB");
    if (config.reservedConcurrency !== undefined) {
      assertIntInRange(where, "reservedConcurrency", config.reservedConcurrency, 0, env.account.limit);
      env.account.reserve(config.functionName, config.reservedConcurrency);
    }
    const defaultDurationMs = config.defaultDurationMs ?? 0;
    if (!(Number.isFinite(defaultDurationMs) && defaultDurationMs >= 0)) {
      throw new ConfigurationError("defaultDurationMs", `${where}: defaultDurationMs must be a number >= 0`);
    }
    const handler = config.handler;
    if (!(handler instanceof Script) && typeof handler !== "function") {
      throw new ConfigurationError(
        "handler",
        `${where}: handler of ${config.functionName} must be a function or a scripted.* script, got ${describe(handler)}`,
      );
    }
    this.#env = env;
    this.#clock = () => env.simulation.now();
    this.functionName = config.functionName;
    if (config.roleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/.test(config.roleArn))
      throw new ConfigurationError(
        "roleArn",
        `addFunction(${config.functionName}): roleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got ${describe(config.roleArn)}`,
      );
    this.roleArn = config.roleArn;
    if (config.runtime !== undefined)
      assertString(`addFunction(${config.functionName})`, "runtime", config.runtime);
    this.runtime = config.runtime ?? DEFAULT_RUNTIME;
    this.arn = `arn:aws:lambda:${env.region}:${env.accountId}:function:${config.functionName}`;
    this.timeoutSeconds = timeoutSeconds;
    this.#timeoutMs = timeoutSeconds * 1000;
    this.memorySizeMB = memorySizeMB;
    this.#reservedConcurrency = config.reservedConcurrency;
    this.deadLetterTargetArn = config.deadLetterTargetArn;
    this.environment = config.environment ?? {};
    this.defaultDurationMs = defaultDurationMs;
    this.memoryLimitInMB = String(memorySizeMB);
    this.logGroupName = `/aws/lambda/${config.functionName}`;
    this.logStreamName = "2026/01/01/[$LATEST]00000000000000000000000000000000";
    this.#source = `lambda:${config.functionName}`;
    if (handler instanceof Script) {
      this.scriptDescription = handler.description;
      this.readsEvent = handler.readsInput;
      this.#handler = handler.bind({
        random: new SeededRandom(
          SeededRandom.derive(env.simulation.random.seed, `function:${config.functionName}`),
        ),
        functionName: config.functionName,
        now: this.#clock,
      });
    } else {
      this.scriptDescription = undefined;
      this.readsEvent = true;
      this.#handler = handler;
    }
  }

  /** Reserved concurrency now: undefined draws from the account's unreserved pool, 0 throttles everything. */
  public get reservedConcurrency(): number | undefined {
    return this.#reservedConcurrency;
  }

  /**
   * PutFunctionConcurrency (a number) or DeleteFunctionConcurrency (undefined) while the run goes on.
   * Invocations already running keep their slot; the next invoke sees the new limit.
   *
   * @example
   * ```ts
   * fn.putConcurrency(0); // every later invoke is throttled (async events: ZeroReservedConcurrency)
   * fn.putConcurrency(undefined); // back to the unreserved pool
   * ```
   */
  public putConcurrency(reserved: number | undefined): void {
    const where = `putConcurrency(${this.functionName})`;
    if (reserved === undefined) this.#env.account.unreserve(this.functionName);
    else {
      assertIntInRange(where, "reservedConcurrency", reserved, 0, this.#env.account.limit);
      this.#env.account.reserve(this.functionName, reserved);
    }
    this.#reservedConcurrency = reserved;
    const trace = this.#env.trace;
    if (trace.on) trace.emit(this.#source, "concurrency", { reserved: reserved ?? "unreserved" });
  }

  /** The qualified ARN async records carry (`...:function:name:$LATEST`). */
  public get qualifiedArn(): string {
    return `${this.arn}:$LATEST`;
  }

  /** Whether an invoke right now would be throttled for lack of concurrency. */
  public wouldThrottle(): ThrottleReason | undefined {
    if (this.reservedConcurrency !== undefined) {
      return this.running >= this.reservedConcurrency
        ? ThrottleReason.ReservedFunctionConcurrentInvocationLimitExceeded
        : undefined;
    }
    return this.#env.account.unreservedInUse >= this.#env.account.unreservedLimit
      ? ThrottleReason.ConcurrentInvocationLimitExceeded
      : undefined;
  }

  /**
   * Runs one invocation; see the class documentation for when `onDone` is called. `token` is handed
   * back to `onDone` as its second argument.
   */
  public invoke<T = undefined>(
    event: unknown,
    requestId: string,
    onDone: InvocationCallback<T>,
    token?: T,
  ): void {
    this.#invoke(event, requestId, onDone as InvocationCallback<unknown>, token);
  }

  #invoke(event: unknown, requestId: string, onDone: InvocationCallback<unknown>, token: unknown): void {
    const startMs = this.#clock();
    const lack = this.wouldThrottle();
    if (lack !== undefined) {
      this.#throttled(requestId, startMs, lack, onDone, token);
      return;
    }
    // A handler that reads its event gets its own copy, as each Lambda invocation decodes its payload
    // (made before a concurrency slot is taken, so an event JSON cannot carry leaks none).
    const payload = this.readsEvent ? ownPayload(event, this.functionName) : event;
    this.#acquire();
    // A script that reads neither event nor context gets none: it cannot tell, and it saves an object.
    const context = this.readsEvent
      ? new InvocationContext(this, requestId, this.#clock, startMs + this.#timeoutMs)
      : (undefined as unknown as InvocationContext);
    let value: unknown;
    try {
      value = this.#handler(payload, context);
    } catch (thrown) {
      this.#traceStart(requestId);
      this.#finish(
        requestId,
        startMs,
        undefined,
        toLambdaError(thrown),
        this.defaultDurationMs,
        onDone,
        token,
      );
      return;
    }
    // "start" is written once the handler has answered, so a scripted throttle (which never ran) shows
    // only as "throttle"; lines the handler wrote itself therefore come just before its "start".
    if (!(value instanceof Reply && value.kind === "throttle")) this.#traceStart(requestId);
    if (value instanceof Promise) {
      this.#env.simulation.track(
        value.then(
          (resolved: unknown) => this.#settle(requestId, startMs, resolved, onDone, token),
          (thrown: unknown) =>
            this.#finish(
              requestId,
              startMs,
              undefined,
              toLambdaError(thrown),
              this.#elapsed(startMs),
              onDone,
              token,
            ),
        ),
      );
      return;
    }
    this.#settle(requestId, startMs, value, onDone, token);
  }

  #traceStart(requestId: string): void {
    const trace = this.#env.trace;
    if (trace.on) trace.emit(this.#source, "start", { requestId });
  }

  #elapsed(startMs: number): number {
    return Math.max(this.defaultDurationMs, this.#clock() - startMs);
  }

  #settle(
    requestId: string,
    startMs: number,
    value: unknown,
    onDone: InvocationCallback<unknown>,
    token: unknown,
  ): void {
    if (value instanceof Reply) {
      if (value.kind === "throttle") {
        this.#release();
        this.invocations--;
        this.#throttled(
          requestId,
          startMs,
          ThrottleReason.FunctionInvocationRateLimitExceeded,
          onDone,
          token,
        );
        return;
      }
      if (value.kind === "timeout") {
        this.#finish(requestId, startMs, undefined, undefined, this.#timeoutMs, onDone, token, true);
        return;
      }
      const durationMs = value.durationMs ?? this.#elapsed(startMs);
      this.#finish(requestId, startMs, value.payload, value.error, durationMs, onDone, token);
      return;
    }
    this.#finish(requestId, startMs, value, undefined, this.#elapsed(startMs), onDone, token);
  }

  #finish(
    requestId: string,
    startMs: number,
    payload: unknown,
    error: LambdaErrorPayload | undefined,
    durationMs: number,
    onDone: InvocationCallback<unknown>,
    token: unknown,
    // A run longer than the timeout is cut off at it; a host that watched the clock says so itself.
    timedOut = durationMs > this.#timeoutMs,
  ): void {
    const endMs = startMs + (timedOut ? this.#timeoutMs : durationMs);
    const result: InvocationResult =
      timedOut || error !== undefined
        ? {
            status: InvocationStatus.FunctionError,
            requestId,
            error: timedOut
              ? timeoutError(requestId, this.timeoutSeconds)
              : errorPayloadForRuntime(this.runtime, error!, requestId),
            timedOut,
            startMs,
            endMs,
          }
        : { status: InvocationStatus.Success, requestId, payload, startMs, endMs };
    // The end event carries the result, the callback and its token: no closure per invocation (a
    // million of them in the benchmarks).
    this.#env.simulation.callAt(endMs, this.#end, result, onDone, token);
  }

  readonly #end = (result: InvocationResult, onDone: InvocationCallback<unknown>, token: unknown): void => {
    this.#release();
    const trace = this.#env.trace;
    if (trace.on) {
      trace.emit(this.#source, "end", {
        requestId: result.requestId,
        status: result.status,
        errorType: result.status === InvocationStatus.FunctionError ? result.error.errorType : undefined,
        durationMs: result.endMs - result.startMs,
      });
    }
    onDone(result, token);
  };

  #throttled(
    requestId: string,
    startMs: number,
    reason: ThrottleReason,
    onDone: InvocationCallback<unknown>,
    token: unknown,
  ): void {
    this.throttles++;
    const trace = this.#env.trace;
    if (trace.on) trace.emit(this.#source, "throttle", { requestId, reason });
    onDone({ status: InvocationStatus.Throttled, requestId, reason, startMs, endMs: startMs }, token);
  }

  #acquire(): void {
    this.running++;
    this.invocations++;
    if (this.#reservedConcurrency === undefined) {
      this.#unreservedRunning++;
      this.#env.account.unreservedInUse++;
    }
  }

  #release(): void {
    this.running--;
    // Counted by where the slot came from when it was taken: the reservation may have changed since.
    if (this.#unreservedRunning > 0) {
      this.#unreservedRunning--;
      this.#env.account.unreservedInUse--;
    }
  }
}
