import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import type { Config } from "../../config";
import type { Db } from "../../db/client";
import { authAccounts, authSessions, authVerifications, users } from "../../db/schema/auth";
import { newId, type IdKind } from "../../lib/ids";
import type { Logger } from "../../lib/logger";

/** Better Auth's model names → our id kinds (`usr_…`, `ses_…`, `acc_…`, `ver_…`). */
const ID_KIND_BY_MODEL: Record<string, IdKind> = {
  user: "user",
  session: "authSession",
  account: "authAccount",
  verification: "authVerification",
};

export interface AuthDeps {
  db: Db;
  config: Config;
  logger: Logger;
}

/** Where Better Auth is mounted; its endpoints are `/auth/sign-in/email`, `/auth/get-session`, … */
export const AUTH_BASE_PATH = "/auth";

/**
 * Better Auth (https://www.better-auth.com/docs) over our Drizzle `Db` (PGlite or
 * PostgreSQL) and our tables (`users`, `auth_sessions`, `auth_accounts`,
 * `auth_verifications`). Sessions live in the database; the cookie
 * `backbeat.session_token` carries the signed session token (HttpOnly, SameSite=Lax,
 * Secure when PUBLIC_URL is https). Only PUBLIC_URL is a trusted origin.
 * Note: Better Auth reads the wall clock itself (session expiry, verification tokens),
 * not `ctx.clock`.
 */
export function createAuth(deps: AuthDeps) {
  const { config, db, logger } = deps;
  const log = logger.child({ module: "accounts", component: "better-auth" });
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
    emailAndPassword: { enabled: true, minPasswordLength: 10, maxPasswordLength: 128, autoSignIn: true },
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
          return newId(kind);
        },
      },
      ipAddress: { ipAddressHeaders: config.trustProxy ? ["x-forwarded-for"] : [] },
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
