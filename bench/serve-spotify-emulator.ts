/**
 * The fan-sync bench's Spotify side, in its own process so its CPU is not Backbeat's: the
 * Spotify emulator (src/providers/spotify/emulator) mounted at the root of a Hono node
 * server on 127.0.0.1 and an OS-chosen port, with its own fake clock. Started by
 * bench/fan-sync.ts with `fork` (IPC channel); never used by the app.
 *
 * Usage (from fan-sync.ts): `fork("bench/serve-spotify-emulator.ts", [clientId, clientSecret,
 * redirectUri, startIso])` with `--import tsx`. Once listening it sends
 * `{ type: "ready", port }`. Every command (`EmulatorCommand`) is answered with
 * `{ type: "reply", id, ok: true, result }` or `{ type: "reply", id, ok: false, error }`.
 * Times are epoch milliseconds (UTC); CPU is microseconds (`process.cpuUsage`).
 * It exits when told to (`close`) or when the parent goes away.
 */
import { serve } from "@hono/node-server";
import { createFakeClock } from "../src/lib/clock";
import { createSpotifyEmulator } from "../src/providers/spotify/emulator/index";

/** One play to record: `trackId` null with `localName` is a local file. */
export interface EmulatorPlay {
  fanId: string;
  trackId: string | null;
  /** Epoch ms, the end of the play. */
  playedAt: number;
  localName?: string;
}

export type EmulatorCommand =
  | { id: number; op: "createFans"; fans: Array<{ displayName: string; codeChallenge: string }>; scopes: string[] }
  | { id: number; op: "recordPlays"; plays: EmulatorPlay[] }
  | { id: number; op: "advance"; ms: number }
  | { id: number; op: "cpu" }
  | { id: number; op: "close" };

/** Results per op: created fans with their authorization code; CPU used so far (µs). */
export interface EmulatorResults {
  createFans: Array<{ fanId: string; displayName: string; code: string }>;
  recordPlays: null;
  advance: null;
  cpu: { user: number; system: number };
  close: null;
}

export type EmulatorMessage =
  | { type: "ready"; port: number }
  | { type: "reply"; id: number; ok: true; result: EmulatorResults[keyof EmulatorResults] }
  | { type: "reply"; id: number; ok: false; error: string };

const [clientId, clientSecret, redirectUri, startIso] = process.argv.slice(2);
if (!clientId || !clientSecret || !redirectUri || !startIso || !process.send) {
  throw new Error("usage: fork(serve-spotify-emulator.ts, [clientId, clientSecret, redirectUri, startIso]) with an IPC channel");
}
const send = (message: EmulatorMessage): void => {
  process.send!(message);
};

const clock = createFakeClock(startIso);
// Created once the port is known: `publicUrl` shapes absolute URLs in API objects (`href`, `next`).
let emulator: ReturnType<typeof createSpotifyEmulator> | null = null;
const server = serve(
  { fetch: (request) => (emulator ? emulator.app.fetch(request) : new Response("starting", { status: 503 })), hostname: "127.0.0.1", port: 0 },
  (info) => {
    emulator = createSpotifyEmulator({ clock, clientId, clientSecret, redirectUris: [redirectUri], quotaMode: "extended", basePath: "", publicUrl: `http://127.0.0.1:${info.port}` });
    send({ type: "ready", port: info.port });
  },
);

function run(command: EmulatorCommand): EmulatorResults[keyof EmulatorResults] {
  const control = emulator!.control;
  switch (command.op) {
    case "createFans":
      return command.fans.map(({ displayName, codeChallenge }) => {
        const fan = control.createFan({ displayName, country: "PT", product: "premium" });
        const { code } = control.authorizeFan({ fanId: fan.id, scopes: command.scopes, codeChallenge });
        return { fanId: fan.id, displayName: fan.displayName, code };
      });
    case "recordPlays":
      for (const play of command.plays) {
        control.recordPlay(play.fanId, play.trackId, new Date(play.playedAt), play.localName ? { localName: play.localName } : {});
      }
      return null;
    case "advance":
      clock.advance(command.ms);
      return null;
    case "cpu":
      return process.cpuUsage();
    case "close":
      server.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on("message", (message: EmulatorCommand) => {
  try {
    send({ type: "reply", id: message.id, ok: true, result: run(message) });
  } catch (err) {
    send({ type: "reply", id: message.id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
process.on("disconnect", () => process.exit(0));
