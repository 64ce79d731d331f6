import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link } from "wouter";
import { ErrorMessage } from "../components/error-message";
import { Field } from "../components/field";
import { Loading } from "../components/loading";
import { ApiError, requestApi } from "../lib/request-api";
import type { Providers } from "../lib/types";
import { usePageTitle } from "../lib/use-page-title";
import { SESSION_KEY } from "../lib/use-session";

/**
 * What a Better Auth error redirect (`/app/sign-in?error=<code>[&provider=…]`) means for the
 * person: a cancelled Google / Meta consent, a magic link that expired or was used, or else.
 */
function describeAuthError(code: string, provider: string | null): string {
  const name = provider === "meta" ? "Meta" : provider === "google" ? "Google" : null;
  if (code === "access_denied") return `${name ?? "The"} sign-in was cancelled. Try again, or sign in another way.`;
  if (["INVALID_TOKEN", "EXPIRED_TOKEN", "invalid_token", "token_expired"].includes(code)) return "This sign-in link has expired or was already used — request a new one below.";
  return `${name ? `${name} sign-in` : "Sign-in"} did not work (${code}). Please try again, or sign in another way.`;
}

const SOCIAL: { id: "google" | "meta"; label: string }[] = [
  { id: "google", label: "Continue with Google" },
  { id: "meta", label: "Continue with Meta" },
];

/**
 * Sign in or create an account: e-mail + password, a magic link by e-mail, and Google /
 * Meta buttons as `GET /auth/providers` offers them. `next` is a dashboard path to return to.
 */
