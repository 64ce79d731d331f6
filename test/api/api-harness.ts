import type { TestApp } from "../harness/create-test-runtime";
import { signUpUser, type SignedUpUser } from "../harness/sign-up-user";

export const DAFT_PUNK = "https://open.spotify.com/artist/4tZwfgrHOc3mvqYlEYSvVi";
export const CARLY = "https://open.spotify.com/artist/6sFIWsNpZYqfjUpaCgueju";
export const DISCOVERY = "https://open.spotify.com/album/2noRn2Aes5aoNVsU6iWThc";
export const EMOTION = "https://open.spotify.com/album/3xEmotionAlbum00000001";

export type Json = Record<string, unknown> & { error?: { code: string; message: string; details?: { field: string; message: string }[] } };

/** A caller of `/api/v1`: a signed-up user (session cookie, same-origin) or an API key. */
export interface ApiCaller {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Json; headers: Headers }>;
}

async function answer(response: Response) {
  const text = await response.text();
  const type = response.headers.get("content-type") ?? "";
  return { status: response.status, body: (type.includes("json") && text ? JSON.parse(text) : { html: text }) as Json, headers: response.headers };
}

export function asUser(user: SignedUpUser): ApiCaller & { user: SignedUpUser } {
  return {
    user,
    call: async (method, path, body, headers = {}) =>
      answer(await user.fetch(`/api/v1${path}`, { method, headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })),
  };
}

export function asKey(t: TestApp, secret: string): ApiCaller {
  return {
    call: async (method, path, body, headers = {}) =>
      answer(
        await t.app.request(`${t.config.publicUrl}/api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${secret}`, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        }),
      ),
  };
}

export async function newUser(t: TestApp, name: string) {
  return asUser(await signUpUser(t, { name, email: `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@example.com` }));
}

/** The invitation token last mailed to `email` (Resend emulator inbox). */
export function invitationToken(t: TestApp, email: string): string {
  const mail = t.runtime.resendEmulator!.control.emails({ to: email }).at(-1);
  if (!mail?.text) throw new Error(`no invitation mailed to ${email}`);
  return /\/app\/invitations\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
}

/** Invites `who` into a scope path (`/organizations/<id>` or `/artists/<id>`) and accepts. */
export async function join(t: TestApp, admin: ApiCaller, scopePath: string, who: ReturnType<typeof asUser>, role: string): Promise<void> {
  const invited = await admin.call("POST", `${scopePath}/invitations`, { email: who.user.email, role });
  if (invited.status !== 201) throw new Error(`invite failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const accepted = await who.call("POST", `/invitations/${invitationToken(t, who.user.email)}/accept`);
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
}
