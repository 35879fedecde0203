// The test settings every package shares (each package's vitest.config.ts merges these; vitest.shared.d.mts types them for tsc). Kept in one
// file so `npm test` reads the same way everywhere: quiet when tests pass, everything when one fails.
import { fileURLToPath } from "node:url";

/**
 * Shared vitest settings: console output (and the handlers' JSON log lines, which vitest.setup.ts
 * routes through the console) is printed only for failing tests, and the AWS SDK's Node-version
 * warning is left out (the root `npm test` prints the Node advice once instead).
 *
 * @example
 * ```ts
 * import { defineConfig, mergeConfig } from "vitest/config";
 * import { sharedTestConfig } from "../../vitest.shared.mjs";
 * export default mergeConfig(sharedTestConfig, defineConfig({ test: { testTimeout: 20_000 } }));
 * ```
 */
/** @type {import("vitest/config").ViteUserConfig} */
export const sharedTestConfig = {
  test: {
    include: ["tests/**/*.test.ts"],
    silent: "passed-only",
    setupFiles: [fileURLToPath(new URL("./vitest.setup.mjs", import.meta.url))],
    // Child processes a test starts (the simulator CLI) inherit this and stay quiet as well.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
};
