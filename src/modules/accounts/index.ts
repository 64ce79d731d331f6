/** Accounts: Platform users, sign-in (Better Auth), sessions. */
export { AUTH_BASE_PATH, createAuth, type AuthDeps, type BackbeatAuth } from "./create-auth";
export { readSessionActor, type SessionActor } from "./read-session-actor";
export { accountsRoutes } from "./routes";
