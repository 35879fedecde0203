// `pnpm --filter @rebound/infra deploy:check|deploy:plan|deploy:apply` and, bundled with nothing but
// Node built-ins to dist/deploy.mjs, the deploy workflow's `node infra/dist/deploy.mjs …`: the deploy
// job runs it with AWS credentials and no node_modules, so no installed package sees them.
//
//   check  --environment prod [--provider-mirror DIR]   no credentials: stack is prod's; init (backend
//                                                        off), validate, plan against empty state
//   plan   --environment prod                            credentials: init with the S3 backend, plan -out
//   apply  --environment prod                            credentials: apply the saved plan, nothing else
//
// The environment comes from --environment or REBOUND_ENV and has no default: a deploy must say which.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { applyDeploy } from "./deploy/applyDeploy.js";
import { checkOffline } from "./deploy/checkOffline.js";
import { PLAN_FILE, planDeploy } from "./deploy/planDeploy.js";
import { InfraError } from "./errors.js";

const USAGE =
  "usage: deploy.mjs check|plan|apply --environment <name> [--stack-dir DIR] [--provider-mirror DIR]";

function parse(argv: readonly string[]): { command: string; flags: Record<string, string> } {
  const [command = "", ...rest] = argv;
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const name = rest[i] ?? "";
    const value = rest[i + 1];
    if (!["--environment", "--stack-dir", "--provider-mirror"].includes(name) || value === undefined) {
      throw new InfraError(`unknown or incomplete option ${JSON.stringify(name)}; ${USAGE}`);
    }
    flags[name.slice(2)] = value;
  }
  if (!["check", "plan", "apply"].includes(command)) {
    throw new InfraError(`unknown command ${JSON.stringify(command)}; ${USAGE}`);
  }
  return { command, flags };
}

try {
  const { command, flags } = parse(process.argv.slice(2));
  const environment = flags.environment ?? process.env.REBOUND_ENV;
  if (environment === undefined || !/^[a-z0-9-]{1,20}$/.test(environment)) {
    throw new InfraError(
      `say which environment to deploy: --environment prod or REBOUND_ENV=prod (got ${JSON.stringify(environment)})`,
    );
  }
  const stackDir = resolve(
    flags["stack-dir"] ??
      join(dirname(fileURLToPath(import.meta.url)), "..", "cdktf.out", "stacks", "orders"),
  );
  if (command === "check") {
    const mirror = flags["provider-mirror"] ?? process.env.REBOUND_TF_PROVIDER_MIRROR;
    const result = checkOffline({ stackDir, environment, ...(mirror ? { providerMirror: mirror } : {}) });
    const backend =
      result.backend === "local" ? "local" : `s3://${result.backend.bucket}/${result.backend.key}`;
    console.log(
      `deploy check: ${environment} stack (${result.resourceCount} resources, state ${backend}) validates; against empty state: ${result.planLine}`,
    );
  } else if (command === "plan") {
    const summaryFile = process.env.GITHUB_STEP_SUMMARY;
    planDeploy({ stackDir, environment, ...(summaryFile ? { summaryFile } : {}) });
    console.log(`deploy plan: saved ${join(stackDir, PLAN_FILE)}; apply it with deploy:apply`);
  } else {
    applyDeploy({ stackDir, environment });
    console.log(`deploy apply: applied ${join(stackDir, PLAN_FILE)} to ${environment}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
