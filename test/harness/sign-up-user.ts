import type { Hono } from "hono";

/** Anything with the app and its config: a `TestApp` from create-test-runtime.ts. */
export interface AppLike {
  app: Hono;
  config: { publicUrl: string };
}

export interface SignedUpUser {
  userId: string;
  email: string;
  password: string;
  /** `Cookie` header value carrying the session (e.g. `backbeat.session_token=…`). */
  cookieHeader: string;
  /**
   * A request through the app as this user: sends the session cookie, and `Origin:
   * PUBLIC_URL` on non-GET requests (the same-origin check). Relative paths resolve
   * against PUBLIC_URL. Redirects are not followed.
   */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

let counter = 0;

/** `name=value` pairs from Set-Cookie headers, dropping cookies being cleared. */
export function cookiesFrom(response: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(";")[0]!;
    const eq = pair.indexOf("=");
    out.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return out;
}

/** A request through the app with the given cookie header, adding Origin on non-GET. */
export function requestAs(t: AppLike, cookieHeader: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (cookieHeader) headers.set("cookie", cookieHeader);
  const method = (init.method ?? "GET").toUpperCase();
  if (method !== "GET" && method !== "HEAD" && !headers.has("origin")) headers.set("origin", new URL(t.config.publicUrl).origin);
  return Promise.resolve(t.app.request(new URL(path, t.config.publicUrl).toString(), { ...init, headers, redirect: "manual" }));
}

/**
 * Signs a new Platform user up through real HTTP (`POST /auth/sign-up/email`) and returns
 * a cookie-authenticated `fetch`. Defaults: a unique e-mail, name "Test User", a fixed
 * strong password. @throws Error when sign-up does not answer 200 with a session cookie.
 */
export async function signUpUser(t: AppLike, input: { name?: string; email?: string; password?: string } = {}): Promise<SignedUpUser> {
  counter += 1;
  const email = input.email ?? `user${counter}-${Date.now().toString(36)}@example.com`;
  const password = input.password ?? "correct horse battery staple";
  const response = await requestAs(t, "", "/auth/sign-up/email", {
    method: "POST",
    // A client IP of its own, so many sign-ups in one test stay under the per-IP rate limit.
    headers: { "content-type": "application/json", "x-backbeat-client-ip": `2001:db8:${counter.toString(16)}::1` },
    body: JSON.stringify({ name: input.name ?? "Test User", email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { user: { id: string; email: string } };
  const cookies = cookiesFrom(response);
  const cookieHeader = [...cookies].filter(([, v]) => v !== "").map(([k, v]) => `${k}=${v}`).join("; ");
  if (!cookieHeader.includes("session_token=")) throw new Error("sign-up set no session cookie");
  return {
    userId: body.user.id,
    email: body.user.email,
    password,
    cookieHeader,
    fetch: (path, init) => requestAs(t, cookieHeader, path, init),
  };
}
