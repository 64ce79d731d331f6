/** Server-rendered public pages (Play). Pure functions: data in, HTML string out. */
export { renderSmartLinkPage, type RenderSmartLinkPageInput } from "./render-smart-link-page";
export { renderArtistHubPage, type RenderArtistHubPageInput } from "./render-artist-hub-page";
export {
  renderSaveResultPage,
  type RenderSaveResultPageInput,
  type SaveStep,
  type SaveStepKey,
} from "./render-save-result-page";
export { renderMessagePage, type RenderMessagePageInput } from "./render-message-page";
export { THEMES, THEME_NAMES, resolveTheme, type Theme, type ThemeName } from "./themes";
export { SERVICE_NAMES, isServiceKey, type ServiceKey } from "./format";
