import { Hono } from "hono";
import { z } from "zod";
import { createGoogleAccount, type CreateGoogleAccountInput } from "./create-google-account";
import { createGoogleState, type GoogleAccount, type GoogleEmulatorOptions, type GoogleFault } from "./create-google-state";
import { createOidcRoutes } from "./oidc-routes";

export type { GoogleAccount, GoogleEmulatorOptions, GoogleFault } from "./create-google-state";
export type { CreateGoogleAccountInput } from "./create-google-account";

export interface GoogleEmulatorControl {
  accounts(): GoogleAccount[];
  createAccount(input: CreateGoogleAccountInput): GoogleAccount;
  /** The next `times` requests under `pathPrefix` (e.g. `/token`) fail with `status`. */
  injectFault(fault: { pathPrefix: string; status: GoogleFault["status"]; times?: number }): void;
  reset(): void;
}

const accountInput = z.object({ email: z.email(), name: z.string().max(100).optional(), emailVerified: z.boolean().optional(), picture: z.url().nullable().optional() });
const faultInput = z.object({ pathPrefix: z.string().startsWith("/"), status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503)]), times: z.number().int().min(1).max(100).optional() });

/**
 * A stateful, in-memory stand-in for Google's OpenID Connect provider ("Sign in with
 * Google"), speaking its protocol. Mount `app` at `basePath` (never in production).
 * Control: `GET|POST {basePath}/_control/accounts`, `POST …/_control/faults`, `POST …/_control/reset`.
 * Later Google APIs (e.g. Google Ads) add their routes beside these.
 */
export function createGoogleEmulator(options: GoogleEmulatorOptions): { app: Hono; control: GoogleEmulatorControl } {
  const state = createGoogleState({ ...options, basePath: options.basePath.replace(/\/+$/, ""), publicUrl: options.publicUrl.replace(/\/+$/, "") });
  const control: GoogleEmulatorControl = {
    accounts: () => [...state.accounts],
    createAccount: (input) => createGoogleAccount(state, input),
    injectFault: (f) => state.faults.push({ pathPrefix: f.pathPrefix, status: f.status, times: f.times ?? 1 }),
    reset: () => {
      state.accounts = [];
      state.codes.clear();
      state.accessTokens.clear();
      state.faults = [];
    },
  };
  const app = new Hono();
  app.get("/_control/accounts", (c) => c.json({ accounts: control.accounts() }));
  app.post("/_control/accounts", async (c) => {
    const parsed = accountInput.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }, 400);
    return c.json(control.createAccount(parsed.data), 201);
  });
  app.post("/_control/faults", async (c) => {
    const parsed = faultInput.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: "{ pathPrefix: '/…', status: 429|500|502|503, times? }" }, 400);
    control.injectFault(parsed.data);
    return c.json({ faults: state.faults }, 201);
  });
  app.post("/_control/reset", (c) => {
    control.reset();
    return c.json({ ok: true });
  });
  app.route("/", createOidcRoutes(state));
  return { app, control };
}
