import { serveStatic } from "@hono/node-server/serve-static";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";
import { THEMES } from "./pages/index";
import { renderMessagePage } from "./pages/render-message-page";

/** Where `npm run build` (vite.dashboard.config.ts) writes the dashboard; gitignored. */
export const DASHBOARD_DIST_DIR = fileURLToPath(new URL("../../dist/dashboard", import.meta.url));

export interface ServeDashboardInput {
  /** Directory holding the built `index.html` and `assets/`; `DASHBOARD_DIST_DIR` by default. */
  distDir?: string;
  /** Public origin, for the "not built" message page. */
  publicUrl: string;
}

/**
 * Content-Security-Policy of the dashboard's HTML. Scripts and styles only from our
 * origin (Vite emits no inline code); the theme stylesheets' hashes are allowed because the
 * smart-link editor's live preview is an `<iframe srcdoc>`, which inherits this policy,
 * and the public pages carry their theme CSS inline. Images: ours and Spotify's artwork
 * CDN (release artwork and artist photos the API returns). No third-party scripts,
 * fonts or connections; the app may not be framed.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'self' ${Object.values(THEMES)
    .map((t) => t.cspStyleHash)
    .join(" ")}`,
  "img-src 'self' https://i.scdn.co https://*.scdn.co https://*.spotifycdn.com",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The React dashboard, mounted at `/app`:
 * - `GET /app/assets/*` → the hashed build files, `Cache-Control: public, max-age=31536000, immutable`;
 *   a missing file is a plain 404 (never the HTML, which would be parsed as script).
 * - any other `GET /app/*` → `index.html` (SPA fallback) with `Cache-Control: no-store` and
 *   `DASHBOARD_CSP`. The file is re-read when its mtime changes, so a rebuild needs no restart.
 * - no build yet → 503 page telling the operator to run `npm run build`.
 */
export function serveDashboard(input: ServeDashboardInput): Hono {
  const distDir = input.distDir ?? DASHBOARD_DIST_DIR;
  const indexFile = join(distDir, "index.html");
  let cached: { mtimeMs: number; html: string } | null = null;

  const app = new Hono();
  // File names carry a content hash, so a found file never changes.
  app.use("/assets/*", async (c, next) => {
    await next();
    if (c.res.status === 200 || c.res.status === 206) c.res.headers.set("Cache-Control", "public, max-age=31536000, immutable");
  });
  // Made on first use: the build may still be running when the app is created (build on
  // start), and serveStatic warns on stderr about a root that does not exist yet.
  let assets: ReturnType<typeof serveStatic> | undefined;
  app.use("/assets/*", (c, next) => {
    assets ??= serveStatic({ root: distDir, rewriteRequestPath: (path) => path.replace(/^\/app/, "") });
    return assets(c, next);
  });
  app.all("/assets/*", (c) => c.text("Not found", 404, { "Cache-Control": "no-store" }));

  app.get("*", async (c) => {
    c.header("Cache-Control", "no-store");
    const info = await stat(indexFile).catch(() => null);
    if (!info) {
      return c.html(
        renderMessagePage({
          publicUrl: input.publicUrl,
          status: 503,
          title: "The dashboard is not built yet",
          message:
            "The operator needs to build the dashboard once: run `npm run build` in the Backbeat folder (it needs the development dependencies from `npm install`), then reload this page.",
        }),
        503,
      );
    }
    if (!cached || cached.mtimeMs !== info.mtimeMs) cached = { mtimeMs: info.mtimeMs, html: await readFile(indexFile, "utf8") };
    c.header("Content-Security-Policy", DASHBOARD_CSP);
    return c.html(cached.html);
  });
  return app;
}
