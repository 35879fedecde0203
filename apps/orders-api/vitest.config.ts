import { defineConfig, mergeConfig } from "vitest/config";
import { sharedTestConfig } from "../../vitest.shared.mjs";

export default mergeConfig(sharedTestConfig, defineConfig({ test: { testTimeout: 20_000 } }));
