import { Simulation } from "../src/engine/Simulation.js";
import { Trace } from "../src/engine/Trace.js";
import { AccountConcurrency } from "../src/lambda/AccountConcurrency.js";
import type { LambdaRuntimeEnv } from "../src/lambda/LambdaFunction.js";
import { parseScenario } from "../src/scenario/parseScenario.js";
import { ScenarioError } from "../src/scenario/ScenarioError.js";

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

/**
 * The problems `parseScenario` reports for a scenario text, each as `<line>: <message>`; fails the
 * test when the text parses.
 */
export function scenarioIssueLines(text: string, file = "x.yaml"): string[] {
  try {
    parseScenario(text, file);
  } catch (error) {
    if (error instanceof ScenarioError) return error.issues.map((issue) => `${issue.line}: ${issue.message}`);
    throw error;
  }
  throw new Error("expected a ScenarioError, but the scenario parsed");
}
