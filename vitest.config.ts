import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite instances are memory-hungry WASM; two workers match the 2-core machine.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "server",
          environment: "node",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["test/browser/**", "node_modules/**"],
        },
      },
      {
        // The React dashboard's component tests: a DOM (happy-dom), fetch mocked at the
        // network boundary. Kept apart so the server suite stays in plain Node.
        extends: true,
        plugins: [react()],
        test: {
          name: "dashboard",
          environment: "happy-dom",
          include: ["src/web/dashboard/**/*.test.tsx"],
          setupFiles: ["src/web/dashboard/testing/setup.ts"],
        },
      },
    ],
  },
});
