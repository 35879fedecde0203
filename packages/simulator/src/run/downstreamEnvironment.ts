import type { InMemoryParameterStore } from "../aws/InMemoryParameterStore.js";
import type { ScriptedHttpService } from "../aws/ScriptedHttpService.js";
import type { StackFunction } from "../terraform/loadStack.js";
import type { TerraformJson } from "../terraform/TerraformJson.js";
import { firstBlock } from "../terraform/terraformValues.js";

/**
 * The downstream a function's environment variable points at: the first word of the variable,
 * lower-cased (`PAYMENT_PROVIDER_URL` → `payment`, `SLACK_WEBHOOK_PARAMETER_NAME` → `slack`).
 *
 * @example
 * ```ts
 * downstreamName("PAYMENT_PROVIDER_URL"); // "payment"
 * ```
 */
export function downstreamName(key: string): string {
  return key.split("_")[0]!.toLowerCase();
}

/**
 * The downstreams the stack's functions call, by name: every environment variable whose value is a
 * literal URL (an endpoint outside the stack) or whose name ends in `_PARAMETER_NAME` (an SSM
 * parameter holding the URL, as the Slack webhook is kept), named by `downstreamName`. A scenario may
 * script only these: a downstream no function calls would never be asked anything, and a check on it
 * would pass without meaning.
 *
 * @example
 * ```ts
 * calledDownstreams(tf); // { urls: ["mail", "payment"], all: ["mail", "payment", "slack"] }
 * ```
 */
export function calledDownstreams(tf: TerraformJson): { urls: string[]; all: string[] } {
  const urls = new Set<string>();
  const all = new Set<string>();
  for (const fn of tf.resourcesOfType("aws_lambda_function")) {
    const variables = firstBlock(firstBlock(fn.values.environment)?.variables) ?? {};
    for (const [key, value] of Object.entries(variables)) {
      if (typeof value === "string" && /^https?:\/\//.test(value)) {
        urls.add(downstreamName(key));
        all.add(downstreamName(key));
      } else if (key.endsWith("_PARAMETER_NAME")) all.add(downstreamName(key));
    }
  }
  return { urls: [...urls].sort(), all: [...all].sort() };
}

/**
 * A function's environment with every URL outside the stack rewritten to the scripted downstream that
 * stands in for it, and every `*_PARAMETER_NAME` that names a downstream's URL (the Slack webhook in
 * SSM) stored in the parameter store, so the function reads it at run time as it would on AWS.
 *
 * @example
 * ```ts
 * const environment = withDownstreams(fn, downstreams, parameters, endpoints.url);
 * ```
 */
export function withDownstreams(
  fn: StackFunction,
  downstreams: ReadonlyMap<string, ScriptedHttpService>,
  parameters: InMemoryParameterStore,
  localEndpointUrl: string,
): Record<string, string> {
  const environment: Record<string, string> = { ...fn.environment };
  for (const [key, value] of Object.entries(environment)) {
    const service = downstreams.get(downstreamName(key));
    // Queue URLs already point at the local endpoints; any other URL is a dependency outside the stack.
    if (/^https?:\/\//.test(value) && !value.startsWith(localEndpointUrl)) {
      // Started for every URL variable before the functions are registered, so it is always there.
      if (service) environment[key] = service.url;
    } else if (key.endsWith("_PARAMETER_NAME") && service) {
      // An SSM parameter holding the downstream's URL (the Slack webhook): the function reads it at run time.
      parameters.put({ name: value, type: "SecureString", value: `${service.url}/webhook` });
    }
  }
  return environment;
}

/**
 * The routes of the stand-in for a downstream the scenario does not script: every method and path
 * up to six segments deep answers 501 with a message naming the scenario file and the fix, so a call
 * the scenario did not expect fails loudly instead of reaching for the real internet.
 *
 * @example
 * ```ts
 * unscriptedRoutes("stock", "scenarios/happy-path.yaml")["* /{s0}"]; // { status: 501, body: {...} }
 * ```
 */
export function unscriptedRoutes(
  name: string,
  scenarioFile: string,
): Record<string, { status: number; body: unknown }> {
  const answer = {
    status: 501,
    body: { message: `${scenarioFile} does not script the downstream "${name}"; add it under downstreams:` },
  };
  return Object.fromEntries(
    Array.from({ length: 7 }, (_, depth) => [
      `* /${Array.from({ length: depth }, (_, index) => `{s${index}}`).join("/")}`,
      answer,
    ]),
  );
}
