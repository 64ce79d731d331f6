import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { CopyButton } from "../components/copy-button";
import { EmptyState } from "../components/empty-state";
import { ErrorMessage } from "../components/error-message";
import { Field } from "../components/field";
import { Loading } from "../components/loading";
import { Artwork } from "../components/artwork";
import { QrCodePanel } from "../components/qr-code-panel";
import { UnknownArtist } from "../components/unknown-artist";
import { ViewerNote } from "../components/viewer-note";
import { formatDate } from "../lib/format-date";
import { formatNumber } from "../lib/format-number";
import { formatReleaseDate } from "../lib/format-release-date";
import { newIdempotencyKey } from "../lib/new-idempotency-key";
import { ApiError, requestApi } from "../lib/request-api";
import { roleAtLeast } from "../lib/role-at-least";
import type { Me, Page, SmartLink } from "../lib/types";
import { useDebouncedValue } from "../lib/use-debounced-value";
import { usePageTitle } from "../lib/use-page-title";

type PublishedFilter = "all" | "true" | "false";

/**
 * The selected artist's smart links, newest first: search by title, filter by status,
 * cursor "Load more"; per link copy of the public URL and QR code downloads; editors
 * create a link by pasting a Spotify release URL (201 new, 200 + `Backbeat-Result: existing`).
 */
export function SmartLinksPage({ me, artistId }: { me: Me; artistId: string }) {
  const artist = me.artists.find((a) => a.id === artistId);
  usePageTitle(artist ? `${artist.name} — smart links` : "Smart links");
  // `?welcome=1` (from onboarding) shows the import banner once: the query is dropped at
  // once so a reload or a later visit does not show it again, and it hides as soon as
  // imported links are listed.
  const search = useSearch();
  const [location, navigate] = useLocation();
  const [welcome] = useState(() => new URLSearchParams(search).has("welcome"));
  useEffect(() => {
    if (new URLSearchParams(search).has("welcome")) navigate(location, { replace: true });
  }, [search, location, navigate]);
  const [q, setQ] = useState("");
  const [published, setPublished] = useState<PublishedFilter>("all");
  const query = useDebouncedValue(q.trim(), 300);
  const links = useInfiniteQuery({
    queryKey: ["smart-links", artistId, { q: query, published }],
    queryFn: async ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: "25" });
      if (query) params.set("q", query);
      if (published !== "all") params.set("published", published);
      if (pageParam) params.set("cursor", pageParam);
      return (await requestApi<Page<SmartLink>>(`/api/v1/artists/${encodeURIComponent(artistId)}/smart-links?${params}`, { signal })).data;
    },
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: Boolean(artist),
  });
  if (!artist) return <UnknownArtist />;
  const canEdit = roleAtLeast(artist.role, "editor");
  const items = links.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = query !== "" || published !== "all";

  return (
    <section className="page" aria-labelledby="links-title">
      <p className="eyebrow">{artist.name}</p>
      <h1 id="links-title">Smart links</h1>
      {welcome && !(items.length > 0 && !filtered) ? (
        <p className="notice notice-success" role="status">
          {artist.name} is on Backbeat. Their catalog is being imported: a smart link for each release appears here within a minute or two
          (published right away — unpublish any that fans should not see yet).
        </p>
      ) : null}
      {canEdit ? <CreateSmartLink artistId={artistId} /> : <ViewerNote what="these smart links" />}

      <div className="filters" role="search" aria-label="Filter smart links">
        <Field label="Search by title">{(p) => <input {...p} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}</Field>
        <Field label="Status">
          {(p) => (
            <select {...p} value={published} onChange={(e) => setPublished(e.target.value as PublishedFilter)}>
              <option value="all">All</option>
              <option value="true">Published</option>
              <option value="false">Drafts</option>
            </select>
          )}
        </Field>
      </div>

      {links.isPending ? <Loading label="Loading smart links…" /> : null}
      {links.isError && !links.isFetchNextPageError ? <ErrorMessage error={links.error} onRetry={() => void links.refetch()} title="Could not load the smart links" /> : null}
      {links.isSuccess && items.length === 0 ? (
        filtered ? (
          <EmptyState title="No smart links match.">
            <p>Try another search or status.</p>
          </EmptyState>
        ) : (
          <EmptyState title="No smart links yet.">
            <p>{canEdit ? "Paste a Spotify release link above, or wait a moment if the catalog import is still running." : "Nothing has been created for this artist yet."}</p>
          </EmptyState>
        )
      ) : null}
      {items.length > 0 ? (
        <>
          <p className="muted" aria-live="polite">
            Showing {formatNumber(items.length)} {items.length === 1 ? "link" : "links"}
            {links.hasNextPage ? " (more available)" : ""}
          </p>
          <ul className="cards" aria-label="Smart links">
            {items.map((link) => (
              <SmartLinkCard key={link.id} link={link} artistId={artistId} />
            ))}
          </ul>
        </>
      ) : null}
      {links.hasNextPage ? (
        <button type="button" className="button" onClick={() => void links.fetchNextPage()} disabled={links.isFetchingNextPage}>
          {links.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      ) : null}
      {links.isFetchNextPageError ? <ErrorMessage error={links.error} title="Could not load more" /> : null}
    </section>
  );
}

