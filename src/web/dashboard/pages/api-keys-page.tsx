import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { ConfirmButton } from "../components/confirm-button";
import { CopyButton } from "../components/copy-button";
import { EmptyState } from "../components/empty-state";
import { ErrorMessage } from "../components/error-message";
import { Field } from "../components/field";
import { Loading } from "../components/loading";
import { formatDate } from "../lib/format-date";
import { newIdempotencyKey } from "../lib/new-idempotency-key";
import { ApiError, requestApi } from "../lib/request-api";
import { roleAtLeast } from "../lib/role-at-least";
import { API_KEY_SCOPES, type ApiKey, type ApiKeyScope, type Me, type Page } from "../lib/types";
import { usePageTitle } from "../lib/use-page-title";

const SCOPE_HELP: Record<ApiKeyScope, string> = {
  read: "Read artists, smart links, the team, analytics and the conversion delivery log",
  "smart_links.write": "Create and edit smart links",
  "artists.write": "Add artists and edit artist hubs",
  "members.write": "Invite and manage members",
  "conversions.write": "Set conversion destinations and event mapping, send test events",
};

/**
 * An organization's API keys (admins): create with scopes — the secret is shown once,
 * with a copy button — list with last use, revoke.
 */
export function ApiKeysPage({ me, orgId }: { me: Me; orgId: string }) {
  const org = me.organizations.find((o) => o.id === orgId);
  usePageTitle(org ? `${org.name} — API keys` : "API keys");
  const base = `/api/v1/organizations/${encodeURIComponent(orgId)}/api-keys`;
  const queryClient = useQueryClient();
  const isAdmin = roleAtLeast(org?.role, "admin");
  const keys = useQuery({ queryKey: ["api-keys", orgId], queryFn: async () => (await requestApi<Page<ApiKey>>(`${base}?limit=100`)).data, enabled: isAdmin });
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>(["read"]);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const idem = useRef(newIdempotencyKey());
  const create = useMutation({
    mutationFn: async () =>
      (await requestApi<{ apiKey: ApiKey; secret: string }>(base, { method: "POST", body: { name: name.trim(), scopes }, idempotencyKey: idem.current })).data,
    onSuccess: (res) => {
      idem.current = newIdempotencyKey();
      setSecret({ name: res.apiKey.name, value: res.secret });
      setName("");
      return queryClient.invalidateQueries({ queryKey: ["api-keys", orgId] });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status < 500) idem.current = newIdempotencyKey();
    },
  });
  const revoke = useMutation({
    mutationFn: (key: ApiKey) => requestApi(`${base}/${encodeURIComponent(key.id)}`, { method: "DELETE" }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["api-keys", orgId] }),
  });

  if (!org || !isAdmin) {
    return (
      <section className="page">
        <h1>API keys</h1>
        <p className="notice notice-info">Only admins of this organization can see and manage its API keys.</p>
      </section>
    );
  }
  const error = create.error instanceof ApiError ? create.error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const list = keys.data?.data ?? [];
  return (
    <section className="page" aria-labelledby="keys-title">
      <p className="eyebrow">{org.name}</p>
      <h1 id="keys-title">API keys</h1>
      <p>
        Keys let scripts and other tools call the Backbeat API as {org.name} (send <code>Authorization: Bearer &lt;key&gt;</code>). The API is
        described at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
      </p>

      {secret ? (
        <div className="notice notice-success secret" role="status" data-testid="new-secret">
          <p>
            <strong>Key “{secret.name}” created.</strong> Copy it now: this is the only time it is shown.
          </p>
          <p>
            <code className="secret-value">{secret.value}</code>
          </p>
          <div className="actions">
            <CopyButton text={secret.value} label="Copy key" />
            <button type="button" className="button" onClick={() => setSecret(null)}>
              I've saved it
            </button>
          </div>
        </div>
      ) : null}

      <form onSubmit={submit} className="panel" aria-labelledby="new-key-title">
        <h2 id="new-key-title">Create a key</h2>
        <Field label="Name" hint="What uses it, e.g. “Release bot”." error={error?.fieldMessage("name")}>
          {(p) => <input {...p} required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <fieldset>
          <legend>Scopes</legend>
          {API_KEY_SCOPES.map((s) => (
            <label key={s} className="choice">
              <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))} />{" "}
              <span>
                <code>{s}</code> — {SCOPE_HELP[s]}
              </span>
            </label>
          ))}
          {error?.fieldMessage("scopes") ? <p className="field-error">{error.fieldMessage("scopes")}</p> : null}
        </fieldset>
        {create.isError && !error?.details.length ? <ErrorMessage error={create.error} title="Could not create the key" /> : null}
        <button type="submit" className="button button-primary" disabled={create.isPending || scopes.length === 0 || !name.trim()}>
          {create.isPending ? "Creating…" : "Create key"}
        </button>
      </form>

      <h2>Keys</h2>
      {revoke.isError ? <ErrorMessage error={revoke.error} title="Could not revoke the key" /> : null}
      {keys.isPending ? <Loading label="Loading API keys…" /> : null}
      {keys.isError ? <ErrorMessage error={keys.error} onRetry={() => void keys.refetch()} title="Could not load the API keys" /> : null}
      {keys.isSuccess && list.length === 0 ? <EmptyState title="No API keys yet." /> : null}
      {list.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((k) => (
                <tr key={k.id} className={k.revokedAt ? "row-muted" : undefined}>
                  <td>
                    {k.name}
                    <br />
                    <code className="muted">{k.prefix}…</code>
                  </td>
                  <td>{k.scopes.join(", ")}</td>
                  <td>
                    {formatDate(k.createdAt)}
                    <br />
                    <span className="muted">by {k.createdBy.name}</span>
                  </td>
                  <td>{k.lastUsedAt ? formatDate(k.lastUsedAt, "datetime") : "Never"}</td>
                  <td>
                    {k.revokedAt ? (
                      `Revoked ${formatDate(k.revokedAt)}`
                    ) : (
                      <ConfirmButton
                        label="Revoke"
                        ariaLabel={`Revoke key ${k.name}`}
                        question={`Revoke “${k.name}”? Anything using it stops working.`}
                        pending={revoke.isPending}
                        onConfirm={() => revoke.mutate(k)}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
