import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { Link, useSearch } from "wouter";
import { CopyButton } from "../components/copy-button";
import { ErrorMessage } from "../components/error-message";
import { Field } from "../components/field";
import { LivePreview } from "../components/live-preview";
import { Loading } from "../components/loading";
import { Artwork } from "../components/artwork";
import { QrCodePanel } from "../components/qr-code-panel";
import { ServicesEditor } from "../components/services-editor";
import { ThemePicker } from "../components/theme-picker";
import { UnknownArtist } from "../components/unknown-artist";
import { ViewerNote } from "../components/viewer-note";
import { formatDate } from "../lib/format-date";
import { formatReleaseDate } from "../lib/format-release-date";
import { ApiError, requestApi } from "../lib/request-api";
import { roleAtLeast } from "../lib/role-at-least";
import type { LinkService, Me, Pixels, SmartLink } from "../lib/types";
import { usePageTitle } from "../lib/use-page-title";

interface Draft {
  services: LinkService[];
  theme: string;
  pixels: Required<Pixels>;
  description: string;
}

const PIXELS: { key: keyof Pixels; label: string; hint: string }[] = [
  { key: "meta", label: "Meta Pixel ID", hint: "Digits only, from Meta Events Manager." },
  { key: "tiktok", label: "TikTok Pixel ID", hint: "From TikTok Events Manager." },
  { key: "google", label: "Google Ads tag ID", hint: "Looks like AW-123456789." },
  { key: "reddit", label: "Reddit Pixel ID", hint: "From Reddit Ads → Events Manager." },
];

function draftOf(link: SmartLink): Draft {
  return {
    services: link.services.map((s) => ({ ...s })),
    theme: link.theme,
    pixels: { meta: link.pixels.meta ?? "", tiktok: link.pixels.tiktok ?? "", google: link.pixels.google ?? "", reddit: link.pixels.reddit ?? "" },
    description: link.description ?? "",
  };
}

/** Pixel ids as the API takes them: trimmed, empty ones left out (so clearing one removes it). */
function pixelsOf(draft: Draft): Pixels {
  return Object.fromEntries(Object.entries(draft.pixels).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== ""));
}

/**
 * One smart link: services (order, visibility, added URLs), theme with a live preview,
 * pixels, description, publish / unpublish. Saves with `expectedUpdatedAt`; a 409 means
 * someone else saved first, and the page offers to reload their version.
 */
