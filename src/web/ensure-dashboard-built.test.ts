import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDashboardBuilt } from "./ensure-dashboard-built";

describe("ensureDashboardBuilt", () => {
  const distDir = mkdtempSync(join(tmpdir(), "bb-dashboard-build-"));
  afterAll(() => rmSync(distDir, { recursive: true, force: true }));

  it("builds when there is no build, does nothing when fresh, rebuilds when sources are newer", { timeout: 180_000 }, async () => {
    const lines: string[] = [];
    const notify = (line: string) => lines.push(line);

    const first = await ensureDashboardBuilt({ notify, distDir });
    expect(first.status).toBe("built");
    const html = readFileSync(join(distDir, "index.html"), "utf8");
    // Vite rewrote the entry to hashed, /app-based assets that exist.
    const script = html.match(/src="\/app\/assets\/(index-[\w-]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    expect(readdirSync(join(distDir, "assets"))).toContain(script);
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect(lines.some((l) => l.startsWith("Building the dashboard"))).toBe(true);

    expect(await ensureDashboardBuilt({ notify, distDir })).toEqual({ status: "fresh" });

    const past = new Date("2000-01-01T00:00:00Z");
    utimesSync(join(distDir, "index.html"), past, past);
    const again = await ensureDashboardBuilt({ notify, distDir });
    expect(again.status).toBe("built");
    expect(lines.some((l) => l.startsWith("Dashboard sources changed"))).toBe(true);
    expect(existsSync(join(distDir, "index.html"))).toBe(true);
  });
});
