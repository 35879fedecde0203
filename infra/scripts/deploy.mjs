#!/usr/bin/env node
// `pnpm --filter @rebound/infra deploy:check|deploy:plan|deploy:apply`: compiles src/deployMain.ts to
// dist/deploy.mjs with everything bundled (it imports only Node built-ins), then runs it.
import { compileAndRun } from "./compileAndRun.mjs";

await compileAndRun("deployMain.ts", "deploy.mjs", false);
