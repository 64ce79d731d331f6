import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { useLocation } from "wouter";
import { ConfirmButton } from "../components/confirm-button";
import { EmptyState } from "../components/empty-state";
import { ErrorMessage } from "../components/error-message";
import { Field } from "../components/field";
import { Loading } from "../components/loading";
import { formatDate } from "../lib/format-date";
import { newIdempotencyKey } from "../lib/new-idempotency-key";
import { ApiError, requestApi } from "../lib/request-api";
import { roleAtLeast } from "../lib/role-at-least";
import type { Invitation, Me, Member, Page, Role } from "../lib/types";
import { ME_KEY } from "../lib/use-me";
import { usePageTitle } from "../lib/use-page-title";

export interface TeamScope {
  kind: "organization" | "artist";
  id: string;
}

const ROLES: { value: Role; label: string; help: string }[] = [
  { value: "admin", label: "Admin", help: "everything, including the team, API keys and the audit log" },
  { value: "editor", label: "Editor", help: "create and edit smart links and the artist hub" },
  { value: "viewer", label: "Viewer", help: "see everything, change nothing" },
];

/**
 * Members and invitations of an organization (`/orgs/:id/team`) or of an artist without
 * one (`/artists/:id/team`, direct grants; organization members are listed as such).
 * Admins change roles, remove members, invite by e-mail and revoke invitations; everyone
 * may leave. The API refuses to remove or demote the last admin (409), shown as is.
 */
