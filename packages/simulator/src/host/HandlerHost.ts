import { existsSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { HandlerLoadError, HandlerStalledError } from "../aws/errors.js";
import { ConfigurationError } from "../engine/errors.js";
import { checkKeys, checkNumber, checkString, checkStringRecord, describe } from "../engine/validate.js";
import type { LambdaCallback, LambdaContext, LambdaHandler } from "../lambda/LambdaContext.js";
import type { LambdaErrorPayload } from "../lambda/lambdaError.js";
import { Reply } from "../lambda/Reply.js";
import type { InvocationClock, InvocationScope } from "./InvocationClock.js";
import { type HandlerModuleFormat, loadHandlerModule } from "./loadHandlerModule.js";
import { installVirtualDate } from "./virtualDate.js";

/** The context the Node.js runtime builds: the common one plus the legacy callback methods. */
interface RuntimeContext extends LambdaContext {
  done(error?: unknown, result?: unknown): void;
  fail(error: unknown): void;
  succeed(result: unknown): void;
}

/** A function backed by a module file (a built bundle, or the handler file of an unzipped function) and an export of it. */
export interface BundleFunction {
  readonly functionName: string;
  /** Path of the module file; relative paths are resolved from the current directory. */
  readonly bundlePath: string;
  /**
   * The export to call: `handler` for Terraform's `index.handler`, `reserveStock` for
   * `index.reserveStock`; dots name nested properties (`handlers.create`), as Lambda reads them.
   */
  readonly exportName: string;
  /** `esm` (default) imports the file; `commonjs` requires it (see `loadHandlerModule`). */
  readonly moduleFormat?: HandlerModuleFormat;
  /** Folder whose CommonJS modules are this function's own: forgotten on each (re)initialization. */
  readonly moduleScope?: string;
  /** The function's configured environment variables (values resolved already). */
  readonly environment?: Readonly<Record<string, string>>;
  /** `memory_size`, reported in the context. Default 128. */
  readonly memorySizeMb?: number;
}

/** A function backed by code in the simulator's process (scripted functions of a what-if scenario). */
export interface ScriptedFunction {
  readonly functionName: string;
  readonly handler: LambdaHandler;
  readonly environment?: Readonly<Record<string, string>>;
  readonly memorySizeMb?: number;
}

/** What the caller supplies for one invocation. */
export interface InvokeOptions {
  /** The invocation's virtual time and timeout. */
  readonly clock: InvocationClock;
  /** `context.awsRequestId` (the same on every retry of an async event, new for each ESM batch). */
  readonly awsRequestId: string;
}

/** Options of a `HandlerHost`. */
export interface HandlerHostOptions {
  /** Region in ARNs and `AWS_REGION` when the function environment does not set it. Default `us-east-1`. */
  readonly region?: string;
  /** Account id in ARNs. Default `123456789012`. */
  readonly accountId?: string;
  /**
   * Real milliseconds a handler may go without settling while its virtual time stands still before
   * the host gives up with `HandlerStalledError`. A safety net against hangs, never a simulated
   * outcome. Default 30,000.
   */
  readonly stallLimitMs?: number;
  /**
   * Real milliseconds to wait, after a timeout, for the abandoned handler to settle (its downstream
   * connections are dropped, so it usually settles at once) before the next invocation may start.
   * Default 2,000.
   */
  readonly timedOutGraceMs?: number;
}

interface Registered {
  readonly functionName: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly memorySizeMb: number;
  readonly bundlePath?: string;
  readonly exportName?: string;
  readonly moduleFormat?: HandlerModuleFormat;
  readonly moduleScope?: string;
  readonly scripted?: LambdaHandler;
  /** Bumped on each (re)initialization: a fresh module instance, like a fresh sandbox. */
  instance: number;
  /** The `process.env` the current instance sees. */
  environmentView?: { readonly instance: number; readonly variables: Record<string, string> };
  loaded?: { readonly handler: LambdaHandler } | { readonly initError: unknown };
}

const REGISTRATION_KEYS = [
  "functionName",
  "bundlePath",
  "exportName",
  "moduleFormat",
  "moduleScope",
  "environment",
  "memorySizeMb",
] as const;
const SCRIPTED_KEYS = ["functionName", "handler", "environment", "memorySizeMb"] as const;
/** Lambda function names: letters, digits, hyphens, underscores, 1 to 64 characters. */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Runs the real handlers in this process, one module instance per simulated function (the bundle is
 * imported with `?function=<name>`, so two functions sharing a bundle keep separate module state,
 * like separate containers), with the function's environment and a virtual clock.
 *
 * - **Environment:** while a module loads and while it runs an invocation, `process.env` holds exactly
 *   the function's variables plus what the Lambda runtime sets (`AWS_LAMBDA_FUNCTION_NAME`, `TZ`, ...),
 *   nothing from the host shell (a developer's `AWS_PROFILE` must not change a run). Since
 *   `process.env` is global, **invocations through one host run one at a time**; calls queue.
 * - **Virtual time:** during an invocation `Date.now()` and `new Date()` read the invocation's
 *   `InvocationClock` (start + virtual latency consumed so far), and
 *   `context.getRemainingTimeInMillis()` is the clock's remaining time.
 * - **Timeouts:** when a downstream pushes the clock to the function timeout, the invocation ends with
 *   `Sandbox.Timedout` and AWS's message; the host keeps reporting the timed-out clock as current until
 *   the abandoned handler settles (bounded by `timedOutGraceMs`), so the local servers refuse its
 *   late requests. The next invocation re-initializes the module: AWS resets a sandbox after a timeout.
 * - **Errors:** a thrown error is reported as Lambda reports it: `errorType` = `error.name`,
 *   `errorMessage`, `stackTrace` = the stack's lines. A non-Error value thrown is reported with its
 *   `typeof` as type. A top-level throw while loading fails that invocation (phase `init`) and the next
 *   one loads afresh.
 *
 * @example
 * ```ts
 * import { HandlerHost, InvocationClock } from "@rebound/simulator";
 * const host = new HandlerHost();
 * host.register({ functionName: "payments-worker", bundlePath: "apps/payments-worker/dist/index.mjs", exportName: "handler",
 *   environment: { ...endpoints.env(), PAYMENT_PROVIDER_URL: payment.url } });
 * const clock = new InvocationClock({ startMs: sim.now(), timeoutMs: 10_000 });
 * const result = await host.invoke("payments-worker", sqsEvent, { clock, awsRequestId: "a1b2" });
 * ```
 */
let hostsCreated = 0;

export class HandlerHost implements InvocationScope {
  readonly #hostId = ++hostsCreated;
  // Bundles often keep a reference to `Date.now` taken while their module loads (loggers, clocks).
  // Every virtual Date this host installs reads time through this one indirection, so such a kept
  // reference follows the invocation in progress instead of staying at the load time.
  #virtualNow: () => number = () => 0;
  readonly #readVirtualNow = (): number => this.#virtualNow();
  readonly #functions = new Map<string, Registered>();
  readonly #region: string;
  readonly #accountId: string;
  readonly #stallLimitMs: number;
  readonly #timedOutGraceMs: number;
  #queue: Promise<unknown> = Promise.resolve();
  #current: InvocationClock | undefined;
  #loadFailure: HandlerLoadError | undefined;

  public constructor(options: HandlerHostOptions = {}) {
    const checked = checkKeys(
      options,
      ["region", "accountId", "stallLimitMs", "timedOutGraceMs"],
      "HandlerHost options",
    );
    this.#region = checked["region"] === undefined ? "us-east-1" : checkString(checked["region"], "region");
    this.#accountId =
      checked["accountId"] === undefined ? "123456789012" : checkString(checked["accountId"], "accountId");
    this.#stallLimitMs =
      checked["stallLimitMs"] === undefined
        ? 30_000
        : checkNumber(checked["stallLimitMs"], "stallLimitMs", 1, 3_600_000);
    this.#timedOutGraceMs =
      checked["timedOutGraceMs"] === undefined
        ? 2_000
        : checkNumber(checked["timedOutGraceMs"], "timedOutGraceMs", 0, 60_000);
  }

  /** The clock of the invocation in progress (also while an abandoned, timed-out handler settles). */
  public current(): InvocationClock | undefined {
    return this.#current;
  }

  /**
   * The first `HandlerLoadError` an invocation raised (an export that is not a function, code that
   * does not parse). The function runtime records the rejected invocation as a function error and
   * the run goes on, so the caller asks here afterwards and reports it as bad input.
   */
  public get loadFailure(): HandlerLoadError | undefined {
    return this.#loadFailure;
  }

  /** Names of the registered functions. */
  public get functionNames(): readonly string[] {
    return [...this.#functions.keys()];
  }

  /**
   * Registers a function backed by a bundle. Throws `HandlerLoadError` when the bundle file does not
   * exist (naming the function and the path looked at); the export is checked when the module loads.
   */
  public register(definition: BundleFunction): void {
    const checked = checkKeys(definition, REGISTRATION_KEYS, "function definition");
    const functionName = this.#checkName(checked["functionName"]);
    const bundlePath = checkString(
      checked["bundlePath"],
      `${functionName}.bundlePath`,
      "the path of the built bundle",
    );
    const exportName = checkString(
      checked["exportName"],
      `${functionName}.exportName`,
      "the export to call (the part after the dot of Terraform's handler, e.g. handler)",
    );
    const absolute = isAbsolute(bundlePath) ? bundlePath : resolve(bundlePath);
    if (!existsSync(absolute) || !statSync(absolute).isFile()) {
      throw new HandlerLoadError(
        functionName,
        absolute,
        `function "${functionName}": no bundle at ${absolute}; build the app first (pnpm build) or fix the function's code path`,
      );
    }
    const moduleFormat = checked["moduleFormat"] ?? "esm";
    if (moduleFormat !== "esm" && moduleFormat !== "commonjs") {
      throw new ConfigurationError(
        `${functionName}.moduleFormat`,
        `${functionName}.moduleFormat must be "esm" or "commonjs"; got ${describe(moduleFormat)}`,
      );
    }
    this.#functions.set(functionName, {
      functionName,
      bundlePath: absolute,
      exportName,
      moduleFormat,
      ...(checked["moduleScope"] === undefined
        ? {}
        : { moduleScope: checkString(checked["moduleScope"], `${functionName}.moduleScope`) }),
      environment: this.#environment(checked["environment"], functionName),
      memorySizeMb: this.#memory(checked["memorySizeMb"], functionName),
      instance: 0,
    });
  }

  /** Registers a function backed by code in this process (a scripted function of a what-if run). */
  public registerScripted(definition: ScriptedFunction): void {
    const checked = checkKeys(definition, SCRIPTED_KEYS, "scripted function definition");
    const functionName = this.#checkName(checked["functionName"]);
    if (typeof checked["handler"] !== "function") {
      throw new ConfigurationError(
        `${functionName}.handler`,
        `${functionName}.handler must be a function (event, context) => result; got ${describe(checked["handler"])}`,
      );
    }
    this.#functions.set(functionName, {
      functionName,
      scripted: checked["handler"] as LambdaHandler,
      environment: this.#environment(checked["environment"], functionName),
      memorySizeMb: this.#memory(checked["memorySizeMb"], functionName),
      instance: 0,
    });
  }

  /**
   * Loads a function's module now (its init phase) at virtual time `atMs`, to surface a missing
   * export before a run starts. Throws `HandlerLoadError` for a missing export; returns the init
   * error, if the module's top level threw, without throwing it.
   */
  public async load(functionName: string, atMs: number): Promise<{ readonly initError?: unknown }> {
    const registered = this.#get(functionName);
    return this.#serialized(async () => {
      const loaded = await this.#ensureLoaded(registered, atMs);
      return "initError" in loaded ? { initError: loaded.initError } : {};
    });
  }

  /** Forgets a function's module state: the next invocation initializes a fresh instance (a cold start). */
  public recycle(functionName: string): void {
    const registered = this.#get(functionName);
    registered.loaded = undefined;
  }

  /**
   * Runs one invocation and reports it as Lambda does. Throws only for what is not a Lambda
   * outcome: an unknown function, a missing export (`HandlerLoadError`), a handler that hangs in real
   * time (`HandlerStalledError`).
   */
  public invoke(functionName: string, event: unknown, options: InvokeOptions): Promise<Reply> {
    const registered = this.#get(functionName);
    const checked = checkKeys(options, ["clock", "awsRequestId"], "invoke options");
    const clock = checked["clock"] as InvocationClock;
    if (typeof clock?.consume !== "function") {
      throw new ConfigurationError("clock", "invoke options.clock must be an InvocationClock");
    }
    const awsRequestId = checkString(checked["awsRequestId"], "awsRequestId");
    return this.#serialized(() => this.#run(registered, event, clock, awsRequestId)).catch(
      (error: unknown) => {
        if (error instanceof HandlerLoadError) this.#loadFailure ??= error;
        throw error;
      },
    );
  }

  async #run(
    registered: Registered,
    event: unknown,
    clock: InvocationClock,
    requestId: string,
  ): Promise<Reply> {
    const loaded = await this.#ensureLoaded(registered, clock.now());
    if ("initError" in loaded) {
      registered.loaded = undefined; // Lambda retries the init in a new sandbox on the next invoke
      return Reply.error(lambdaError(loaded.initError), { durationMs: clock.consumedMs, phase: "init" });
    }
    this.#current = clock;
    const restoreEnvironment = this.#applyEnvironment(registered);
    this.#virtualNow = () => clock.now();
    const restoreDate = installVirtualDate(this.#readVirtualNow);
    let settled: Promise<unknown> = Promise.resolve();
    let stallTimer: NodeJS.Timeout | undefined;
    try {
      const context = this.#context(registered, clock, requestId);
      const handlerOutcome = callHandler(loaded.handler, event, context);
      settled = handlerOutcome.then(
        () => undefined,
        () => undefined,
      );
      const timedOut = new Promise<"timeout">((resolveTimeout) => {
        if (clock.timedOut) resolveTimeout("timeout");
        clock.signal.addEventListener("abort", () => resolveTimeout("timeout"), { once: true });
      });
      const stalled = new Promise<"stalled">((resolveStall) => {
        stallTimer = setTimeout(() => resolveStall("stalled"), this.#stallLimitMs);
      });
      const winner = await Promise.race([handlerOutcome, timedOut, stalled]);
      if (winner === "stalled") throw new HandlerStalledError(registered.functionName, this.#stallLimitMs);
      if (winner === "timeout") {
        registered.loaded = undefined; // AWS resets the sandbox after a timeout
        await Promise.race([settled, delay(this.#timedOutGraceMs)]);
        return Reply.timeout();
      }
      const outcome = winner as HandlerOutcome;
      if (!outcome.ok) return Reply.error(lambdaError(outcome.error), { durationMs: clock.consumedMs });
      return marshal(outcome.value, clock.consumedMs);
    } finally {
      clearTimeout(stallTimer);
      restoreDate();
      restoreEnvironment();
      this.#current = undefined;
    }
  }

  async #ensureLoaded(
    registered: Registered,
    atMs: number,
  ): Promise<{ readonly handler: LambdaHandler } | { readonly initError: unknown }> {
    if (registered.loaded !== undefined) return registered.loaded;
    if (registered.scripted !== undefined) {
      registered.loaded = { handler: registered.scripted };
      return registered.loaded;
    }
    registered.instance += 1;
    const bundlePath = registered.bundlePath!;
    // The host id keeps two hosts in one process (two scenario runs) from sharing a cached module:
    // ES modules are cached by URL for the life of the process.
    const instanceQuery = `function=${encodeURIComponent(registered.functionName)}&host=${this.#hostId}&instance=${registered.instance}`;
    const restoreEnvironment = this.#applyEnvironment(registered);
    this.#virtualNow = () => atMs;
    const restoreDate = installVirtualDate(this.#readVirtualNow);
    let module: Record<string, unknown>;
    try {
      module = await loadHandlerModule({
        functionName: registered.functionName,
        file: bundlePath,
        format: registered.moduleFormat ?? "esm",
        instanceQuery,
        ...(registered.moduleScope === undefined ? {} : { moduleScope: registered.moduleScope }),
      });
    } catch (error) {
      if (error instanceof HandlerLoadError) throw error;
      registered.loaded = { initError: importError(error) };
      return registered.loaded;
    } finally {
      restoreDate();
      restoreEnvironment();
    }
    const exportName = registered.exportName!;
    // Lambda follows dots into nested objects (`index.handlers.create`).
    const handler = exportName
      .split(".")
      .reduce<unknown>(
        (object, key) =>
          typeof object === "object" || typeof object === "function"
            ? (object as Record<string, unknown> | null)?.[key]
            : undefined,
        module,
      );
    if (typeof handler !== "function") {
      const available = Object.keys(module).filter((key) => typeof module[key] === "function");
      const found = handler === undefined ? "does not export" : `exports a ${typeof handler} as`;
      throw new HandlerLoadError(
        registered.functionName,
        bundlePath,
        `function "${registered.functionName}": ${bundlePath} ${found} "${exportName}", not a function ` +
          `(exported functions: ${available.length > 0 ? available.join(", ") : "none"}); Lambda would fail with ` +
          `Runtime.HandlerNotFound. Fix the handler setting (<file>.${available[0] ?? exportName}) or export the function`,
      );
    }
    registered.loaded = { handler: handler as LambdaHandler };
    return registered.loaded;
  }

  #context(registered: Registered, clock: InvocationClock, awsRequestId: string): RuntimeContext {
    const functionName = registered.functionName;
    let finish: LambdaCallback = () => undefined;
    const context: RuntimeContext & { [kFinish]: (callback: LambdaCallback) => void } = {
      callbackWaitsForEmptyEventLoop: true,
      functionName,
      functionVersion: "$LATEST",
      invokedFunctionArn: `arn:aws:lambda:${this.#region}:${this.#accountId}:function:${functionName}`,
      memoryLimitInMB: String(registered.memorySizeMb),
      awsRequestId,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: `${new Date(clock.startMs).toISOString().slice(0, 10).replaceAll("-", "/")}/[$LATEST]${String(registered.instance).padStart(32, "0")}`,
      getRemainingTimeInMillis: () => clock.remainingMs(),
      done: (error, result) => finish(error, result),
      fail: (error) => finish(error ?? new Error("context.fail called")),
      succeed: (result) => finish(undefined, result),
      [kFinish]: (callback) => {
        finish = callback;
      },
    };
    return context;
  }

  /**
   * Puts the function's view in place of `process.env` (a plain object: the sandbox's own
   * environment, kept for the life of the instance as on Lambda, so a variable the code sets stays
   * set until the next initialization); returns the function that puts the process's back. Swapping
   * the object costs nothing per variable, where writing the real environment calls setenv for each.
   * Only `TZ` reaches the real environment, and only when the process is not on UTC already: it is
   * the one variable Node reads from there (for local-time `Date` methods).
   */
  #applyEnvironment(registered: Registered): () => void {
    if (registered.environmentView?.instance !== registered.instance)
      registered.environmentView = {
        instance: registered.instance,
        variables: this.#lambdaEnvironment(registered),
      };
    const original = Object.getOwnPropertyDescriptor(process, "env")!;
    Object.defineProperty(process, "env", { ...original, value: registered.environmentView.variables });
    const realEnvironment = original.value as NodeJS.ProcessEnv;
    const realTimeZone = realEnvironment.TZ;
    if (!PROCESS_ON_UTC) realEnvironment.TZ = "UTC";
    return () => {
      if (!PROCESS_ON_UTC) {
        if (realTimeZone === undefined) delete realEnvironment.TZ;
        else realEnvironment.TZ = realTimeZone;
      }
      Object.defineProperty(process, "env", original);
    };
  }

  /** What the Lambda runtime sets, then the function's own variables. */
  #lambdaEnvironment(registered: Registered): Record<string, string> {
    return {
      PATH: "/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin",
      LANG: "en_US.UTF-8",
      TZ: ":UTC",
      LAMBDA_TASK_ROOT: "/var/task",
      LAMBDA_RUNTIME_DIR: "/var/runtime",
      AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
      AWS_LAMBDA_FUNCTION_NAME: registered.functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(registered.memorySizeMb),
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${registered.functionName}`,
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      AWS_REGION: this.#region,
      AWS_DEFAULT_REGION: this.#region,
      // Lambda has no ~/.aws: a developer's shared config must not change what the SDK does here.
      AWS_CONFIG_FILE: "/nonexistent/rebound/aws-config",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/rebound/aws-credentials",
      _HANDLER: `index.${registered.exportName ?? "handler"}`,
      ...registered.environment,
    };
  }

  #serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  #get(functionName: string): Registered {
    const registered = this.#functions.get(functionName);
    if (registered === undefined) {
      throw new ConfigurationError(
        "functionName",
        `no function "${functionName}" is registered with this host (registered: ${this.functionNames.join(", ") || "none"})`,
      );
    }
    return registered;
  }

  #checkName(value: unknown): string {
    const functionName = checkString(value, "functionName");
    if (!FUNCTION_NAME.test(functionName)) {
      throw new ConfigurationError(
        "functionName",
        `functionName must be 1 to 64 letters, digits, hyphens or underscores (Lambda's rule); got ${describe(value)}`,
      );
    }
    if (this.#functions.has(functionName)) {
      throw new ConfigurationError("functionName", `function "${functionName}" is already registered`);
    }
    return functionName;
  }

  #environment(value: unknown, functionName: string): Readonly<Record<string, string>> {
    return value === undefined ? {} : { ...checkStringRecord(value, `${functionName}.environment`) };
  }

  #memory(value: unknown, functionName: string): number {
    return value === undefined ? 128 : checkNumber(value, `${functionName}.memorySizeMb`, 128, 10_240, true);
  }
}

