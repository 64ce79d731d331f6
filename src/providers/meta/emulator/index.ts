import { Hono } from "hono";
import { z } from "zod";
import { createGraphRoutes } from "./graph-routes";
import { createMetaState, type MetaEmulatorOptions, type MetaFault, type MetaUser } from "./create-meta-state";
import { createMetaUser, type CreateMetaUserInput } from "./create-meta-user";

export type { MetaEmulatorOptions, MetaFault, MetaUser } from "./create-meta-state";
export type { CreateMetaUserInput } from "./create-meta-user";

export interface MetaEmulatorControl {
  users(): MetaUser[];
  createUser(input: CreateMetaUserInput): MetaUser;
  /** The next `times` requests under `pathPrefix` fail with `status` (Graph error body). */
  injectFault(fault: { pathPrefix: string; status: MetaFault["status"]; times?: number }): void;
  reset(): void;
}

const userInput = z.object({ name: z.string().min(1).max(100), email: z.email().nullable().optional(), pictureUrl: z.url().nullable().optional() });
const faultInput = z.object({ pathPrefix: z.string().startsWith("/"), status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503)]), times: z.number().int().min(1).max(100).optional() });

/**
 * A stateful, in-memory stand-in for Facebook Login (Meta) and the Graph API `/me`,
 * speaking their protocol. Mount `app` at `basePath` (never in production).
 * Control: `GET|POST {basePath}/_control/users`, `POST …/_control/faults`, `POST …/_control/reset`.
 * The Conversions API emulator is its own app (`./conversions/`), mounted at `/_emulator/meta/capi`.
 */
export function createMetaEmulator(options: MetaEmulatorOptions): { app: Hono; control: MetaEmulatorControl } {
  const state = createMetaState({ ...options, basePath: options.basePath.replace(/\/+$/, ""), publicUrl: options.publicUrl.replace(/\/+$/, "") });
  const control: MetaEmulatorControl = {
    users: () => [...state.users],
    createUser: (input) => createMetaUser(state, input),
    injectFault: (f) => state.faults.push({ pathPrefix: f.pathPrefix, status: f.status, times: f.times ?? 1 }),
    reset: () => {
      state.users = [];
      state.codes.clear();
      state.accessTokens.clear();
      state.faults = [];
    },
  };
  const app = new Hono();
  app.get("/_control/users", (c) => c.json({ users: control.users() }));
  app.post("/_control/users", async (c) => {
    const parsed = userInput.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }, 400);
    return c.json(control.createUser(parsed.data), 201);
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
  app.get("/silhouette.png", (c) => c.body(null, 404));
  app.route("/", createGraphRoutes(state));
  return { app, control };
}
