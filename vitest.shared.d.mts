// Types of vitest.shared.mjs for the packages' tsc (a .d.mts is outside each package's rootDir check).
import type { ViteUserConfig } from "vitest/config";

/** Shared vitest settings; see vitest.shared.mjs. */
export declare const sharedTestConfig: ViteUserConfig;
