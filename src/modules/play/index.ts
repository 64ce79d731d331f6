/** The Play module's public face: other modules and the CLI import only from here. */
export { createSmartLink, type CreateSmartLinkResult, type SmartLink } from "./create-smart-link";
export { updateSmartLink, THEMES, type UpdateSmartLinkInput } from "./update-smart-link";
export { listSmartLinks, type SmartLinkSummary } from "./list-smart-links";
export { importArtistCatalog } from "./import-artist-catalog";
export { deliverPresaves } from "./deliver-presaves";
export { purgeOauthStates } from "./purge-oauth-states";
export { seedDemo, DEMO_RELEASES } from "./seed-demo";
export { playRoutes, answerSaveCallback, PLAY_COOKIE, OAUTH_NONCE_COOKIE, type CtxFactory } from "./routes";
export { createOauthState, type OauthIntent } from "./create-oauth-state";
export { consumeOauthState, OauthStateError } from "./consume-oauth-state";
export { SPOTIFY_FAN_SCOPES, SPOTIFY_FAN_SCOPE_REASONS } from "./spotify-scopes";
export { REFRESH_TOKEN_LIFETIME_MS } from "./deliver-presaves";
export { PLAY_COOKIE_MAX_AGE_S } from "./routes";
export { exportPlayUser, erasePlayUser } from "./privacy";
export { readPlayCookie, writePlayCookie, clearPlayCookie } from "./play-cookie";
export { createFanTokenStore } from "./create-fan-token-store";