export function SignInPage({ mode, next }: { mode: "sign-in" | "sign-up"; next: string }) {
  const signUp = mode === "sign-up";
  usePageTitle(signUp ? "Create your account" : "Sign in");
  const queryClient = useQueryClient();
  const providers = useQuery({ queryKey: ["auth-providers"], queryFn: async () => (await requestApi<Providers>("/auth/providers")).data, staleTime: Infinity });
  const [name, setName] = useState("");
  // Arriving from an invitation link (`next=/invitations/<token>?email=…`): the account must
  // use the invited address to accept it, so sign-up pre-fills and locks it.
  const invitedEmail = next.startsWith("/invitations/") ? new URLSearchParams(next.split("?")[1] ?? "").get("email") : null;
  const [email, setEmail] = useState(invitedEmail ?? "");
  const lockEmail = signUp && Boolean(invitedEmail);
  const [password, setPassword] = useState("");
  const [magicEmail, setMagicEmail] = useState("");
  const callbackURL = next === "/" ? "/app" : `/app${next}`;
  const query = next === "/" ? "" : `?next=${encodeURIComponent(next)}`;
  // Failed redirects come back here with `?error=`; `provider` says which button started it.
  const errorCallbackURL = (provider?: string) => `/app/sign-in?${new URLSearchParams({ ...(next === "/" ? {} : { next }), ...(provider ? { provider } : {}) }).toString()}`.replace(/\?$/, "");
  const [redirectError] = useState(() => {
    const params = new URLSearchParams(window.location.search);
    const code = params.get("error");
    return code ? describeAuthError(code, params.get("provider")) : null;
  });

  const credentials = useMutation({
    mutationFn: async () => {
      if (signUp) await requestApi("/auth/sign-up/email", { method: "POST", body: { name: name.trim(), email: email.trim(), password } });
      else await requestApi("/auth/sign-in/email", { method: "POST", body: { email: email.trim(), password } });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SESSION_KEY }),
  });
  const magicLink = useMutation({
    mutationFn: (to: string) => requestApi("/auth/sign-in/magic-link", { method: "POST", body: { email: to.trim(), callbackURL, errorCallbackURL: errorCallbackURL() } }),
  });
  const social = useMutation({
    mutationFn: async (providerId: "google" | "meta") => (await requestApi<{ url: string }>("/auth/sign-in/oauth2", { method: "POST", body: { providerId, callbackURL, errorCallbackURL: errorCallbackURL(providerId) } })).data,
    onSuccess: ({ url }) => window.location.assign(url),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    credentials.mutate();
  };
  const submitMagic = (e: FormEvent) => {
    e.preventDefault();
    magicLink.mutate(magicEmail);
  };
  // A magic link to an unverified address removes its password (Better Auth's guard against
  // account pre-hijacking), so a wrong password may be a password that no longer exists:
  // offer the magic link right there instead of leaving the person stuck.
  const wrongPassword = !signUp && credentials.error instanceof ApiError && credentials.error.code === "INVALID_EMAIL_OR_PASSWORD";
  const magicInstead = () => {
    setMagicEmail(email);
    magicLink.mutate(email);
  };
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(window.location.hostname);
  const offered = providers.data;

  return (
    <main className="auth" id="main">
      <div className="auth-card">
        <p className="brand brand-static" aria-hidden="true">
          Backbeat
        </p>
        <h1>{signUp ? "Create your account" : "Sign in to Backbeat"}</h1>
        {redirectError ? (
          <p className="notice notice-error" role="alert">
            {redirectError}
          </p>
        ) : null}
        {providers.isPending ? <Loading label="Loading sign-in options…" /> : null}
        {providers.isError ? <ErrorMessage error={providers.error} onRetry={() => void providers.refetch()} title="Could not load the sign-in options" /> : null}

        {offered?.email !== false ? (
          <form onSubmit={submit} aria-label={signUp ? "Create an account with e-mail and password" : "Sign in with e-mail and password"}>
            {signUp ? (
              <Field label="Your name">{(p) => <input {...p} name="name" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} />}</Field>
            ) : null}
            <Field label="E-mail" hint={lockEmail ? "This invitation was sent to this address; create your account with it to accept." : undefined}>
              {(p) => <input {...p} type="email" name="email" autoComplete="email" required readOnly={lockEmail} value={email} onChange={(e) => setEmail(e.target.value)} />}
            </Field>
            <Field label="Password" hint={signUp ? "At least 10 characters." : undefined}>
              {(p) => (
                <input
                  {...p}
                  type="password"
                  name="password"
                  autoComplete={signUp ? "new-password" : "current-password"}
                  minLength={signUp ? 10 : undefined}
                  required
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              )}
            </Field>
            {credentials.isError ? <ErrorMessage error={credentials.error} title={signUp ? "Could not create your account" : "Could not sign you in"} /> : null}
            {wrongPassword && offered?.magicLink && !magicLink.isSuccess ? (
              <p>
                Signed in with a magic link before, or forgot your password?{" "}
                <button type="button" className="button button-small" disabled={magicLink.isPending || !email.trim()} onClick={magicInstead}>
                  Sign in with a magic link instead
                </button>
              </p>
            ) : null}
            <button type="submit" className="button button-primary button-wide" disabled={credentials.isPending}>
              {credentials.isPending ? "Please wait…" : signUp ? "Create account" : "Sign in"}
            </button>
          </form>
        ) : null}

        {offered?.magicLink ? (
          <form onSubmit={submitMagic} className="stack-top" aria-label="Sign in with a magic link">
            <h2>Or get a sign-in link by e-mail</h2>
            {magicLink.isSuccess ? (
              <p className="notice notice-success" role="status">
                Check your inbox: we sent a sign-in link to <strong>{magicEmail}</strong>.
                {local ? (
                  <>
                    {" "}
                    Running locally? Open the <a href="/_emulator/resend/">e-mail emulator</a>.
                  </>
                ) : null}
              </p>
            ) : (
              <>
                <Field label="E-mail for the link">
                  {(p) => <input {...p} type="email" name="magic-email" autoComplete="email" required value={magicEmail} onChange={(e) => setMagicEmail(e.target.value)} />}
                </Field>
                {magicLink.isError ? <ErrorMessage error={magicLink.error} title="Could not send the link" /> : null}
                <button type="submit" className="button button-wide" disabled={magicLink.isPending}>
                  {magicLink.isPending ? "Sending…" : "Send me a sign-in link"}
                </button>
              </>
            )}
          </form>
        ) : null}

        {offered && (offered.google || offered.meta) ? (
          <div className="stack-top">
            <h2>Or continue with</h2>
            <div className="actions actions-column">
              {SOCIAL.filter((s) => offered[s.id]).map((s) => (
                <button key={s.id} type="button" className="button button-wide" disabled={social.isPending} onClick={() => social.mutate(s.id)}>
                  {s.label}
                </button>
              ))}
            </div>
            {social.isError ? <ErrorMessage error={social.error} title="Could not start the sign-in" /> : null}
          </div>
        ) : null}

        <p className="stack-top">
          {signUp ? (
            <>
              Already have an account? <Link href={`/sign-in${query}`}>Sign in</Link>
            </>
          ) : (
            <>
              New to Backbeat? <Link href={`/sign-up${query}`}>Create an account</Link>
            </>
          )}
        </p>
      </div>
    </main>
  );
}
