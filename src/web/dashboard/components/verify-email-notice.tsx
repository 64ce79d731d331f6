import { useMutation } from "@tanstack/react-query";
import { requestApi } from "../lib/request-api";
import { useSession } from "../lib/use-session";

/**
 * An unobtrusive notice for a user whose e-mail is not verified yet, with a resend
 * button (`POST /auth/send-verification-email`). Verifying matters: a magic link to an
 * unverified address removes its password (Better Auth's account pre-hijacking guard).
 * Renders nothing for verified users or while the session loads.
 */
export function VerifyEmailNotice() {
  const session = useSession();
  const user = session.data?.user;
  const resend = useMutation({
    mutationFn: (email: string) => requestApi("/auth/send-verification-email", { method: "POST", body: { email, callbackURL: "/app" } }),
  });
  if (!user || user.emailVerified !== false) return null;
  return (
    <p className="notice notice-info verify-email" role="status">
      Verify your e-mail — we sent a link to <strong>{user.email}</strong>.{" "}
      {resend.isSuccess ? (
        "Sent again: check your inbox."
      ) : (
        <button type="button" className="button button-small" disabled={resend.isPending} onClick={() => resend.mutate(user.email)}>
          {resend.isPending ? "Sending…" : "Resend the link"}
        </button>
      )}
      {resend.isError ? " Could not send it; try again in a minute." : null}
    </p>
  );
}
