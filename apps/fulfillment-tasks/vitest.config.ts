import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 20_000,
    // Skeleton only: removed once the app has its tests.
    passWithNoTests: true,
  },
});
