/** Accounts: Platform users, sign-in (Better Auth), sessions. Other modules import only from here. */
export { AUTH_BASE_PATH, MAGIC_LINK_TTL_SECONDS, createAuth, type AuthDeps, type BackbeatAuth } from "./create-auth";
export { readSessionActor, type SessionActor } from "./read-session-actor";
export { accountsRoutes } from "./routes";
export { listSignInMethods, type SignInMethods } from "./list-sign-in-methods";
export { ensureDemoUser, DEMO_USER_EMAIL } from "./ensure-demo-user";
export { exportPlatformUser, erasePlatformUser } from "./privacy";
export { renderMagicLinkEmail } from "./emails/render-magic-link-email";
export { renderInvitationEmail } from "./emails/render-invitation-email";
export type { RenderedEmail } from "./emails/render-email-layout";
