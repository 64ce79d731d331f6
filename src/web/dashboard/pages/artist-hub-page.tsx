import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { ErrorMessage } from "../components/error-message";
import { Field } from "../components/field";
import { Loading } from "../components/loading";
import { ThemePicker } from "../components/theme-picker";
import { UnknownArtist } from "../components/unknown-artist";
import { ViewerNote } from "../components/viewer-note";
import { formatDate } from "../lib/format-date";
import { formatNumber } from "../lib/format-number";
import { ApiError, requestApi } from "../lib/request-api";
import { roleAtLeast } from "../lib/role-at-least";
import type { Artist, Me } from "../lib/types";
import { usePageTitle } from "../lib/use-page-title";

/**
 * The artist hub's settings (theme, description, published) — `PATCH /api/v1/artists/{id}`
 * with `expectedUpdatedAt`; a 409 offers to reload the other person's version.
 */
export function ArtistHubPage({ me, artistId }: { me: Me; artistId: string }) {
  const known = me.artists.find((a) => a.id === artistId);
  usePageTitle(known ? `${known.name} — artist hub` : "Artist hub");
  const queryClient = useQueryClient();
  const artist = useQuery({
    queryKey: ["artist", artistId],
    queryFn: async () => (await requestApi<Artist>(`/api/v1/artists/${encodeURIComponent(artistId)}`)).data,
    enabled: Boolean(known),
  });
  const [theme, setTheme] = useState("");
  const [description, setDescription] = useState("");
  const [published, setPublished] = useState(false);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!artist.data) return;
    setTheme(artist.data.hubTheme);
    setDescription(artist.data.hubDescription ?? "");
    setPublished(artist.data.hubPublished);
  }, [artist.data]);
  const save = useMutation({
    mutationFn: async () => {
      const body = { hubTheme: theme, hubDescription: description.trim(), hubPublished: published, expectedUpdatedAt: artist.data?.updatedAt };
      return (await requestApi<Artist>(`/api/v1/artists/${encodeURIComponent(artistId)}`, { method: "PATCH", body })).data;
    },
    onMutate: () => setSaved(false),
    onSuccess: (updated) => {
      queryClient.setQueryData(["artist", artistId], updated);
      setSaved(true);
    },
  });

  if (!known) return <UnknownArtist />;
  const canEdit = roleAtLeast(known.role, "editor");
  const error = save.error instanceof ApiError ? save.error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <section className="page page-narrow" aria-labelledby="hub-title">
      <p className="eyebrow">{known.name}</p>
      <h1 id="hub-title">Artist hub</h1>
      <p>The hub is the artist's public page listing all their published smart links.</p>
      {artist.isPending ? <Loading label="Loading the artist hub…" /> : null}
      {artist.isError ? <ErrorMessage error={artist.error} onRetry={() => void artist.refetch()} title="Could not load the artist" /> : null}
      {artist.data ? (
        <>
          <p>
            <a href={artist.data.publicUrl} target="_blank" rel="noopener noreferrer">
              {artist.data.publicUrl}
              <span className="visually-hidden"> (opens in a new tab)</span>
            </a>{" "}
            · {formatNumber(artist.data.smartLinkCount)} smart {artist.data.smartLinkCount === 1 ? "link" : "links"} · last saved{" "}
            {formatDate(artist.data.updatedAt, "datetime")}
          </p>
          {canEdit ? null : <ViewerNote what="the hub settings" />}
          <form onSubmit={submit} aria-label="Artist hub settings">
            <fieldset disabled={!canEdit} className="plain">
              <ThemePicker value={theme} onChange={setTheme} legend="Hub theme" />
              <Field label="Description (optional)" hint="A short bio shown on the hub." error={error?.fieldMessage("hubDescription")}>
                {(p) => <textarea {...p} rows={4} maxLength={1000} value={description} onChange={(e) => setDescription(e.target.value)} />}
              </Field>
              <label className="choice">
                <input type="checkbox" checked={published} onChange={(e) => setPublished(e.target.checked)} /> Published (fans can open the hub)
              </label>
            </fieldset>
            {error?.status === 409 ? (
              <div className="notice notice-error" role="alert">
                <p>
                  <strong>Someone else changed these settings</strong> since you opened them, so yours were not saved. Reload to see the latest
                  version, then make your changes again.
                </p>
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    save.reset();
                    void artist.refetch();
                  }}
                >
                  Reload latest version
                </button>
              </div>
            ) : save.isError ? (
              <ErrorMessage error={save.error} title="Not saved" />
            ) : null}
            {saved ? (
              <p className="notice notice-success" role="status">
                Hub settings saved.
              </p>
            ) : null}
            {canEdit ? (
              <button type="submit" className="button button-primary" disabled={save.isPending}>
                {save.isPending ? "Saving…" : "Save hub settings"}
              </button>
            ) : null}
          </form>
        </>
      ) : null}
    </section>
  );
}
