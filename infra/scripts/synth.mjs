#!/usr/bin/env node
// `pnpm --filter @rebound/infra synth` and cdktf.json's app: compiles src/main.ts to dist/main.mjs
// (packages stay external, so provider imports stay deep), then runs it.
import { compileAndRun } from "./compileAndRun.mjs";

await compileAndRun("main.ts", "main.mjs", true);
