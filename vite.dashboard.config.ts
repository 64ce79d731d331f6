import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { readConfig } from "./src/config.js";

/** The dashboard's sources (its own `index.html`) and where the build goes (gitignored). */
export const DASHBOARD_ROOT = fileURLToPath(new URL("./src/web/dashboard", import.meta.url));
export const DASHBOARD_OUT_DIR = fileURLToPath(new URL("./dist/dashboard", import.meta.url));

/**
 * Vite config of the React dashboard served at `/app` (`npm run build`,
 * `npm run dev:dashboard`, and the build-on-start of `npm start`).
 *
 * Dev server: proxies `/api`, `/auth` and `/_emulator` to the Backbeat server that the
 * same environment would start (HOST/PORT from `src/config.ts`). The proxy rewrites the
 * `Origin` header to the server's own origin, because the API's CSRF check and Better
 * Auth only accept same-origin writes, and the browser's origin here is the dev server's.
 */
export default defineConfig(({ command }) => {
  const target = command === "serve" ? serverOrigin() : "";
  const proxy = { target, changeOrigin: true, headers: { origin: target } };
  return {
    root: DASHBOARD_ROOT,
    base: "/app/",
    plugins: [react()],
    // Nothing from the environment reaches the bundle (no VITE_* variables are used).
    envPrefix: "BACKBEAT_DASHBOARD_UNUSED_",
    build: {
      outDir: DASHBOARD_OUT_DIR,
      emptyOutDir: true,
      assetsDir: "assets",
      // Inline nothing: the CSP allows scripts, styles and fonts only from 'self'.
      assetsInlineLimit: 0,
      target: "es2022",
      reportCompressedSize: true,
    },
    server: {
      port: 5173,
      strictPort: false,
      proxy: { "/api": proxy, "/auth": proxy, "/_emulator": proxy },
    },
  };
});

/** `http://host:port` of the local Backbeat server (0.0.0.0 / :: are reached via loopback). */
function serverOrigin(): string {
  const { host, port } = readConfig();
  const reachable = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
}
