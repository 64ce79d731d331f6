import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { ApiEnv } from "./api-env";
import { ErrorEnvelope } from "./api-schemas";
import { replayIdempotent } from "./replay-idempotent";

export interface ApiRouteSpec {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** OpenAPI style, relative to `/api/v1`: `/organizations/{organizationId}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /**
   * Creates accept `Idempotency-Key`. `{ secret, resource }`: the answer's `secret` field is
   * shown once, never stored; a replay is 409 naming `resource.id` (see `replayIdempotent`).
   */
  idempotent?: boolean | { secret: string; resource: string };
  ok: { status: 200 | 201 | 204; description: string; schema?: z.ZodType; html?: boolean; csv?: boolean };
  /** Extra documented success (e.g. 200 "existing" beside 201). */
  alsoOk?: { status: 200; description: string; schema: z.ZodType };
  /** No authentication (the OpenAPI document itself). */
  public?: boolean;
}

const ERRORS: Record<number, string> = {
  400: "Bad input: `error.details` names the field",
  401: "Not signed in, or the API key is unknown or revoked",
  403: "Role or API-key scope too low, or a cross-site cookie request (CSRF)",
  404: "Not found, or not visible to you",
  409: "Conflict: stale `expectedUpdatedAt`, last admin, already exists, or Idempotency-Key reuse",
  429: "Rate limited: see `Retry-After` (seconds)",
};

const json = (schema: z.ZodType) => ({ "application/json": { schema } });

/** Serialises a verb's answer (Dates → ISO 8601 UTC) with the given status. */
export function sendJson(c: Context<ApiEnv>, status: 200 | 201, body: unknown): Response {
  return c.newResponse(JSON.stringify(body), status, { "Content-Type": "application/json; charset=UTF-8" });
}

/**
 * Registers one `/api/v1` route: its OpenAPI description (params, query, body, answers,
 * security, error envelope) and a thin handler (parse → one verb → answer).
 */
export function defineApiRoute(api: OpenAPIHono<ApiEnv>, spec: ApiRouteSpec, handler: (c: Context<ApiEnv>) => Promise<Response>): void {
  const names = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const params = names.length ? z.object(Object.fromEntries(names.map((n) => [n, z.string().openapi({ param: { name: n, in: "path" } })]))) : undefined;
  const middleware: MiddlewareHandler<ApiEnv>[] = spec.idempotent ? [replayIdempotent(typeof spec.idempotent === "object" ? { oneTimeField: spec.idempotent } : {})] : [];
  const responses: Record<string, { description: string; content?: Record<string, { schema: z.ZodType }> }> = {
    [spec.ok.status]: {
      description: spec.ok.description,
      ...(spec.ok.schema ? { content: spec.ok.html ? { "text/html": { schema: spec.ok.schema } } : spec.ok.csv ? { "text/csv": { schema: spec.ok.schema } } : json(spec.ok.schema) } : {}),
    },
  };
  if (spec.alsoOk) responses[spec.alsoOk.status] = { description: spec.alsoOk.description, content: json(spec.alsoOk.schema) };
  for (const [status, description] of Object.entries(ERRORS)) {
    if (spec.public && status !== "429") continue;
    responses[status] = { description, content: json(ErrorEnvelope) };
  }
  const route = createRoute({
    method: spec.method,
    path: spec.path,
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.public ? { security: [] } : {}),
    middleware,
    request: {
      ...(params ? { params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.idempotent ? { headers: z.object({ "Idempotency-Key": z.string().optional().openapi({ description: "Replays the first answer for 24 h; same key with another body → 409" }) }) } : {}),
      ...(spec.body ? { body: { required: true, content: json(spec.body) } } : {}),
    },
    responses,
  });
  api.openapi(route, handler as never);
}
