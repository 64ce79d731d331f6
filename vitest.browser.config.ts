import { defineConfig } from "vitest/config";

/**
 * The real-browser suite (`npm run test:browser`): the real server as a child process,
 * driven by Debian's Chromium through playwright-core. Kept apart from `npm test`
 * (vitest.config.ts excludes test/browser), because it needs /usr/bin/chromium.
 */
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    exclude: ["node_modules/**"],
    // One server and one browser per file; files run one at a time on the 2-core machine.
    fileParallelism: false,
    testTimeout: 45_000,
    // beforeAll starts the server (≈7 s cold) and Chromium; afterAll waits ≤ 15 s for exit.
    hookTimeout: 60_000,
  },
});
