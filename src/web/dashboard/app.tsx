import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { Redirect, Route, Router, Switch, useLocation, useSearch } from "wouter";
import { ErrorMessage } from "./components/error-message";
import { Loading } from "./components/loading";
import { SignedInApp } from "./components/signed-in-app";
import { useSession } from "./lib/use-session";
import { SignInPage } from "./pages/sign-in-page";

/**
 * The dashboard: routes under `/app`. Signed-out visitors see sign-in / sign-up (any other
 * address sends them to sign-in and back afterwards); signed-in users get the shell.
 */
export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <Router base="/app">
        <AuthGate />
      </Router>
    </QueryClientProvider>
  );
}

/** Where to go after signing in: a path inside the dashboard, never another site. */
function safeNext(search: string): string {
  const next = new URLSearchParams(search).get("next");
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

function AuthGate() {
  const session = useSession();
  const [location] = useLocation();
  const search = useSearch();
  if (session.isPending) {
    return (
      <main className="center" id="main">
        <Loading label="Loading Backbeat…" />
      </main>
    );
  }
  if (session.isError) {
    return (
      <main className="center" id="main">
        <h1>Backbeat</h1>
        <ErrorMessage error={session.error} onRetry={() => void session.refetch()} title="Could not check your sign-in" />
      </main>
    );
  }
  const signedIn = session.data !== null;
  return (
    <Switch>
      <Route path="/sign-in">{signedIn ? <Redirect to={safeNext(search)} replace /> : <SignInPage mode="sign-in" next={safeNext(search)} />}</Route>
      <Route path="/sign-up">{signedIn ? <Redirect to={safeNext(search)} replace /> : <SignInPage mode="sign-up" next={safeNext(search)} />}</Route>
      <Route>
        {signedIn ? (
          <SignedInApp />
        ) : (
          <Redirect to={location === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(location + (search ? `?${search}` : ""))}`} replace />
        )}
      </Route>
    </Switch>
  );
}
