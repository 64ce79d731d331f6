import { Hono } from "hono";
import { z } from "zod";
import { createApiRoutes } from "./api-routes";
import { createResendState, type ResendEmulatorOptions, type ResendFault, type SentEmail } from "./create-resend-state";
import { renderEmailPage, renderInboxPage } from "./render-inbox-page";

export type { ResendEmulatorOptions, ResendFault, SentEmail } from "./create-resend-state";

export interface ResendEmulatorControl {
  /** Sent mail, oldest first; `to` filters by recipient (case-insensitive). */
  emails(filter?: { to?: string }): SentEmail[];
  injectFault(fault: { status: ResendFault["status"]; times?: number; retryAfterSeconds?: number }): void;
  setRateLimit(limit: { maxRequests: number; windowSeconds: number } | null): void;
  reset(): void;
}

const faultInput = z.object({
  status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503)]),
  times: z.number().int().min(1).max(100).optional(),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
});
const rateLimitInput = z.object({ maxRequests: z.number().int().min(1), windowSeconds: z.number().int().min(1) }).nullable();

/**
 * A stateful, in-memory stand-in for Resend's e-mail API. Mount `app` at `basePath`
 * (never in production): API at `{basePath}/emails`, the inbox page at `{basePath}/`
 * (each mail at `{basePath}/inbox/{id}`), control at `{basePath}/_control/…`
 * (`GET emails?to=`, `POST faults`, `POST rate-limit`, `POST reset`).
 */
export function createResendEmulator(options: ResendEmulatorOptions): { app: Hono; control: ResendEmulatorControl } {
  const state = createResendState({ ...options, basePath: options.basePath.replace(/\/+$/, "") });
  const control: ResendEmulatorControl = {
    emails: (filter = {}) => state.emails.filter((e) => !filter.to || e.to.some((t) => t.toLowerCase().includes(filter.to!.toLowerCase()))),
    injectFault: (f) => state.faults.push({ status: f.status, times: f.times ?? 1, ...(f.retryAfterSeconds !== undefined ? { retryAfterSeconds: f.retryAfterSeconds } : {}) }),
    setRateLimit: (limit) => {
      state.rateLimit = limit;
      state.recentRequests = [];
    },
    reset: () => {
      state.emails = [];
      state.idempotency.clear();
      state.faults = [];
      state.rateLimit = null;
      state.recentRequests = [];
    },
  };
  const app = new Hono();
  app.route("/", createApiRoutes(state));
  app.get("/", (c) => c.html(renderInboxPage(state.options.basePath, state.emails)));
  app.get("/inbox/:id", (c) => {
    const email = state.emails.find((e) => e.id === c.req.param("id"));
    return email ? c.html(renderEmailPage(state.options.basePath, email)) : c.text("No such mail", 404);
  });
  app.get("/_control/emails", (c) => c.json({ emails: control.emails({ ...(c.req.query("to") ? { to: c.req.query("to")! } : {}) }) }));
  app.post("/_control/faults", async (c) => {
    const parsed = faultInput.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: "status must be 429, 500, 502 or 503; times 1–100" }, 400);
    control.injectFault(parsed.data);
    return c.json({ faults: state.faults }, 201);
  });
  app.post("/_control/rate-limit", async (c) => {
    const parsed = rateLimitInput.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: "{ maxRequests, windowSeconds } or null" }, 400);
    control.setRateLimit(parsed.data);
    return c.json({ rateLimit: state.rateLimit });
  });
  app.post("/_control/reset", (c) => {
    control.reset();
    return c.json({ ok: true });
  });
  return { app, control };
}
