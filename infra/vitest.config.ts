import { defineConfig, mergeConfig } from "vitest/config";
import { sharedTestConfig } from "../vitest.shared.mjs";

export default mergeConfig(
  sharedTestConfig,
  defineConfig({ test: { setupFiles: ["tests/helpers/matchers.ts"], testTimeout: 60_000 } }),
);
