import { createHash } from "node:crypto";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { genericOAuth, magicLink, type GenericOAuthConfig } from "better-auth/plugins";
import type { Config } from "../../config";
import type { Db } from "../../db/client";
import { authAccounts, authSessions, authVerifications, users } from "../../db/schema/auth";
import { newId, type IdKind } from "../../lib/ids";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { GoogleSignIn, SignInProfile, SignInTokens } from "../../providers/google/port";
import type { MetaSignIn } from "../../providers/meta/port";
import type { Mailer } from "../../providers/resend/port";
import { checkUserProfile } from "./check-user-profile";
import { createRateLimitStore } from "./create-rate-limit-store";
import { renderMagicLinkEmail } from "./emails/render-magic-link-email";
import { renderVerificationEmail } from "./emails/render-verification-email";

/** Better Auth's model names → our id kinds (`usr_…`, `ses_…`, `acc_…`, `ver_…`). */
const ID_KIND_BY_MODEL: Record<string, IdKind> = {
  user: "user",
  session: "authSession",
  account: "authAccount",
  verification: "authVerification",
};

/** Where Better Auth is mounted; its endpoints are `/auth/sign-in/email`, `/auth/get-session`, … */
export const AUTH_BASE_PATH = "/auth";
/** Request header carrying the client IP for Better Auth's rate limiter; set by our route only. */
export const CLIENT_IP_HEADER = "x-backbeat-client-ip";
/** Magic links work once, for this long. */
export const MAGIC_LINK_TTL_SECONDS = 10 * 60;
/** E-mail verification links (sent on sign-up and on resend) work for this long. */
export const EMAIL_VERIFICATION_TTL_SECONDS = 24 * 60 * 60;
/** Dashboard page Better Auth sends failed redirects to, with `?error=<code>`. */
export const AUTH_ERROR_PATH = "/app/sign-in";

export interface AuthDeps {
  db: Db;
  config: Config;
  logger: Logger;
  clock: Clock;
  mailer: Mailer;
  /** Null when Google sign-in is off (production without credentials). */
  google: GoogleSignIn | null;
  meta: MetaSignIn | null;
}

type SignInClient = GoogleSignIn | MetaSignIn;

/** Better Auth's genericOAuth entry for a provider whose protocol our own client speaks. */
function socialProvider(providerId: "google" | "meta", client: SignInClient, config: Config["google"], scopes: string[], pkce: boolean, log: Logger): GenericOAuthConfig {
  return {
    providerId,
    name: providerId === "google" ? "Google" : "Facebook",
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorizationUrl: config.authorizeUrl,
    tokenUrl: config.tokenUrl,
    userInfoUrl: config.userinfoUrl,
    scopes,
    pkce,
    // Our clients make the server-side calls: one HTTP stack (timeouts, retries,
    // redaction), emulators dispatched in-process, id_tokens verified against the JWKS.
    getToken: async ({ code, redirectURI, codeVerifier }) => {
      const tokens = await client.exchangeCode({ code, redirectUri: redirectURI, codeVerifier });
      return {
        tokenType: "Bearer",
        accessToken: tokens.accessToken,
        ...(tokens.idToken ? { idToken: tokens.idToken } : {}),
        ...(tokens.expiresAt ? { accessTokenExpiresAt: tokens.expiresAt } : {}),
        scopes: tokens.scopes,
      };
    },
    getUserInfo: async (tokens) => {
      const input: SignInTokens = { accessToken: tokens.accessToken ?? "", scopes: tokens.scopes ?? [], ...(tokens.idToken ? { idToken: tokens.idToken } : {}) };
      let profile: SignInProfile;
      try {
        profile = await client.readProfile(input);
      } catch (err) {
        // Null makes Better Auth end the flow with an error redirect, never a 500 page.
        log.warn({ err, provider: providerId }, "sign-in profile could not be read");
        return null;
      }
      return { id: profile.subject, email: profile.email, emailVerified: profile.emailVerified, name: profile.name, ...(profile.image ? { image: profile.image } : {}) };
    },
  };
}

/**
 * Better Auth (https://www.better-auth.com/docs) over our Drizzle `Db` (PGlite or
 * PostgreSQL) and our tables (`users`, `auth_sessions`, `auth_accounts`,
 * `auth_verifications`). Sign-in: e-mail + password, magic link (mailed through the
 * `Mailer`), Google and Meta through the genericOAuth plugin. Sessions live in the
 * database; the cookie `backbeat.session_token` carries the signed session token
 * (HttpOnly, SameSite=Lax, Secure when PUBLIC_URL is https). Only PUBLIC_URL is a trusted
 * origin. OAuth tokens are stored encrypted (`encryptOAuthTokens`).
 * Rate limits (memory storage, per web process, keyed by client IP): see README.
 * Note: Better Auth reads the wall clock for expiry, not `ctx.clock`.
 */
