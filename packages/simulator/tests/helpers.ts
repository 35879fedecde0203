import { Simulation } from "../src/engine/Simulation.js";
import { Trace } from "../src/engine/Trace.js";
import { AccountConcurrency } from "../src/lambda/AccountConcurrency.js";
import type { LambdaRuntimeEnv } from "../src/lambda/LambdaFunction.js";

/** A bare runtime environment for unit tests of one function. */
export function runtimeEnv(options: { seed?: number; accountConcurrency?: number } = {}): LambdaRuntimeEnv & {
  trace: Trace;
} {
  const simulation = new Simulation({ seed: options.seed ?? 1, startMs: 0 });
  return {
    simulation,
    trace: new Trace(() => simulation.now(), { collect: true }),
    account: new AccountConcurrency(options.accountConcurrency ?? 1000),
    region: "us-east-1",
    accountId: "123456789012",
  };
}
