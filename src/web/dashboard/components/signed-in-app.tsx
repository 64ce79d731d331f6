import { Redirect, Route, Switch } from "wouter";
import { lastArtist } from "../lib/last-artist";
import { useMe } from "../lib/use-me";
import type { Me } from "../lib/types";
import { AcceptInvitationPage } from "../pages/accept-invitation-page";
import { AccountPage } from "../pages/account-page";
import { ApiKeysPage } from "../pages/api-keys-page";
import { ArtistHubPage } from "../pages/artist-hub-page";
import { AuditLogPage } from "../pages/audit-log-page";
import { NotFoundPage } from "../pages/not-found-page";
import { OnboardingPage } from "../pages/onboarding-page";
import { SmartLinkEditorPage } from "../pages/smart-link-editor-page";
import { SmartLinksPage } from "../pages/smart-links-page";
import { TeamPage } from "../pages/team-page";
import { ErrorMessage } from "./error-message";
import { Loading } from "./loading";
import { Shell } from "./shell";

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
