import type { LambdaHandler } from "../lambda/LambdaContext.js";
import { Script } from "../lambda/Script.js";
import type { Scenario } from "../scenario/Scenario.js";

/**
 * The functions (short names) whose invocation events a scenario's checks read: an `invocations`
 * check of the n-th invocation or of the order of records. Only these are kept: a large run keeps
 * no event it does not need.
 *
 * @example
 * ```ts
 * functionsWhosePayloadsAreRead(scenario); // Set { "worker" }
 * ```
 */
export function functionsWhosePayloadsAreRead(scenario: Pick<Scenario, "expect">): Set<string> {
  const names = new Set<string>();
  for (const expectation of scenario.expect) {
    if (
      expectation.check === "invocations" &&
      (expectation.nth !== undefined || expectation.order !== undefined)
    )
      names.add(expectation.function);
  }
  return names;
}

/**
 * A handler that records a copy of every event it receives, by request id, before the real handler
 * or script runs (a copy: the handler may change the object it gets).
 *
 * @example
 * ```ts
 * const payloads = new Map<string, unknown>();
 * topology.addFunction({ functionName: "worker", handler: keepingPayloads(scripted.succeed(), payloads) });
 * ```
 */
export function keepingPayloads(
  handler: LambdaHandler | Script,
  payloads: Map<string, unknown>,
): LambdaHandler | Script {
  const keep =
    (inner: LambdaHandler): LambdaHandler =>
    (event, context, callback) => {
      payloads.set(context.awsRequestId, structuredClone(event));
      return inner(event, context, callback);
    };
  if (handler instanceof Script)
    return new Script(handler.description, (env) => keep(handler.bind(env)), true);
  return keep(handler);
}
