import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { DataRightsPanels } from "../components/data-rights-panels";
import { ErrorMessage } from "../components/error-message";
import { Field } from "../components/field";
import { ApiError, requestApi } from "../lib/request-api";
import { signOut } from "../lib/sign-out";
import type { Me, User } from "../lib/types";
import { ME_KEY } from "../lib/use-me";
import { usePageTitle } from "../lib/use-page-title";

/**
 * The user's name (correction), sign out and sign out everywhere (every device's session is
 * revoked), and the P18 panels: download my data, restrict / object, delete the account.
 */
export function AccountPage({ me }: { me: Me }) {
  usePageTitle("Account");
  const queryClient = useQueryClient();
  const [name, setName] = useState(me.user.name);
  const rename = useMutation({
    mutationFn: async () => (await requestApi<{ user: User }>("/api/v1/me", { method: "PATCH", body: { name: name.trim() } })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ME_KEY }),
  });
  const out = useMutation({ mutationFn: (everywhere: boolean) => signOut(queryClient, { everywhere }) });
  const error = rename.error instanceof ApiError ? rename.error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    rename.mutate();
  };
  return (
    <section className="page page-narrow" aria-labelledby="account-title">
      <h1 id="account-title">Account</h1>
      <form onSubmit={submit} className="panel" aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <p>
          Signed in as <strong>{me.user.email}</strong>
        </p>
        <Field label="Name" error={error?.fieldMessage("name")}>
          {(p) => <input {...p} autoComplete="name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        {rename.isError && !error?.fieldMessage("name") ? <ErrorMessage error={rename.error} title="Not saved" /> : null}
        {rename.isSuccess ? (
          <p className="notice notice-success" role="status">
            Name saved.
          </p>
        ) : null}
        <button type="submit" className="button button-primary" disabled={rename.isPending || !name.trim()}>
          {rename.isPending ? "Saving…" : "Save name"}
        </button>
      </form>
      <div className="panel" role="group" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        <p>Signing out everywhere ends your session on every device and browser, including this one — use it if a device was lost.</p>
        {out.isError ? <ErrorMessage error={out.error} title="Could not sign out" /> : null}
        <div className="actions">
          <button type="button" className="button" disabled={out.isPending} onClick={() => out.mutate(false)}>
            Sign out
          </button>
          <button type="button" className="button button-danger" disabled={out.isPending} onClick={() => out.mutate(true)}>
            Sign out everywhere
          </button>
        </div>
      </div>
      <DataRightsPanels me={me} />
    </section>
  );
}