function SmartLinkCard({ link, artistId }: { link: SmartLink; artistId: string }) {
  const [qrOpen, setQrOpen] = useState(false);
  const qrId = `qr-${link.id}`;
  return (
    <li className="card link-card" data-testid="smart-link">
      <Artwork url={link.artworkUrl} size={64} lazy />
      <div className="link-card-body">
        <h2 className="link-title">
          <Link href={`/artists/${artistId}/links/${link.id}`}>{link.title}</Link>
        </h2>
        <p className="muted">
          <span className={link.published ? "badge badge-published" : "badge badge-draft"}>{link.published ? "Published" : "Draft"}</span>{" "}
          {link.releaseType} · {isUpcoming(link.releaseDate) ? "out" : "released"} {formatReleaseDate(link.releaseDate)} · created {formatDate(link.createdAt)}
        </p>
        <div className="actions">
          <CopyButton text={link.publicUrl} label="Copy link" className="button button-small" />
          <button type="button" className="button button-small" aria-expanded={qrOpen} aria-controls={qrId} onClick={() => setQrOpen((o) => !o)}>
            QR code
          </button>
          <a className="button button-small" href={link.publicUrl} target="_blank" rel="noopener noreferrer">
            Open<span className="visually-hidden"> {link.title} (new tab)</span>
          </a>
        </div>
        {qrOpen ? (
          <div id={qrId}>
            <QrCodePanel url={link.publicUrl} name={link.slug} />
          </div>
        ) : null}
      </div>
    </li>
  );
}

function CreateSmartLink({ artistId }: { artistId: string }) {
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState("");
  const key = useRef(newIdempotencyKey());
  const create = useMutation({
    mutationFn: async () => {
      const res = await requestApi<SmartLink>(`/api/v1/artists/${encodeURIComponent(artistId)}/smart-links`, {
        method: "POST",
        body: { spotifyUrl: url.trim() },
        idempotencyKey: key.current,
      });
      return { link: res.data, existing: (res.headers.get("backbeat-result") ?? (res.status === 200 ? "existing" : "created")) === "existing" };
    },
    onSuccess: async ({ link, existing }) => {
      key.current = newIdempotencyKey();
      await queryClient.invalidateQueries({ queryKey: ["smart-links", artistId] });
      navigate(`/artists/${artistId}/links/${link.id}?${existing ? "existing" : "created"}=1`);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status < 500) key.current = newIdempotencyKey();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (url.trim()) create.mutate();
  };
  const err = create.error instanceof ApiError ? create.error : null;
  const fieldError = err ? (err.fieldMessage("spotifyUrl") ?? (err.code === "BAD_REQUEST" ? err.message : undefined)) : undefined;
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Create a smart link">
      <Field label="New smart link from a Spotify release link" hint="An album, single or track link, e.g. https://open.spotify.com/album/…" error={fieldError}>
        {(p) => <input {...p} name="spotifyUrl" type="url" inputMode="url" required value={url} onChange={(e) => setUrl(e.target.value)} />}
      </Field>
      <button type="submit" className="button button-primary" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create smart link"}
      </button>
      {create.isError && !fieldError ? <ErrorMessage error={create.error} title="Could not create the smart link" /> : null}
    </form>
  );
}

/** A Spotify release date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, UTC) after today, at its own precision. */
function isUpcoming(releaseDate: string | null | undefined): boolean {
  if (!releaseDate) return false;
  return releaseDate > new Date().toISOString().slice(0, releaseDate.length);
}