export function SmartLinkEditorPage({ me, artistId, linkId }: { me: Me; artistId: string; linkId: string }) {
  const artist = me.artists.find((a) => a.id === artistId);
  const queryClient = useQueryClient();
  const params = new URLSearchParams(useSearch());
  const link = useQuery({ queryKey: ["smart-link", linkId], queryFn: async () => (await requestApi<SmartLink>(`/api/v1/smart-links/${encodeURIComponent(linkId)}`)).data });
  usePageTitle(link.data ? `Edit ${link.data.title}` : "Edit smart link");
  const [draft, setDraft] = useState<Draft | null>(null);
  const [baseUpdatedAt, setBaseUpdatedAt] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  // Start (or restart, after a reload) editing from the server's version.
  useEffect(() => {
    if (link.data && link.data.updatedAt !== baseUpdatedAt) {
      setDraft(draftOf(link.data));
      setBaseUpdatedAt(link.data.updatedAt);
    }
  }, [link.data, baseUpdatedAt]);

  const save = useMutation({
    mutationFn: async (change: { published?: boolean }) => {
      if (!draft || !baseUpdatedAt) throw new Error("Nothing to save yet.");
      const body = { services: draft.services, theme: draft.theme, pixels: pixelsOf(draft), description: draft.description.trim(), ...change, expectedUpdatedAt: baseUpdatedAt };
      return (await requestApi<SmartLink>(`/api/v1/smart-links/${encodeURIComponent(linkId)}`, { method: "PATCH", body })).data;
    },
    onSuccess: (updated, change) => {
      queryClient.setQueryData(["smart-link", linkId], updated);
      void queryClient.invalidateQueries({ queryKey: ["smart-links", artistId] });
      setSaved(change.published === undefined ? "Changes saved." : change.published ? "Published: fans can open this link now." : "Unpublished: the link is a draft again.");
    },
    onMutate: () => setSaved(null),
  });

  if (!artist) return <UnknownArtist />;
  if (link.isPending) return <Loading label="Loading the smart link…" />;
  if (link.isError) {
    return (
      <section className="page">
        <h1>Smart link</h1>
        <ErrorMessage error={link.error} onRetry={() => void link.refetch()} title="Could not load the smart link" />
        <p>
          <Link href={`/artists/${artistId}`}>Back to smart links</Link>
        </p>
      </section>
    );
  }
  const current = link.data;
  if (!draft) return <Loading label="Preparing the editor…" />;
  const canEdit = roleAtLeast(artist.role, "editor");
  const dirty = JSON.stringify(draftOf(current)) !== JSON.stringify(draft);
  const error = save.error instanceof ApiError ? save.error : null;
  const conflict = error?.status === 409;
  const update = (patch: Partial<Draft>) => {
    setSaved(null);
    setDraft({ ...draft, ...patch });
  };
  const reload = async () => {
    save.reset();
    setBaseUpdatedAt(null);
    await link.refetch();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({});
  };

  return (
    <section className="page" aria-labelledby="editor-title">
      <p className="eyebrow">
        <Link href={`/artists/${artistId}`}>← Smart links</Link>
      </p>
      <div className="editor-head">
        <Artwork url={current.artworkUrl} size={96} />
        <div>
          <h1 id="editor-title">{current.title}</h1>
          <p className="muted">
            {current.releaseArtists.map((a) => a.name).join(", ")} · {current.releaseType} · released {formatReleaseDate(current.releaseDate)} · last saved{" "}
            {formatDate(current.updatedAt, "datetime")}
          </p>
          <p>
            <span className={current.published ? "badge badge-published" : "badge badge-draft"}>{current.published ? "Published" : "Draft"}</span>{" "}
            <a href={current.publicUrl} target="_blank" rel="noopener noreferrer">
              {current.publicUrl}
              <span className="visually-hidden"> (opens in a new tab)</span>
            </a>{" "}
            <CopyButton text={current.publicUrl} className="button button-small" />
          </p>
        </div>
      </div>
      {params.has("created") ? (
        <p className="notice notice-success" role="status">
          Smart link created and published. Check its services and theme; unpublish it if fans should not see it yet.
        </p>
      ) : null}
      {params.has("existing") ? (
        <p className="notice notice-info" role="status">
          This release already had a smart link, so here it is.
        </p>
      ) : null}
      {canEdit ? null : <ViewerNote what="this smart link" />}

      <div className="editor">
        <form className="editor-form" onSubmit={submit} aria-label="Smart link settings">
          <fieldset disabled={!canEdit} className="plain">
            <ServicesEditor services={draft.services} onChange={(services) => update({ services })} saveError={error} />
            <ThemePicker value={draft.theme} onChange={(theme) => update({ theme })} />
            <h2>Description</h2>
            <Field label="Description (optional)" hint="Shown under the title on the page." error={error?.fieldMessage("description")}>
              {(p) => <textarea {...p} rows={3} maxLength={500} value={draft.description} onChange={(e) => update({ description: e.target.value })} />}
            </Field>
            <h2>Pixels</h2>
            <p className="hint">Conversion pixels fire only for fans who accept tracking. Leave empty to turn one off.</p>
            <div className="grid-2">
              {PIXELS.map((px) => (
                <Field key={px.key} label={px.label} hint={px.hint} error={error?.fieldMessage(`pixels.${px.key}`)}>
                  {(p) => (
                    <input
                      {...p}
                      inputMode={px.key === "meta" ? "numeric" : "text"}
                      autoComplete="off"
                      spellCheck={false}
                      value={draft.pixels[px.key]}
                      onChange={(e) => update({ pixels: { ...draft.pixels, [px.key]: e.target.value } })}
                    />
                  )}
                </Field>
              ))}
            </div>
          </fieldset>

          {/* Viewers cannot save: no (empty, sticky) save bar for them. */}
          {canEdit ? (
            <div className="savebar" aria-live="polite">
              {conflict ? (
                <div className="notice notice-error" role="alert" data-testid="conflict">
                  <p>
                    <strong>Someone else changed this smart link</strong> since you opened it, so your changes were not saved. Reload to see
                    the latest version (your unsaved edits will be lost), then make your changes again.
                  </p>
                  <button type="button" className="button" onClick={() => void reload()}>
                    Reload latest version
                  </button>
                </div>
              ) : error?.code === "BAD_REQUEST" && error.details.length > 0 ? (
                // The field says what is wrong; repeating the API's raw path here adds nothing.
                <p className="notice notice-error" role="alert">
                  <strong>Not saved.</strong> Fix the field marked in red, then save again.
                </p>
              ) : save.isError ? (
                <ErrorMessage error={save.error} title="Not saved" />
              ) : null}
              {saved ? (
                <p className="notice notice-success" role="status">
                  {saved}
                </p>
              ) : null}
              <div className="actions">
                <button type="submit" className="button button-primary" disabled={save.isPending || !dirty}>
                  {save.isPending ? "Saving…" : "Save changes"}
                </button>
                <button type="button" className="button" disabled={save.isPending} onClick={() => save.mutate({ published: !current.published })}>
                  {current.published ? "Unpublish" : dirty ? "Save and publish" : "Publish"}
                </button>
                {dirty ? <span className="muted">Unsaved changes</span> : null}
              </div>
            </div>
          ) : null}
        </form>
        <aside className="editor-preview" aria-label="Preview and QR code">
          <h2>Live preview</h2>
          <LivePreview linkId={linkId} input={{ services: draft.services, theme: draft.theme, description: draft.description }} title={current.title} />
          <h2>QR code</h2>
          <QrCodePanel url={current.publicUrl} name={current.slug} />
        </aside>
      </div>
    </section>
  );
}
