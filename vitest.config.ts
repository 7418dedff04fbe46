import { defineConfig } from "vitest/config";

// One test run covers unit tests (next to their files), cross-module tests and browser tests.
export default defineConfig({
  test: {
    include: ["pipeline/**/*.test.ts", "tiles/**/*.test.ts", "viewer/src/**/*.test.ts", "tests/**/*.test.ts"],
    // one demo run shared by the server and browser tests (tests/helpers/demo-fixture.ts)
    globalSetup: ["tests/helpers/demo-cache.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
  },
});