export function TeamPage({ me, scope }: { me: Me; scope: TeamScope }) {
  const base = scope.kind === "organization" ? `/api/v1/organizations/${encodeURIComponent(scope.id)}` : `/api/v1/artists/${encodeURIComponent(scope.id)}`;
  const owner = scope.kind === "organization" ? me.organizations.find((o) => o.id === scope.id) : me.artists.find((a) => a.id === scope.id);
  usePageTitle(owner ? `${owner.name} — team` : "Team");
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const isAdmin = roleAtLeast(owner?.role, "admin");
  const membersKey = ["members", scope.kind, scope.id];
  const members = useQuery({
    queryKey: membersKey,
    queryFn: async () => (await requestApi<Page<Member>>(`${base}/members?limit=100`)).data,
    enabled: Boolean(owner),
  });
  const invitations = useQuery({
    queryKey: ["invitations", scope.id],
    queryFn: async () => (await requestApi<Page<Invitation>>(`${base}/invitations?limit=100`)).data,
    enabled: Boolean(owner) && isAdmin,
  });
  const [notice, setNotice] = useState<string | null>(null);

  const changeRole = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) => requestApi(`${base}/members/${encodeURIComponent(userId)}`, { method: "PATCH", body: { role } }),
    onMutate: () => setNotice(null),
    onSuccess: () => setNotice("Role changed."),
    onSettled: () => queryClient.invalidateQueries({ queryKey: membersKey }),
  });
  const remove = useMutation({
    mutationFn: (member: Member) => requestApi(`${base}/members/${encodeURIComponent(member.userId)}`, { method: "DELETE" }),
    onMutate: () => setNotice(null),
    onSuccess: async (_, member) => {
      if (member.userId === me.user.id) {
        await queryClient.invalidateQueries({ queryKey: ME_KEY });
        navigate("/");
        return;
      }
      setNotice(`${member.name} was removed.`);
      await queryClient.invalidateQueries({ queryKey: membersKey });
    },
  });
  const revoke = useMutation({
    mutationFn: (inv: Invitation) => requestApi(`${base}/invitations/${encodeURIComponent(inv.id)}`, { method: "DELETE" }),
    onSuccess: (_, inv) => {
      setNotice(`Invitation for ${inv.email} revoked.`);
      return queryClient.invalidateQueries({ queryKey: ["invitations", scope.id] });
    },
  });

  if (!owner) {
    return (
      <section className="page">
        <h1>Team</h1>
        <p>This {scope.kind} doesn't exist or you don't have access to it.</p>
      </section>
    );
  }
  const actionError = changeRole.error ?? remove.error ?? revoke.error;
  const list = members.data?.data ?? [];

  return (
    <section className="page" aria-labelledby="team-title">
      <p className="eyebrow">{owner.name}</p>
      <h1 id="team-title">Team</h1>
      {scope.kind === "organization" ? <p>Members of {owner.name} work on all of its artists with their role.</p> : <p>People with access to {owner.name}.</p>}
      {isAdmin ? null : <p className="notice notice-info">Only admins can invite people or change roles. You can leave the team.</p>}
      {notice ? (
        <p className="notice notice-success" role="status">
          {notice}
        </p>
      ) : null}
      {actionError ? <ErrorMessage error={actionError} title={actionError instanceof ApiError && actionError.status === 409 ? "Not allowed" : "That didn't work"} /> : null}

      <h2>Members</h2>
      {members.isPending ? <Loading label="Loading members…" /> : null}
      {members.isError ? <ErrorMessage error={members.error} onRetry={() => void members.refetch()} title="Could not load the members" /> : null}
      {members.isSuccess && list.length === 0 ? <EmptyState title="No members yet." /> : null}
      {list.length > 0 ? (
        <div className="table-wrap">
          <table className="table-stack">
            <caption className="visually-hidden">Members and their roles</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">{scope.kind === "organization" ? "Joined" : "Access"}</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((m) => {
                const self = m.userId === me.user.id;
                // On an artist's team, organization members are listed too (via "organization"):
                // their role is managed on the organization. On the organization's own team
                // every member has via "organization" and is managed here.
                const inherited = scope.kind === "artist" && m.via === "organization";
                return (
                  <tr key={m.userId}>
                    <td>
                      {m.name}
                      {self ? " (you)" : ""}
                      <br />
                      <span className="muted">{m.email}</span>
                    </td>
                    <td>
                      {isAdmin && !inherited ? (
                        <select
                          aria-label={`Role of ${m.name}`}
                          value={m.role}
                          disabled={changeRole.isPending}
                          onChange={(e) => changeRole.mutate({ userId: m.userId, role: e.target.value as Role })}
                        >
                          {ROLES.map((r) => (
                            <option key={r.value} value={r.value}>
                              {r.label}
                            </option>
                          ))}
                        </select>
                      ) : (
                        ROLES.find((r) => r.value === m.role)?.label
                      )}
                    </td>
                    <td data-label={scope.kind === "organization" ? "Joined" : "Access"}>{scope.kind === "organization" ? formatDate(m.joinedAt) : inherited ? "Through the organization" : "Direct"}</td>
                    <td>
                      {inherited ? null : self ? (
                        <ConfirmButton label="Leave" question={`Leave ${owner.name}?`} pending={remove.isPending} onConfirm={() => remove.mutate(m)} />
                      ) : isAdmin ? (
                        <ConfirmButton
                          label="Remove"
                          ariaLabel={`Remove ${m.name}`}
                          question={`Remove ${m.name}?`}
                          pending={remove.isPending}
                          onConfirm={() => remove.mutate(m)}
                        />
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}

      {isAdmin ? <InviteForm base={base} scopeId={scope.id} onSent={(email) => setNotice(`Invitation sent to ${email}.`)} /> : null}

      {isAdmin ? (
        <>
          <h2>Invitations</h2>
          {invitations.isPending ? <Loading label="Loading invitations…" /> : null}
          {invitations.isError ? <ErrorMessage error={invitations.error} onRetry={() => void invitations.refetch()} title="Could not load the invitations" /> : null}
          {invitations.isSuccess && invitations.data.data.length === 0 ? <EmptyState title="No invitations." /> : null}
          {invitations.data && invitations.data.data.length > 0 ? (
            <div className="table-wrap">
              <table className="table-stack">
                <caption className="visually-hidden">Invitations</caption>
                <thead>
                  <tr>
                    <th scope="col">E-mail</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col">Expires</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {invitations.data.data.map((inv) => (
                    <tr key={inv.id}>
                      <td>
                        {inv.email}
                        <br />
                        {inv.invitedBy ? <span className="muted">invited by {inv.invitedBy.name}</span> : null}
                      </td>
                      <td>{ROLES.find((r) => r.value === inv.role)?.label}</td>
                      <td data-label="Status">{inv.status}</td>
                      <td data-label="Expires">{formatDate(inv.expiresAt)}</td>
                      <td>
                        {inv.status === "pending" ? (
                          <ConfirmButton
                            label="Revoke"
                            ariaLabel={`Revoke invitation for ${inv.email}`}
                            question={`Revoke the invitation for ${inv.email}?`}
                            pending={revoke.isPending}
                            onConfirm={() => revoke.mutate(inv)}
                          />
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function InviteForm({ base, scopeId, onSent }: { base: string; scopeId: string; onSent: (email: string) => void }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const key = useRef(newIdempotencyKey());
  const invite = useMutation({
    mutationFn: () => requestApi<Invitation>(`${base}/invitations`, { method: "POST", body: { email: email.trim(), role }, idempotencyKey: key.current }),
    onSuccess: () => {
      key.current = newIdempotencyKey();
      onSent(email.trim());
      setEmail("");
      return queryClient.invalidateQueries({ queryKey: ["invitations", scopeId] });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status < 500) key.current = newIdempotencyKey();
    },
  });
  const error = invite.error instanceof ApiError ? invite.error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    invite.mutate();
  };
  return (
    <form onSubmit={submit} aria-labelledby="invite-title" className="panel">
      <h2 id="invite-title">Invite someone</h2>
      <p className="hint">They get an e-mail with a link valid for 7 days, and must sign in with that address to accept.</p>
      <div className="grid-2">
        <Field label="E-mail address" error={error?.fieldMessage("email")}>
          {(p) => <input {...p} type="email" autoComplete="off" required value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label="Role" hint={ROLES.find((r) => r.value === role)?.help} error={error?.fieldMessage("role")}>
          {(p) => (
            <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {invite.isError && !error?.details.length ? <ErrorMessage error={invite.error} title="Could not send the invitation" /> : null}
      <button type="submit" className="button button-primary" disabled={invite.isPending}>
        {invite.isPending ? "Sending…" : "Send invitation"}
      </button>
    </form>
  );
}
