import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** Runs the real CLI in a child process on its own embedded database. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
      cwd: join(import.meta.dirname, "../.."),
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

let dataDir: string;
let env: Record<string, string>;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "backbeat-cli-"));
  env = { BACKBEAT_DATA_DIR: dataDir, PUBLIC_URL: "http://127.0.0.1:3998" };
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("backbeat CLI", { timeout: 120_000 }, () => {
  it("links create makes a smart link once, answers existing the second time, and links list shows it", async () => {
    const first = await cli(["links", "create", "https://open.spotify.com/intl-de/track/3cHyrEgdyYRjgJKSOiOtcS?si=abc", "--json"], env);
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.code).toBe(0);
    const created = JSON.parse(first.stdout) as { kind: string; status: string; link: { id: string; slug: string; title: string } };
    expect(created).toMatchObject({ kind: "smart_link", status: "created" });

    const again = await cli(["links", "create", "spotify:album:2xTimberSingle00000001"], env);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe(`existing: http://127.0.0.1:3998/pitbull/${created.link.slug}`);

    const list = await cli(["links", "list", "--json"], env);
    expect(list.code).toBe(0);
    const links = JSON.parse(list.stdout) as Array<{ id: string; url: string; title: string }>;
    expect(links.map((l) => l.id)).toEqual([created.link.id]);
    expect(links[0]!.url).toBe(`http://127.0.0.1:3998/pitbull/${created.link.slug}`);
  });

  it("bad input exits 1 with one clear line and writes nothing", async () => {
    const result = await cli(["links", "create", "https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M"], env);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe("Error: spotifyUrl: playlists cannot become smart links; paste a track, album or artist link");
    const list = await cli(["links", "list", "--json"], env);
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(1);
  });

  it("analytics rebuild-rollups recomputes from raw events, and names a bad date", async () => {
    const rebuilt = await cli(["analytics", "rebuild-rollups", "--artist", "pitbull", "--json"], env);
    expect(rebuilt.stderr).not.toMatch(/Error/);
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toEqual({ slices: expect.any(Number) });
    const bad = await cli(["analytics", "rebuild-rollups", "--from", "2026-02-30"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe("Error: from: is not a calendar date");
    const unknown = await cli(["analytics", "rebuild-rollups", "--artist", "nobody"], env);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'Error: artist "nobody" not found']);
  });

  it("production refuses to start with one line per problem", async () => {
    const result = await cli(["migrate"], { NODE_ENV: "production", BACKBEAT_DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toBe("Backbeat cannot start:");
    expect(lines.slice(1).every((l) => l.startsWith("- "))).toBe(true);
    expect(result.stderr).toMatch(/PUBLIC_URL is not set/);
    expect(result.stderr).toMatch(/Spotify is emulated/);
  });

  it("an unknown command prints usage and exits 2", async () => {
    const result = await cli(["frobnicate"], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Usage: backbeat <command>");
  });
});
