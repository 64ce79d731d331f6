import type { BackbeatAuth } from "./create-auth";

/** A signed-in Platform user as the API layer sees it. */
export interface SessionActor {
  kind: "user";
  userId: string;
  sessionId: string;
  user: { id: string; name: string; email: string; image: string | null };
}

/**
 * The Platform user behind a request's session cookie, or null when there is none, it is
 * unknown, expired or revoked. Takes the runtime (anything with `auth`) or the auth itself.
 * Never throws for a bad cookie; database failures propagate.
 */
export async function readSessionActor(source: BackbeatAuth | { auth: BackbeatAuth }, headers: Headers): Promise<SessionActor | null> {
  const auth = "handler" in source ? source : source.auth;
  const result = await auth.api.getSession({ headers });
  if (!result) return null;
  const { session, user } = result;
  return {
    kind: "user",
    userId: user.id,
    sessionId: session.id,
    user: { id: user.id, name: user.name, email: user.email, image: user.image ?? null },
  };
}
