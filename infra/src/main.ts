import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { App } from "cdktf";
import { OrdersStack } from "./stacks/OrdersStack.js";

// Synthesizes every stack into cdktf.out/. Per-environment settings come from the environment so that
// deploying to another account or region needs no code change.
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../..");
const apps = ["payments-worker"];
const bundleDirs = Object.fromEntries(apps.map((app) => [app, join(repoRoot, "apps", app, "dist")]));
for (const [app, dir] of Object.entries(bundleDirs)) {
  if (!existsSync(join(dir, "index.mjs"))) {
    console.error(`The bundle of ${app} is missing at ${dir}/index.mjs. Run \`pnpm build\` first.`);
    process.exit(1);
  }
}

const app = new App({ outdir: join(repoRoot, "infra/cdktf.out") });
new OrdersStack(app, "orders", {
  region: process.env.AWS_REGION ?? "eu-west-1",
  namePrefix: process.env.REBOUND_NAME_PREFIX ?? "rebound-dev",
  bundleDirs,
});
app.synth();
