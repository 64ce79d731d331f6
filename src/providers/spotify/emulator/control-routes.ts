import { Hono, type Context } from "hono";
import { z } from "zod";
import type { SpotifyEmulatorControl } from "./create-control";
import { EmulatorInputError } from "./emulator-input-error";

const fanInput = z.object({
  id: z.string().optional(),
  displayName: z.string().min(1).max(100),
  country: z.string().length(2).optional(),
  product: z.enum(["premium", "free"]).optional(),
  email: z.string().optional(),
  registered: z.boolean().optional(),
  hasActiveDevice: z.boolean().optional(),
  devices: z
    .array(z.object({ id: z.string().optional(), name: z.string(), type: z.string(), isActive: z.boolean(), volumePercent: z.number().int().min(0).max(100) }))
    .optional(),
});

const fanPatch = z.object({
  displayName: z.string().min(1).optional(),
  product: z.enum(["premium", "free"]).optional(),
  registered: z.boolean().optional(),
  hasActiveDevice: z.boolean().optional(),
});

const faultInput = z.object({
  method: z.string().optional(),
  pathPrefix: z.string().startsWith("/"),
  status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503)]),
  retryAfterSeconds: z.number().int().min(0).optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  times: z.number().int().min(1).default(1),
});

const playInput = z.object({
  trackId: z.string().nullable(),
  playedAt: z.string(),
  contextUri: z.string().optional(),
  localName: z.string().optional(),
  linkedFromId: z.string().optional(),
});

const urisInput = z.object({ uris: z.array(z.string()).min(1).max(100) });

const releaseInput = z.object({
  id: z.string(),
  name: z.string(),
  albumType: z.enum(["album", "single", "compilation"]).optional(),
  releaseDate: z.string(),
  artists: z.array(z.object({ id: z.string(), name: z.string().optional() })).min(1),
  label: z.string().optional(),
  upc: z.string().nullable().optional(),
  tracks: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        durationMs: z.number().int().positive().optional(),
        isrc: z.string().nullable().optional(),
        explicit: z.boolean().optional(),
        artistIds: z.array(z.string()).optional(),
      }),
    )
    .min(1),
});

async function readJson<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const body: unknown = await c.req.json().catch(() => ({}));
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new EmulatorInputError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  return parsed.data;
}

/** JSON control and inspection endpoints (test/dev only), mounted at `/_control`. */
export function createControlRoutes(control: SpotifyEmulatorControl): Hono {
  const app = new Hono();

  app.onError((err, c) => {
    if (err instanceof EmulatorInputError) return c.json({ error: err.message }, err.status);
    return c.json({ error: "control failure" }, 500);
  });

  app.get("/fans", (c) => c.json({ fans: control.listFans() }));
  app.get("/fans/:id", (c) => {
    const fan = control.getFan(c.req.param("id"));
    return fan ? c.json(fan) : c.json({ error: "no such fan" }, 404);
  });
  app.post("/fans", async (c) => c.json(control.createFan(await readJson(c, fanInput)), 201));
  app.patch("/fans/:id", async (c) => c.json(control.updateFan(c.req.param("id"), await readJson(c, fanPatch))));
  app.post("/fans/:id/revoke", (c) => {
    control.revokeFan(c.req.param("id"));
    return c.json({ revoked: true });
  });
  app.post("/fans/:id/plays", async (c) => {
    const p = await readJson(c, playInput);
    control.recordPlay(c.req.param("id"), p.trackId, p.playedAt, {
      ...(p.contextUri !== undefined ? { contextUri: p.contextUri } : {}),
      ...(p.localName !== undefined ? { localName: p.localName } : {}),
      ...(p.linkedFromId !== undefined ? { linkedFromId: p.linkedFromId } : {}),
    });
    return c.json({ recorded: true }, 201);
  });
  app.post("/fans/:id/library", async (c) => {
    control.addToLibrary(c.req.param("id"), (await readJson(c, urisInput)).uris);
    return c.json(control.getFan(c.req.param("id")));
  });
  app.delete("/fans/:id/library", async (c) => {
    control.removeFromLibrary(c.req.param("id"), (await readJson(c, urisInput)).uris);
    return c.json(control.getFan(c.req.param("id")));
  });
  app.get("/requests", (c) => c.json({ requests: control.requests() }));
  app.delete("/requests", (c) => {
    control.clearRequests();
    return c.body(null, 204);
  });
  app.get("/faults", (c) => c.json({ faults: control.pendingFaults() }));
  app.post("/faults", async (c) => {
    const f = await readJson(c, faultInput);
    control.injectFault({
      pathPrefix: f.pathPrefix,
      status: f.status,
      times: f.times,
      ...(f.method !== undefined ? { method: f.method } : {}),
      ...(f.retryAfterSeconds !== undefined ? { retryAfterSeconds: f.retryAfterSeconds } : {}),
      ...(f.delayMs !== undefined ? { delayMs: f.delayMs } : {}),
    });
    return c.json({ faults: control.pendingFaults() }, 201);
  });
  app.delete("/faults", (c) => {
    control.clearFaults();
    return c.body(null, 204);
  });
  app.post("/rate-limit", async (c) => {
    const body = await readJson(
      c,
      z.union([z.object({ enabled: z.literal(false) }), z.object({ maxRequests: z.number().int().min(1), windowSeconds: z.number().positive() })]),
    );
    control.setRateLimit("enabled" in body ? null : body);
    return c.json({ rateLimit: "enabled" in body ? null : body });
  });
  app.post("/rotate-refresh-tokens", async (c) => {
    const { enabled } = await readJson(c, z.object({ enabled: z.boolean() }));
    control.setRefreshTokenRotation(enabled);
    return c.json({ enabled });
  });
  app.post("/releases", async (c) => c.json(control.addRelease(await readJson(c, releaseInput)), 201));
  app.post("/reset", (c) => {
    control.reset();
    return c.body(null, 204);
  });

  return app;
}
