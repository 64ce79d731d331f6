/** The Play module's public face: other modules and the CLI import only from here. */
export { createSmartLink, type CreateSmartLinkResult, type SmartLink } from "./create-smart-link";
export { updateSmartLink, THEMES, type UpdateSmartLinkInput } from "./update-smart-link";
export { listSmartLinks, type SmartLinkSummary } from "./list-smart-links";
export { importArtistCatalog } from "./import-artist-catalog";
export { deliverPresaves } from "./deliver-presaves";
export { purgeOauthStates } from "./purge-oauth-states";
export { seedDemo, DEMO_RELEASES } from "./seed-demo";
export { playRoutes, spotifyCallbackRoute, PLAY_COOKIE } from "./routes";
export { SPOTIFY_FAN_SCOPES } from "./spotify-scopes";
export { exportPlayUser, erasePlayUser } from "./privacy";