export function createAuth(deps: AuthDeps) {
  const { config, db, logger, mailer } = deps;
  const log = logger.child({ module: "accounts", component: "better-auth" });
  const providers: GenericOAuthConfig[] = [];
  if (deps.google && config.google.mode !== "off") providers.push(socialProvider("google", deps.google, config.google, ["openid", "email", "profile"], true, log));
  // Classic Facebook Login has no PKCE; the signed state cookie binds the flow to the browser.
  if (deps.meta && config.meta.mode !== "off") providers.push(socialProvider("meta", deps.meta, config.meta, ["public_profile", "email"], false, log));

  return betterAuth({
    appName: "Backbeat",
    baseURL: config.publicUrl,
    basePath: AUTH_BASE_PATH,
    secret: config.authSecret,
    trustedOrigins: [config.publicUrl],
    telemetry: { enabled: false },
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { user: users, session: authSessions, account: authAccounts, verification: authVerifications },
    }),
    // Unverified users may sign in (requireEmailVerification stays off): the dashboard shows
    // them a "verify your e-mail" notice. Verification matters because a magic link to an
    // unverified address removes its password (Better Auth's pre-hijacking guard).
    emailAndPassword: { enabled: true, minPasswordLength: 10, maxPasswordLength: 128, autoSignIn: true, requireEmailVerification: false },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      expiresIn: EMAIL_VERIFICATION_TTL_SECONDS,
      sendVerificationEmail: async ({ user, url }) => {
        const mail = renderVerificationEmail({ url, expiresInHours: EMAIL_VERIFICATION_TTL_SECONDS / 3600 });
        // The token is a JWT that can repeat within a second (iat in seconds) with another
        // callbackURL, so the key hashes the whole link: same link, same mail, sent once.
        await mailer.sendEmail({ to: user.email, ...mail, idempotencyKey: `verify-email/${createHash("sha256").update(url).digest("hex").slice(0, 32)}` });
      },
    },
    // Failed redirects (cancelled Google / Meta sign-in, a state mismatch) land on the
    // dashboard's sign-in page with `?error=<code>`, never Better Auth's stock error page.
    onAPIError: { errorURL: `${config.publicUrl}${AUTH_ERROR_PATH}` },
    account: {
      // We only need identity: provider tokens are dropped before they are stored (hooks
      // below); encryption stays on in case a later plugin keeps one.
      encryptOAuthTokens: true,
      // A provider account links to an existing user with the same e-mail only when the
      // provider says it verified that e-mail (Google's `email_verified` from the checked
      // id_token) and the local user's e-mail is verified too (Better Auth's default).
      // No provider is "trusted": a trusted one links even an unverified address, which let
      // anyone with a Google account naming a victim's e-mail sign in as the victim.
      accountLinking: { enabled: true, trustedProviders: [] },
    },
    rateLimit: {
      enabled: true,
      // Memory (our per-runtime store on the injected clock): no database write per auth
      // request and nothing to clean up; counters are per web process (N web nodes allow
      // N× the limit), which still stops password guessing and mail flooding.
      customStorage: createRateLimitStore(deps.clock),
      window: 60,
      max: 100,
      customRules: {
        "/sign-in/email": { window: 60, max: 10 },
        "/sign-up/email": { window: 60, max: 10 },
        "/sign-in/magic-link": { window: 60, max: 5 },
        "/send-verification-email": { window: 60, max: 3 },
        "/sign-in/social": { window: 60, max: 20 },
      },
    },
    databaseHooks: {
      // Better Auth's sign-up and update-user take any name length and any image URL; what a
      // person typed must obey PATCH /api/v1/me's rule, provider profiles are trimmed to it.
      user: {
        create: { before: async (user, context) => ({ data: checkUserProfile({ input: { data: user, strict: context?.path === "/sign-up/email" } }) }) },
        update: { before: async (user, context) => ({ data: checkUserProfile({ input: { data: user, strict: context?.path === "/update-user" } }) }) },
      },
      account: {
        create: { before: async (account) => ({ data: { ...account, accessToken: null, refreshToken: null, idToken: null } }) },
        update: { before: async (account) => ({ data: { ...account, ...("accessToken" in account ? { accessToken: null } : {}), ...("refreshToken" in account ? { refreshToken: null } : {}), ...("idToken" in account ? { idToken: null } : {}) } }) },
      },
    },
    plugins: [
      magicLink({
        expiresIn: MAGIC_LINK_TTL_SECONDS,
        storeToken: "hashed",
        sendMagicLink: async ({ email, url, token }) => {
          const mail = renderMagicLinkEmail({ url, expiresInMinutes: MAGIC_LINK_TTL_SECONDS / 60 });
          // The token is single use, so its hash is a safe idempotency key for retries.
          await mailer.sendEmail({ to: email, ...mail, idempotencyKey: `magic-link/${createHash("sha256").update(token).digest("hex").slice(0, 32)}` });
        },
      }),
      ...(providers.length > 0 ? [genericOAuth({ config: providers })] : []),
    ],
    advanced: {
      cookiePrefix: "backbeat",
      // Explicit: Better Auth turns the origin check off under NODE_ENV=test by default,
      // and our tests must see what production does.
      disableOriginCheck: false,
      disableCSRFCheck: false,
      useSecureCookies: config.publicUrl.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", path: "/" },
      database: {
        generateId: ({ model }) => {
          const kind = ID_KIND_BY_MODEL[model];
          if (!kind) throw new Error(`no id prefix for Better Auth model ${model}`);
          // On the runtime clock like every other id: ids are monotonic per process, so one
          // id stamped with the wall clock ahead of an injected clock would carry that later
          // time into every id after it (a pre-generated event id then looks "from the future").
          return newId(kind, deps.clock.now());
        },
      },
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    logger: {
      level: "warn",
      log: (level, message) => {
        if (level === "error") log.error(message);
        else if (level === "warn") log.warn(message);
        else log.debug(message);
      },
    },
  });
}

/** The configured Better Auth instance (`handler`, `api.*`). */
export type BackbeatAuth = ReturnType<typeof createAuth>;
