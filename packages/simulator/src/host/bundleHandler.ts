import type { LambdaHandler } from "../lambda/LambdaContext.js";
import type { HandlerHost } from "./HandlerHost.js";
import { InvocationClock } from "./InvocationClock.js";

/** What the adapter needs to know of the function whose bundle it runs. */
export interface BundleHandlerOptions {
  /** The function's name, as registered with the host. */
  readonly functionName: string;
  /** The function's timeout: each invocation's clock aborts the handler at it. */
  readonly timeoutSeconds: number;
  /** Virtual now, epoch ms: when each invocation starts. */
  readonly now: () => number;
}

/**
 * The seam between the models and the real bundles: a `LambdaHandler` that the function runtime
 * (`LambdaFunction`) calls like any other, which runs the registered bundle in the `HandlerHost` on a
 * fresh invocation clock and answers with the host's `Reply` (a timeout reported as a timeout).
 *
 * @example
 * ```ts
 * import { bundleHandler, HandlerHost } from "@rebound/simulator";
 * const host = new HandlerHost();
 * host.register({ functionName: "orders-api", bundlePath: "apps/orders-api/dist/index.mjs", exportName: "handler" });
 * topology.addFunction({ functionName: "orders-api", timeoutSeconds: 10,
 *   handler: bundleHandler(host, { functionName: "orders-api", timeoutSeconds: 10, now: () => topology.simulation.now() }) });
 * ```
 */
export function bundleHandler(host: HandlerHost, options: BundleHandlerOptions): LambdaHandler {
  const { functionName, now } = options;
  const timeoutMs = options.timeoutSeconds * 1000;
  return function runBundle(event, context) {
    return host.invoke(functionName, event, {
      clock: new InvocationClock({ startMs: now(), timeoutMs }),
      awsRequestId: context.awsRequestId,
    });
  };
}
