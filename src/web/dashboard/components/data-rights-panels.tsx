import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { downloadBlob } from "../lib/download-blob";
import { ApiError, requestApi } from "../lib/request-api";
import type { Me } from "../lib/types";
import { SESSION_KEY } from "../lib/use-session";
import { ErrorMessage } from "./error-message";
import { Field } from "./field";

interface ProcessingChoice {
  restrict: boolean;
  object: boolean;
  recordedAt: string | null;
}

const PROCESSING_KEY = ["me", "processing"] as const;

/**
 * The Account page's P18 panels: download my data (`GET /api/v1/me/export`), restrict /
 * object to processing (`PUT /api/v1/me/processing`), and delete the account
 * (`DELETE /api/v1/me`, confirmed by typing the e-mail).
 */
export function DataRightsPanels({ me }: { me: Me }) {
  return (
    <>
      <DownloadPanel />
      <ProcessingPanel />
      <DeletePanel me={me} />
    </>
  );
}

function DownloadPanel() {
  const download = useMutation({
    mutationFn: async () => {
      const res = await requestApi<string>("/api/v1/me/export", { as: "text" });
      const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "backbeat-my-data.json";
      downloadBlob(new Blob([res.data], { type: "application/json" }), name);
    },
  });
  return (
    <div className="panel" role="group" aria-labelledby="my-data-title">
      <h2 id="my-data-title">Your data</h2>
      <p>A JSON file with everything Backbeat holds about you: profile, sign-in methods, sessions, organizations and roles, API keys you created (never their secrets), what you did in the audit log, and your processing choices.</p>
      {download.isError ? <ErrorMessage error={download.error} title="Download failed" /> : null}
      <button type="button" className="button" disabled={download.isPending} onClick={() => download.mutate()}>
        {download.isPending ? "Preparing…" : "Download my data"}
      </button>
    </div>
  );
}

function ProcessingPanel() {
  const queryClient = useQueryClient();
  const current = useQuery({ queryKey: PROCESSING_KEY, queryFn: async () => (await requestApi<ProcessingChoice>("/api/v1/me/processing")).data });
  const save = useMutation({
    mutationFn: async (next: { restrict: boolean; object: boolean }) => (await requestApi<ProcessingChoice>("/api/v1/me/processing", { method: "PUT", body: next })).data,
    onSuccess: (data) => queryClient.setQueryData(PROCESSING_KEY, data),
  });
  const choice = current.data;
  const set = (patch: Partial<{ restrict: boolean; object: boolean }>) => choice && save.mutate({ restrict: choice.restrict, object: choice.object, ...patch });
  return (
    <div className="panel" role="group" aria-labelledby="processing-title">
      <h2 id="processing-title">Processing of your data</h2>
      <p>Either choice keeps your own activity out of analytics, uploads to ad platforms and AI features. Your account keeps working; untick both to withdraw.</p>
      {current.isError ? <ErrorMessage error={current.error} title="Could not load your choices" /> : null}
      {choice ? (
        <fieldset className="plain" disabled={save.isPending}>
          <legend className="visually-hidden">Processing choices</legend>
          <label className="choice">
            <input type="checkbox" checked={choice.restrict} onChange={(e) => set({ restrict: e.target.checked })} /> <span>Restrict processing of my data</span>
          </label>
          <label className="choice">
            <input type="checkbox" checked={choice.object} onChange={(e) => set({ object: e.target.checked })} /> <span>Object to processing of my data</span>
          </label>
        </fieldset>
      ) : null}
      {save.isError ? <ErrorMessage error={save.error} title="Not saved" /> : null}
      {save.isSuccess ? (
        <p className="notice notice-success" role="status">
          {save.data.restrict || save.data.object ? "Saved: your activity is kept out of analytics, ads and AI." : "Saved: restriction and objection withdrawn."}
        </p>
      ) : null}
    </div>
  );
}

function DeletePanel({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState("");
  const remove = useMutation({
    mutationFn: async () => (await requestApi<{ deleted: true }>("/api/v1/me", { method: "DELETE", body: { confirmEmail: typed.trim() } })).data,
    onSuccess: () => {
      // Every session ended with the account: forget everything, the sign-in page follows.
      queryClient.setQueryData(SESSION_KEY, null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
    },
  });
  const error = remove.error instanceof ApiError ? remove.error : null;
  const matches = typed.trim().toLowerCase() === me.user.email.toLowerCase();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (matches) remove.mutate();
  };
  return (
    <form className="panel panel-danger" onSubmit={submit} aria-labelledby="delete-title">
      <h2 id="delete-title">Delete account</h2>
      <p>
        This deletes your account, your memberships and every session, at once. Organizations where you are the only member are deleted too; audit entries stay, without your name. If you are the only admin of a team, make someone else admin first.
      </p>
      <Field label={`Type ${me.user.email} to confirm`} error={error?.fieldMessage("confirmEmail")}>
        {(p) => <input {...p} type="email" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />}
      </Field>
      {remove.isError && !error?.fieldMessage("confirmEmail") ? <ErrorMessage error={remove.error} title="Not deleted" /> : null}
      <button type="submit" className="button button-danger" disabled={!matches || remove.isPending}>
        {remove.isPending ? "Deleting…" : "Delete my account"}
      </button>
    </form>
  );
}
