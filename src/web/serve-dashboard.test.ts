import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { THEMES } from "./pages/index";
import { DASHBOARD_CSP, serveDashboard } from "./serve-dashboard";

const INDEX = `<!doctype html><html><head><script type="module" crossorigin src="/app/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>`;

describe("serveDashboard", () => {
  let dir: string;
  let app: Hono;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "bb-dashboard-"));
    app = new Hono().route("/app", serveDashboard({ distDir: dir, publicUrl: "http://127.0.0.1:3999" }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function build(html = INDEX): void {
    mkdirSync(join(dir, "assets"), { recursive: true });
    writeFileSync(join(dir, "index.html"), html);
    writeFileSync(join(dir, "assets", "index-abc123.js"), "console.log('dashboard')");
  }

  it("serves hashed assets for a year, immutable, with their type", async () => {
    build();
    const res = await app.request("/app/assets/index-abc123.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await res.text()).toBe("console.log('dashboard')");
  });

  it("answers a missing asset with 404, never the HTML", async () => {
    build();
    for (const path of ["/app/assets/index-old999.js", "/app/assets/..%2findex.html", "/app/assets/..%2f..%2f..%2fetc%2fpasswd"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain("<!doctype html>");
    }
  });

  it("serves index.html for every other /app path, uncached, with the CSP", async () => {
    build();
    for (const path of ["/app", "/app/", "/app/artists/art_1/links/sml_2", "/app/invitations/tok_123?x=1"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("content-security-policy")).toBe(DASHBOARD_CSP);
      expect(await res.text()).toBe(INDEX);
    }
  });

  it("has a CSP with no inline script, no third-party script or connection, and the theme style hashes for the preview", () => {
    const directives = Object.fromEntries(DASHBOARD_CSP.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));
    expect(directives["default-src"]).toEqual(["'none'"]);
    expect(directives["script-src"]).toEqual(["'self'"]);
    expect(directives["connect-src"]).toEqual(["'self'"]);
    expect(directives["font-src"]).toEqual(["'self'"]);
    expect(directives["frame-ancestors"]).toEqual(["'none'"]);
    expect(directives["style-src"]).toEqual(["'self'", ...Object.values(THEMES).map((t) => t.cspStyleHash)]);
    expect(DASHBOARD_CSP).not.toContain("unsafe");
  });

  it("picks up a rebuild without a restart", async () => {
    build();
    await app.request("/app");
    build(INDEX.replace("abc123", "def456"));
    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, "index.html"), later, later);
    expect(await (await app.request("/app/x")).text()).toContain("index-def456.js");
  });

  it("tells the operator to run npm run build when there is no build", async () => {
    const res = await app.request("/app/artists");
    expect(res.status).toBe(503);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain("The dashboard is not built yet");
    expect(html).toContain("npm run build");
  });
});
