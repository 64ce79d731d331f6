import type { Context } from "hono";
import { Hono } from "hono";
import type { ResendState } from "./create-resend-state";

/** Resend's error body (https://resend.com/docs/api-reference/errors). */
function error(c: Context, statusCode: 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 502 | 503, name: string, message: string): Response {
  return c.json({ statusCode, name, message }, statusCode);
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
/** `a@b.c` or `Name <a@b.c>`. */
function isAddress(value: string): boolean {
  const m = /^[^<>]*<([^<>]+)>$/.exec(value.trim());
  return EMAIL.test(m ? m[1]!.trim() : value.trim());
}

/**
 * `POST /emails` and `GET /emails/{id}` as Resend speaks them
 * (https://resend.com/docs/api-reference/emails/send-email): Bearer key, JSON body
 * `{ from, to: string | string[] (≤ 50), subject, html?, text? }` → `{ id }`;
 * `Idempotency-Key` (1–256 chars) replays the first id, a different body under the same
 * key is 409 `invalid_idempotent_request`; injected faults and an opt-in rate limit
 * (429 `rate_limit_exceeded` with `Retry-After` seconds).
 */
export function createApiRoutes(state: ResendState): Hono {
  const app = new Hono();

  // "/emails/*" also matches "/emails" itself.
  app.use("/emails/*", async (c, next) => guard(c, next));

  async function guard(c: Context, next: () => Promise<void>): Promise<Response | void> {
    const auth = c.req.header("authorization");
    if (!auth) return error(c, 401, "missing_api_key", "Missing API key in the authorization header. Include the following header in the request: Authorization: Bearer YOUR_API_KEY");
    if (auth !== `Bearer ${state.options.apiKey}`) return error(c, 401, "validation_error", "API key is invalid");
    const fault = state.faults[0];
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) state.faults.shift();
      if (fault.status === 429) {
        c.header("Retry-After", String(fault.retryAfterSeconds ?? 1));
        return error(c, 429, "rate_limit_exceeded", "Too many requests. You can only make 2 requests per second. See rate limit response headers for more information. Or contact support to increase rate limit.");
      }
      return error(c, fault.status, "internal_server_error", "An unexpected error occurred.");
    }
    if (state.rateLimit) {
      const now = state.options.clock.now().getTime();
      const windowMs = state.rateLimit.windowSeconds * 1000;
      state.recentRequests = state.recentRequests.filter((t) => t > now - windowMs);
      if (state.recentRequests.length >= state.rateLimit.maxRequests) {
        const retry = Math.max(1, Math.ceil(((state.recentRequests[0] ?? now) + windowMs - now) / 1000));
        c.header("Retry-After", String(retry));
        c.header("ratelimit-limit", String(state.rateLimit.maxRequests));
        c.header("ratelimit-remaining", "0");
        return error(c, 429, "rate_limit_exceeded", `Too many requests. You can only make ${state.rateLimit.maxRequests} requests per second.`);
      }
      state.recentRequests.push(now);
    }
    await next();
  }

  app.post("/emails", async (c) => {
    const key = c.req.header("idempotency-key");
    if (key !== undefined && (key.length < 1 || key.length > 256)) {
      return error(c, 400, "invalid_idempotency_key", "Idempotency keys, if present, must have between 1 and 256 characters.");
    }
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      return error(c, 422, "validation_error", "Invalid JSON body.");
    }
    const body = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
    for (const field of ["from", "to", "subject"]) {
      if (body[field] === undefined || body[field] === "") return error(c, 422, "missing_required_field", `Missing \`${field}\` field.`);
    }
    if (typeof body.from !== "string" || !isAddress(body.from)) {
      return error(c, 422, "validation_error", "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.");
    }
    const to = Array.isArray(body.to) ? body.to : [body.to];
    if (to.length === 0 || to.length > 50 || !to.every((v): v is string => typeof v === "string" && isAddress(v))) {
      return error(c, 422, "validation_error", "Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.");
    }
    if (typeof body.subject !== "string") return error(c, 422, "validation_error", "Invalid `subject` field.");
    const html = typeof body.html === "string" ? body.html : null;
    const text = typeof body.text === "string" ? body.text : null;
    if (html === null && text === null) return error(c, 422, "validation_error", "Missing `html` or `text` field.");

    const canonical = JSON.stringify({ from: body.from, to, subject: body.subject, html, text });
    if (key !== undefined) {
      const seen = state.idempotency.get(key);
      if (seen && seen.body !== canonical) {
        return error(c, 409, "invalid_idempotent_request", "Same idempotency key used with a different request payload. Change your idempotency key or payload.");
      }
      if (seen) return c.json({ id: seen.id });
    }
    const email = {
      id: crypto.randomUUID(),
      from: body.from,
      to,
      subject: body.subject,
      html,
      text,
      createdAt: state.options.clock.now().toISOString(),
      idempotencyKey: key ?? null,
    };
    state.emails.push(email);
    if (key !== undefined) state.idempotency.set(key, { body: canonical, id: email.id });
    return c.json({ id: email.id });
  });

  app.get("/emails/:id", (c) => {
    const email = state.emails.find((e) => e.id === c.req.param("id"));
    if (!email) return error(c, 404, "not_found", "Email not found");
    return c.json({
      object: "email",
      id: email.id,
      to: email.to,
      from: email.from,
      created_at: email.createdAt,
      subject: email.subject,
      html: email.html,
      text: email.text,
      bcc: null,
      cc: null,
      reply_to: null,
      last_event: "delivered",
    });
  });
  return app;
}