const kFinish = Symbol("finish");

type HandlerOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

/**
 * Calls a handler in either style. A handler declaring three parameters uses the callback (Lambda's
 * Node.js runtime decides the same way); otherwise its return value (or promise) is the result.
 */
function callHandler(
  handler: LambdaHandler,
  event: unknown,
  context: RuntimeContext,
): Promise<HandlerOutcome> {
  return new Promise<HandlerOutcome>((resolveOutcome) => {
    let done = false;
    const finish: LambdaCallback = (error, result) => {
      if (done) return;
      done = true;
      resolveOutcome(
        error === undefined || error === null ? { ok: true, value: result } : { ok: false, error },
      );
    };
    (context as unknown as Record<symbol, (callback: LambdaCallback) => void>)[kFinish]!(finish);
    try {
      const returned = handler.length >= 3 ? handler(event, context, finish) : handler(event, context);
      if (handler.length < 3) {
        Promise.resolve(returned).then(
          (value) => finish(undefined, value),
          (error: unknown) => finish(error ?? new Error("handler rejected with no reason")),
        );
      }
    } catch (error) {
      finish(error ?? new Error("handler threw with no reason"));
    }
  });
}

/**
 * What the Node.js runtime reports for a thrown value: the error's name and message, and its stack
 * frames without the header line.
 */
