import { SimulatorError } from "../engine/errors.js";

/**
 * Base class of the errors raised by the simulator's environment (local AWS endpoints, the handler
 * host, scripted HTTP downstreams). It extends the package's `SimulatorError`, so one `instanceof`
 * check catches everything the simulator throws.
 *
 * @example
 * ```ts
 * import { EnvironmentError } from "@rebound/simulator";
 * try { await host.invoke("payments-worker", event, { clock }); }
 * catch (error) { if (error instanceof EnvironmentError) console.error(error.message); }
 * ```
 */
export class EnvironmentError extends SimulatorError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "EnvironmentError";
  }
}

/**
 * An AWS API error, thrown by a `ServiceBackends` implementation and written to the wire in the
 * protocol's own error format (JSON `__type`, query `<ErrorResponse>`), so the AWS SDK v3 client in the
 * handler throws its matching exception class. `code` is AWS's wire code for that service
 * (`QueueDoesNotExist`, `ExecutionAlreadyExists`, `ParameterNotFound`, SNS `NotFound`, ...).
 *
 * @example
 * ```ts
 * import { AwsServiceError } from "@rebound/simulator";
 * throw new AwsServiceError("ExecutionAlreadyExists", `Execution Already Exists: '${executionArn}'`, 400);
 * ```
 */
export class AwsServiceError extends EnvironmentError {
  public constructor(
    public readonly code: string,
    message: string,
    public readonly statusCode = 400,
    options?: ErrorOptions & { readonly senderFault?: boolean },
  ) {
    super(message, options);
    this.name = "AwsServiceError";
    this.senderFault = options?.senderFault ?? statusCode < 500;
  }

  /** True when AWS blames the caller (query protocol `<Type>Sender</Type>`); default: status < 500. */
  public readonly senderFault: boolean;
}

/**
 * A function's bundle or its export cannot be loaded. The message names the function, the export
 * and the path looked at, and how to fix it (build the app, fix the handler setting).
 *
 * @example
 * ```ts
 * import { HandlerLoadError } from "@rebound/simulator";
 * try { host.register({ functionName: "receipts", bundlePath: "apps/receipts/dist/index.mjs", exportName: "handler" }); }
 * catch (error) { if (error instanceof HandlerLoadError) console.error(error.functionName, error.bundlePath); }
 * ```
 */
export class HandlerLoadError extends EnvironmentError {
  public constructor(
    public readonly functionName: string,
    public readonly bundlePath: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "HandlerLoadError";
  }
}

/**
 * A handler did not settle within the host's real-time safety limit while its virtual time stood
 * still (it awaits something that never resolves and no downstream consumed virtual time). Rebound
 * cannot move virtual time for it, so it stops the run instead of hanging.
 *
 * @example
 * ```ts
 * import { HandlerStalledError } from "@rebound/simulator";
 * // thrown by HandlerHost.invoke after `stallLimitMs` of real time
 * ```
 */
export class HandlerStalledError extends EnvironmentError {
  public constructor(
    public readonly functionName: string,
    public readonly stallLimitMs: number,
  ) {
    super(
      `the handler of function "${functionName}" did not settle within ${stallLimitMs} ms of real time; ` +
        "it awaits something that never resolves (a promise nobody settles, a server that never answers). " +
        "Give its downstreams a virtual latency or an outage so the function timeout ends it, or raise stallLimitMs",
    );
    this.name = "HandlerStalledError";
  }
}
