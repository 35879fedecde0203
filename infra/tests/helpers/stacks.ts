import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { type App, Aspects, TerraformStack, Testing } from "cdktf";
import { LambdaBundle } from "../../src/constructs/LambdaBundle.js";
import { NodeFunction, type NodeFunctionProps } from "../../src/constructs/NodeFunction.js";
import { loadConfig, type ReboundConfig } from "../../src/loadConfig.js";
import { PolicyAspect } from "../../src/policies/PolicyAspect.js";
import { ORDERS_APPS, type OrdersApp, OrdersStack } from "../../src/stacks/OrdersStack.js";

const here = dirname(fileURLToPath(import.meta.url));
export const fixtureBundle = join(here, "..", "fixtures", "bundle");
export const fixtureConfigDir = join(here, "..", "fixtures", "config");

/** The test configuration (tests/fixtures/config/test.json), optionally with REBOUND_* overrides. */
export function testConfig(environ: Record<string, string> = {}): ReboundConfig {
  return loadConfig({ environ: { REBOUND_ENV: "test", ...environ }, configDir: fixtureConfigDir });
}

export const fixtureBundleDirs = Object.fromEntries(ORDERS_APPS.map((app) => [app, fixtureBundle])) as Record<
  OrdersApp,
  string
>;

/** A fresh orders stack on the fixture bundle. */
export function ordersStack(config: ReboundConfig = testConfig()): OrdersStack {
  return new OrdersStack(Testing.app(), "orders", { config, bundleDirs: fixtureBundleDirs });
}

/** Synthesized Terraform JSON (policy validations run). */
export function synth(stack: TerraformStack): string {
  return Testing.synth(stack, true);
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** Every resource of one type in synthesized JSON, in synthesis order. */
export function resourcesOf(json: string, type: string): Record<string, unknown>[] {
  const parsed = JSON.parse(json) as { resource?: Resources };
  return Object.values(parsed.resource?.[type] ?? {});
}

/** The one resource of a type whose attribute equals a value; throws when there is not exactly one. */
export function resourceWhere(
  json: string,
  type: string,
  key: string,
  value: unknown,
): Record<string, unknown> {
  const found = resourcesOf(json, type).filter((resource) => resource[key] === value);
  if (found.length !== 1)
    throw new Error(`expected one ${type} with ${key} = ${JSON.stringify(value)}, found ${found.length}`);
  return found[0]!;
}

/**
 * A bare stack with the policy aspect and a provider, for construct and rule tests: `build` adds
 * what the test needs.
 */
export function policyStack(
  build: (
    stack: TerraformStack,
    helpers: { fn: (props?: Partial<NodeFunctionProps>) => NodeFunction },
  ) => void,
): {
  stack: TerraformStack;
  policies: PolicyAspect;
} {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  let bundle: LambdaBundle | undefined;
  let count = 0;
  const fn = (props: Partial<NodeFunctionProps> = {}) => {
    bundle ??= new LambdaBundle(stack, "bundle", { app: "fixture", bundleDir: fixtureBundle });
    count++;
    return new NodeFunction(stack, `fn-${count}`, { functionName: `fn-${count}`, bundle, ...props });
  };
  build(stack, { fn });
  const policies = new PolicyAspect();
  Aspects.of(stack).add(policies);
  return { stack, policies };
}

/**
 * The Terraform reference to the resource of `type` whose `key` attribute equals `value`, e.g.
 * `${aws_sqs_queue.payments_queue_1A2B3C4D.url}`: found by attribute, never by generated id.
 */
export function refTo(json: string, type: string, key: string, value: unknown, attribute: string): string {
  const parsed = JSON.parse(json) as { resource?: Resources };
  const ids = Object.entries(parsed.resource?.[type] ?? {})
    .filter(([, resource]) => resource[key] === value)
    .map(([id]) => id);
  if (ids.length !== 1)
    throw new Error(`expected one ${type} with ${key} = ${JSON.stringify(value)}, found ${ids.length}`);
  return `\${${type}.${ids[0]}.${attribute}}`;
}