function lambdaError(error: unknown): LambdaErrorPayload {
  if (error instanceof Error) {
    return {
      errorType: error.name,
      errorMessage: error.message,
      trace: (error.stack ?? "")
        .split("\n")
        .slice(1)
        .map((line) => line.trim())
        .filter((line) => line !== ""),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/** The JSON round trip Lambda applies to a result. */
function marshal(value: unknown, durationMs: number): Reply {
  try {
    const text = JSON.stringify(value === undefined ? null : value);
    return Reply.success(JSON.parse(text ?? "null"), { durationMs });
  } catch (error) {
    return Reply.error(
      {
        errorType: "Runtime.MarshalError",
        errorMessage: `Unable to marshal response: ${error instanceof Error ? error.message : String(error)}`,
        trace: [],
      },
      { durationMs },
    );
  }
}

/** Lambda reports a module that cannot resolve its imports as `Runtime.ImportModuleError`. */
function importError(error: unknown): unknown {
  if (error instanceof Error && (error as { code?: string }).code === "ERR_MODULE_NOT_FOUND") {
    const wrapped = new Error(`Error: ${error.message}`, { cause: error });
    wrapped.name = "Runtime.ImportModuleError";
    return wrapped;
  }
  return error;
}

/** Whether local time is UTC in this process all year (then handlers' `TZ=:UTC` needs no switch). */
const PROCESS_ON_UTC =
  new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset() === 0 &&
  new Date(Date.UTC(2026, 6, 15)).getTimezoneOffset() === 0;

function delay(ms: number): Promise<void> {
  return new Promise((resolveDelay) => setTimeout(resolveDelay, ms).unref());
}
