import { defineConfig } from "vitest/config";

// One test run for the whole workspace: unit tests need nothing; integration and
// end-to-end tests get real NATS and a MongoDB-wire database from the global setup.
export default defineConfig({
  resolve: { conditions: ["@civic/source"] },
  ssr: { resolve: { conditions: ["@civic/source"] } },
  test: {
    include: [
      "libs/*/src/**/*.test.ts",
      "services/*/src/**/*.test.ts",
      "services/gateway/dashboard-page/src/**/*.test.ts",
      "deploy/local/src/**/*.test.ts",
      "test/src/**/*.test.ts",
    ],
    globalSetup: ["libs/testing/src/vitest-global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
