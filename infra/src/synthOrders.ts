import { rmSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import type { ReboundConfig } from "./loadConfig.js";
import { PropChecks } from "./PropChecks.js";
import { ORDERS_APPS, type OrdersApp, OrdersStack } from "./stacks/OrdersStack.js";

/** Options of {@link synthOrders}. */
export interface SynthOrdersOptions {
  readonly config: ReboundConfig;
  /** The monorepo root; bundles are read from <repoRoot>/apps/<app>/dist unless `bundleDirs` says otherwise. */
  readonly repoRoot: string;
  /** Where cdktf writes. Default <repoRoot>/infra/cdktf.out. */
  readonly outdir?: string;
  /** Bundle folder per app. Default <repoRoot>/apps/<app>/dist. */
  readonly bundleDirs?: Readonly<Record<OrdersApp, string>>;
}

/** What one synthesis produced. */
export interface SynthOrdersResult {
  readonly stack: OrdersStack;
  /** Path of the synthesized Terraform JSON (…/stacks/orders/cdk.tf.json). */
  readonly stackFile: string;
}

/**
 * Synthesizes the orders stack to disk (policy checks included): the one entry point main.ts and the
 * benchmark share.
 *
 * @example
 * ```ts
 * import { loadConfig } from "@rebound/infra/loadConfig";
 * import { synthOrders } from "@rebound/infra/synthOrders";
 * const { stackFile } = synthOrders({ config: loadConfig(), repoRoot: "/work/main" });
 * ```
 */
export function synthOrders(options: SynthOrdersOptions): SynthOrdersResult {
  const checks = new PropChecks("synthOrders", options, ["config", "repoRoot", "outdir", "bundleDirs"]);
  checks.string("repoRoot", options.repoRoot, /^\//, "an absolute path to the monorepo root");
  checks.require(
    typeof options.config === "object" && options.config !== null,
    "config is required: pass loadConfig()",
  );
  checks.throwIfAny();
  const outdir = options.outdir ?? join(options.repoRoot, "infra", "cdktf.out");
  const bundleDirs =
    options.bundleDirs ??
    (Object.fromEntries(
      ORDERS_APPS.map((app) => [app, join(options.repoRoot, "apps", app, "dist")]),
    ) as Record<OrdersApp, string>);
  // cdktf never deletes old assets: start from an empty stack folder so no stale zip is deployed.
  rmSync(join(outdir, "stacks", "orders"), { recursive: true, force: true });
  const app = new App({ outdir, skipValidation: false });
  const stack = new OrdersStack(app, "orders", { config: options.config, bundleDirs });
  app.synth();
  return { stack, stackFile: join(outdir, "stacks", "orders", "cdk.tf.json") };
}
