import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { useLocation } from "wouter";
import { ErrorMessage } from "../components/error-message";
import { Field } from "../components/field";
import { newIdempotencyKey } from "../lib/new-idempotency-key";
import { ApiError, requestApi } from "../lib/request-api";
import { roleAtLeast } from "../lib/role-at-least";
import type { Artist, Me, Organization } from "../lib/types";
import { ME_KEY } from "../lib/use-me";
import { usePageTitle } from "../lib/use-page-title";

const NONE = "none";
const NEW = "new";
const SPOTIFY_ARTIST = /^(https:\/\/open\.spotify\.com\/(intl-[a-z-]+\/)?artist\/[A-Za-z0-9]{22}|spotify:artist:[A-Za-z0-9]{22})/;

/**
 * Adding an artist (the first page a new user sees): optionally a new organization, then
 * the artist from its Spotify URL (`POST /api/v1/organizations`, `POST /api/v1/artists`).
 * A retry after a failed artist step reuses the organization already created.
 */
export function OnboardingPage({ me }: { me: Me }) {
  const first = me.artists.length === 0;
  usePageTitle(first ? "Welcome" : "Add an artist");
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const orgs = me.organizations.filter((o) => roleAtLeast(o.role, "editor"));
  const [owner, setOwner] = useState<string>(NONE);
  const [orgName, setOrgName] = useState("");
  const [spotifyUrl, setSpotifyUrl] = useState("");
  const [urlProblem, setUrlProblem] = useState<string | undefined>();
  const createdOrg = useRef<Organization | null>(null);
  const keys = useRef({ org: newIdempotencyKey(), artist: newIdempotencyKey() });

  const create = useMutation({
    mutationFn: async () => {
      let organizationId: string | undefined = owner === NONE || owner === NEW ? undefined : owner;
      if (owner === NEW) {
        createdOrg.current ??= (await requestApi<Organization>("/api/v1/organizations", { method: "POST", body: { name: orgName.trim() }, idempotencyKey: keys.current.org })).data;
        organizationId = createdOrg.current.id;
      }
      const body = { spotifyUrl: spotifyUrl.trim(), ...(organizationId ? { organizationId } : {}) };
      return (await requestApi<Artist>("/api/v1/artists", { method: "POST", body, idempotencyKey: keys.current.artist })).data;
    },
    onSuccess: async (artist) => {
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
      navigate(`/artists/${artist.id}?welcome=1`);
    },
    onError: (err) => {
      // The organization step may have succeeded: show it in the switcher already.
      if (createdOrg.current) void queryClient.invalidateQueries({ queryKey: ME_KEY });
      // A rejected body will not succeed on replay: the next attempt gets a fresh key.
      if (err instanceof ApiError && err.status < 500) keys.current.artist = newIdempotencyKey();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!SPOTIFY_ARTIST.test(spotifyUrl.trim())) {
      setUrlProblem("Paste the artist's Spotify link, like https://open.spotify.com/artist/… (Share → Copy link to artist).");
      return;
    }
    setUrlProblem(undefined);
    create.mutate();
  };

  const apiError = create.error instanceof ApiError ? create.error : null;
  const conflict = apiError?.status === 409;
  const urlError = urlProblem ?? apiError?.fieldMessage("spotifyUrl");

  return (
    <section className="page page-narrow" aria-labelledby="onboarding-title">
      <h1 id="onboarding-title">{first ? "Welcome to Backbeat" : "Add an artist"}</h1>
      <p>
        Paste an artist's Spotify link. Backbeat imports their catalog and makes a <strong>smart link</strong> for every release — one page
        that sends fans to every streaming service — plus an artist hub listing them all. Links are published right away; you can unpublish any of them.
      </p>
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>Who manages this artist?</legend>
          <label className="choice">
            <input type="radio" name="owner" value={NONE} checked={owner === NONE} onChange={() => setOwner(NONE)} /> Just me (no organization)
          </label>
          {orgs.map((o) => (
            <label className="choice" key={o.id}>
              <input type="radio" name="owner" value={o.id} checked={owner === o.id} onChange={() => setOwner(o.id)} /> {o.name}
            </label>
          ))}
          <label className="choice">
            <input type="radio" name="owner" value={NEW} checked={owner === NEW} onChange={() => setOwner(NEW)} /> A new organization (a label or
            management company)
          </label>
          {owner === NEW ? (
            <Field label="Organization name" hint="Teammates you invite to the organization can work on all its artists." error={apiError?.fieldMessage("name")}>
              {(p) => <input {...p} name="organization" required maxLength={100} value={orgName} onChange={(e) => setOrgName(e.target.value)} />}
            </Field>
          ) : null}
        </fieldset>
        <Field label="Spotify artist link" hint="In Spotify: the artist's page → ⋯ → Share → Copy link to artist." error={urlError}>
          {(p) => (
            <input
              {...p}
              name="spotifyUrl"
              type="url"
              inputMode="url"
              placeholder="https://open.spotify.com/artist/…"
              required
              value={spotifyUrl}
              onChange={(e) => setSpotifyUrl(e.target.value)}
            />
          )}
        </Field>
        {conflict ? (
          <p className="notice notice-error" role="alert">
            This artist is already on Backbeat. Ask one of its admins to invite you to their team.
          </p>
        ) : create.isError && !urlError ? (
          <ErrorMessage error={create.error} title="Could not add the artist" />
        ) : null}
        <button type="submit" className="button button-primary" disabled={create.isPending || (owner === NEW && !orgName.trim())}>
          {create.isPending ? "Adding…" : "Add artist and import catalog"}
        </button>
      </form>
    </section>
  );
}
