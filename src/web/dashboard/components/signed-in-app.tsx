import { lazy, Suspense } from "react";
import { Redirect, Route, Switch } from "wouter";
import { lastArtist } from "../lib/last-artist";
import { useMe } from "../lib/use-me";
import type { Me } from "../lib/types";
import { NotFoundPage } from "../pages/not-found-page";
import { SmartLinksPage } from "../pages/smart-links-page";
import { ErrorMessage } from "./error-message";
import { Loading } from "./loading";
import { Shell } from "./shell";

// The smart links list is the landing page and ships in the main bundle; the other pages
// are fetched on first visit (same origin, hashed, cached for a year).
const AnalyticsPage = lazy(() => import("../pages/analytics-page").then((m) => ({ default: m.AnalyticsPage })));
const ConversionsPage = lazy(() => import("../pages/conversions-page").then((m) => ({ default: m.ConversionsPage })));
const SpendPage = lazy(() => import("../pages/spend-page").then((m) => ({ default: m.SpendPage })));
const AcceptInvitationPage = lazy(() => import("../pages/accept-invitation-page").then((m) => ({ default: m.AcceptInvitationPage })));
const AccountPage = lazy(() => import("../pages/account-page").then((m) => ({ default: m.AccountPage })));
const ApiKeysPage = lazy(() => import("../pages/api-keys-page").then((m) => ({ default: m.ApiKeysPage })));
const ArtistHubPage = lazy(() => import("../pages/artist-hub-page").then((m) => ({ default: m.ArtistHubPage })));
const AuditLogPage = lazy(() => import("../pages/audit-log-page").then((m) => ({ default: m.AuditLogPage })));
const OnboardingPage = lazy(() => import("../pages/onboarding-page").then((m) => ({ default: m.OnboardingPage })));
const SmartLinkEditorPage = lazy(() => import("../pages/smart-link-editor-page").then((m) => ({ default: m.SmartLinkEditorPage })));
const TeamPage = lazy(() => import("../pages/team-page").then((m) => ({ default: m.TeamPage })));

/** Everything behind sign-in: loads `/api/v1/me`, then the shell and the page for the address. */
export function SignedInApp() {
  const me = useMe();
  if (me.isPending) {
    return (
      <main className="center" id="main">
        <Loading label="Loading your artists…" />
      </main>
    );
  }
  if (me.isError) {
    return (
      <main className="center" id="main">
        <h1>Backbeat</h1>
        <ErrorMessage error={me.error} onRetry={() => void me.refetch()} title="Could not load your account" />
      </main>
    );
  }
  const data = me.data;
  return (
    <Shell me={data}>
      <Suspense fallback={<Loading label="Loading the page…" />}>
        <Switch>
          <Route path="/">
            <Home me={data} />
          </Route>
          <Route path="/onboarding">
            <OnboardingPage me={data} />
          </Route>
          <Route path="/invitations/:token">{(p) => <AcceptInvitationPage token={p.token} />}</Route>
          <Route path="/account">
            <AccountPage me={data} />
          </Route>
          <Route path="/artists/:artistId">{(p) => <SmartLinksPage me={data} artistId={p.artistId} />}</Route>
          <Route path="/artists/:artistId/links/:linkId">{(p) => <SmartLinkEditorPage me={data} artistId={p.artistId} linkId={p.linkId} />}</Route>
          <Route path="/artists/:artistId/analytics">{(p) => <AnalyticsPage me={data} artistId={p.artistId} />}</Route>
          <Route path="/artists/:artistId/analytics/hub">{(p) => <AnalyticsPage me={data} artistId={p.artistId} hub />}</Route>
          <Route path="/artists/:artistId/links/:linkId/analytics">{(p) => <AnalyticsPage key={p.linkId} me={data} artistId={p.artistId} linkId={p.linkId} />}</Route>
          <Route path="/artists/:artistId/spend">{(p) => <SpendPage me={data} artistId={p.artistId} />}</Route>
          <Route path="/artists/:artistId/conversions">{(p) => <ConversionsPage me={data} artistId={p.artistId} />}</Route>
          <Route path="/artists/:artistId/hub">{(p) => <ArtistHubPage me={data} artistId={p.artistId} />}</Route>
          <Route path="/artists/:artistId/team">{(p) => <TeamPage me={data} scope={{ kind: "artist", id: p.artistId }} />}</Route>
          <Route path="/artists/:artistId/audit-log">{(p) => <AuditLogPage me={data} scope={{ kind: "artist", id: p.artistId }} />}</Route>
          <Route path="/orgs/:orgId/team">{(p) => <TeamPage me={data} scope={{ kind: "organization", id: p.orgId }} />}</Route>
          <Route path="/orgs/:orgId/api-keys">{(p) => <ApiKeysPage me={data} orgId={p.orgId} />}</Route>
          <Route path="/orgs/:orgId/audit-log">{(p) => <AuditLogPage me={data} scope={{ kind: "organization", id: p.orgId }} />}</Route>
          <Route>
            <NotFoundPage />
          </Route>
        </Switch>
      </Suspense>
    </Shell>
  );
}

/** `/app`: the last artist opened here, else the first one, else onboarding. */
function Home({ me }: { me: Me }) {
  if (me.artists.length === 0) return <Redirect to="/onboarding" replace />;
  const last = lastArtist.get();
  const artist = me.artists.find((a) => a.id === last) ?? me.artists[0]!;
  return <Redirect to={`/artists/${artist.id}`} replace />;
}
