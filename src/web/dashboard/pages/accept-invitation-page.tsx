import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useLocation } from "wouter";
import { ErrorMessage } from "../components/error-message";
import { Loading } from "../components/loading";
import { formatDate } from "../lib/format-date";
import { ApiError, requestApi } from "../lib/request-api";
import type { InvitationAccepted, InvitationPreview, Me } from "../lib/types";
import { ME_KEY, useMe } from "../lib/use-me";
import { usePageTitle } from "../lib/use-page-title";

const ROLE_TEXT = { admin: "an admin", editor: "an editor", viewer: "a viewer" } as const;

/** `/app/invitations/:token`: what the invitation is for, and "Accept" (signed in as the invited address). */
export function AcceptInvitationPage({ token }: { token: string }) {
  usePageTitle("Invitation");
  const queryClient = useQueryClient();
  const me = useMe();
  const [, navigate] = useLocation();
  const path = `/api/v1/invitations/${encodeURIComponent(token)}`;
  const invitation = useQuery({ queryKey: ["invitation", token], queryFn: async () => (await requestApi<InvitationPreview>(path)).data });
  const accept = useMutation({
    mutationFn: async () => (await requestApi<InvitationAccepted>(`${path}/accept`, { method: "POST", body: {} })).data,
    onSuccess: async (res) => {
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
      // Straight to the work: the artist, or the organization's first artist (its team page
      // when it has none yet).
      const orgArtist = res.organizationId ? queryClient.getQueryData<Me>(ME_KEY)?.artists.find((a) => a.organizationId === res.organizationId) : undefined;
      const target = res.artistId ? `/artists/${res.artistId}` : orgArtist ? `/artists/${orgArtist.id}` : res.organizationId ? `/orgs/${res.organizationId}/team` : "/";
      navigate(target);
    },
  });
  const inv = invitation.data;
  const target = inv?.artistName ?? inv?.organizationName ?? "a team";
  const mismatch = inv && me.data && inv.email.toLowerCase() !== me.data.user.email.toLowerCase();
  return (
    <section className="page page-narrow" aria-labelledby="invite-title">
      <h1 id="invite-title">Invitation</h1>
      {invitation.isPending ? <Loading label="Loading the invitation…" /> : null}
      {invitation.isError ? (
        <ErrorMessage
          error={invitation.error}
          onRetry={invitation.error instanceof ApiError && invitation.error.status === 404 ? undefined : () => void invitation.refetch()}
          title={invitation.error instanceof ApiError && invitation.error.status === 404 ? "This invitation link is not valid" : "Could not load the invitation"}
        />
      ) : null}
      {inv ? (
        <>
          <p>
            You're invited to join <strong>{target}</strong> as {ROLE_TEXT[inv.role]}.
          </p>
          {inv.status === "pending" ? (
            <>
              <p className="muted">
                For {inv.email} · expires {formatDate(inv.expiresAt, "datetime")}
              </p>
              {mismatch ? (
                <p className="notice notice-info">
                  This invitation is for <strong>{inv.email}</strong>, but you're signed in as {me.data?.user.email}. Sign in with the invited address
                  (Account → Sign out) to accept it.
                </p>
              ) : null}
              {accept.isError ? <ErrorMessage error={accept.error} title="Could not accept" /> : null}
              <button type="button" className="button button-primary" disabled={accept.isPending || Boolean(mismatch)} onClick={() => accept.mutate()}>
                {accept.isPending ? "Joining…" : `Accept and join ${target}`}
              </button>
            </>
          ) : (
            <p className="notice notice-info">
              {inv.status === "accepted"
                ? "This invitation has already been accepted."
                : inv.status === "revoked"
                  ? "This invitation was revoked. Ask the person who invited you for a new one."
                  : "This invitation has expired. Ask the person who invited you for a new one."}{" "}
              <Link href="/">Go to the dashboard</Link>
            </p>
          )}
        </>
      ) : null}
    </section>
  );
}
