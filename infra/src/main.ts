// `pnpm --filter @rebound/infra synth` (scripts/synth.mjs compiles this file, then runs it): synthesizes infra/cdktf.out/stacks/orders/cdk.tf.json from
// the configuration REBOUND_ENV selects (config/dev.json by default, no AWS account needed) and the
// apps' esbuild bundles. Policy violations and configuration errors print and exit 1.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InfraError } from "./errors.js";
import { loadConfig } from "./loadConfig.js";
import { synthOrders } from "./synthOrders.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
try {
  const config = loadConfig();
  const started = performance.now();
  // The cdktf CLI (cdktf deploy) tells the app where to write through CDKTF_OUTDIR.
  const outdir = process.env.CDKTF_OUTDIR;
  const { stack, stackFile } = synthOrders({ config, repoRoot, ...(outdir ? { outdir } : {}) });
  const backend = config.stateBackend
    ? `s3://${config.stateBackend.bucket}/${config.stateBackend.key}`
    : "local (no stateBackend configured)";
  console.log(
    `synthesized ${stackFile} for ${config.environment} (${config.region}, prefix ${config.namePrefix}, state ${backend}) in ${Math.round(performance.now() - started)} ms`,
  );
  for (const item of stack.policies.acknowledged) {
    console.log(`acknowledged ${item.rule} on ${item.address}: ${item.reason}`);
  }
} catch (error) {
  // Policy violations come from cdktf's validation step as a plain Error listing every violation.
  console.error(error instanceof InfraError ? error.message : error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
