import { escapeHtml } from "./escape-html";

/** The authorize query parameters carried through the pages in hidden fields. */
export interface AuthorizeParams {
  client_id: string;
  response_type: string;
  redirect_uri: string;
  state: string;
  scope: string;
  code_challenge_method: string;
  code_challenge: string;
  show_dialog: string;
}

export const AUTHORIZE_PARAM_NAMES = [
  "client_id",
  "response_type",
  "redirect_uri",
  "state",
  "scope",
  "code_challenge_method",
  "code_challenge",
  "show_dialog",
] as const satisfies ReadonlyArray<keyof AuthorizeParams>;

/** Spotify's scopes, in the words its consent screen uses (approximately). */
export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  "ugc-image-upload": "Upload images to Spotify on your behalf",
  "user-read-playback-state": "Read your currently playing content and Spotify Connect devices information",
  "user-modify-playback-state": "Control playback on your Spotify clients and Spotify Connect devices",
  "user-read-currently-playing": "Read your currently playing content",
  "app-remote-control": "Communicate with the Spotify app on your device",
  streaming: "Play content and control playback on your other devices",
  "playlist-read-private": "Access your private playlists",
  "playlist-read-collaborative": "Access your collaborative playlists",
  "playlist-modify-private": "Manage your private playlists",
  "playlist-modify-public": "Manage your public playlists",
  "user-follow-modify": "Manage who you are following",
  "user-follow-read": "Access your followers and who you are following",
  "user-read-playback-position": "Read your position in content you have played",
  "user-top-read": "Read your top artists and content",
  "user-read-recently-played": "Access your recently played items",
  "user-library-modify": "Manage your saved content",
  "user-library-read": "Access your saved content",
  "user-read-email": "Get your real email address",
  "user-read-private": "Access your subscription details (country, product, explicit content setting)",
  "user-personalized": "Get personalized content for you",
};

export interface FanChoice {
  id: string;
  displayName: string;
  country: string;
  product: string;
  registered: boolean;
}

export type AccountsPage =
  | { kind: "error"; message: string }
  | {
      kind: "choose-fan";
      basePath: string;
      params: AuthorizeParams;
      fans: FanChoice[];
      development: boolean;
      /** Default of the "registered in the developer dashboard" checkbox. */
      registeredByDefault: boolean;
      notice?: string;
    }
  | { kind: "consent"; basePath: string; params: AuthorizeParams; fan: FanChoice; scopes: string[]; notice?: string };

function hiddenFields(params: AuthorizeParams, extra: Record<string, string> = {}): string {
  const all: Record<string, string> = { ...params, ...extra };
  return Object.entries(all)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("\n      ");
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>${escapeHtml(title)}</title>
  <style>
    body { font-family: system-ui, sans-serif; background: #121212; color: #fff; max-width: 34rem; margin: 2rem auto; padding: 0 1rem; }
    .banner { background: #b3261e; padding: .5rem .75rem; border-radius: 6px; font-size: .85rem; }
    fieldset { border: 1px solid #333; border-radius: 8px; margin: 1rem 0; padding: 1rem; }
    button { background: #1ed760; color: #000; border: 0; border-radius: 999px; padding: .6rem 1.4rem; font-weight: 700; cursor: pointer; }
    button.secondary { background: transparent; color: #fff; border: 1px solid #777; }
    label { display: block; margin: .4rem 0; }
    li { margin: .3rem 0; }
    .notice { color: #f3c969; }
  </style>
</head>
<body>
  <p class="banner">Spotify emulator — test and development only. Not Spotify.</p>
  ${body}
</body>
</html>`;
}

/** Server-rendered pages of the emulated Accounts service. Every value is escaped. */
export function renderAccountsPage(page: AccountsPage): string {
  if (page.kind === "error") {
    return layout("Error - Spotify", `<h1>Oops! Something went wrong, please try again or check out our help area.</h1>\n  <p id="error">${escapeHtml(page.message)}</p>`);
  }
  const notice = page.notice ? `<p class="notice">${escapeHtml(page.notice)}</p>` : "";
  if (page.kind === "choose-fan") {
    const fans = page.fans
      .map(
        (f) => `<form method="post" action="${escapeHtml(page.basePath)}/authorize/continue">
      ${hiddenFields(page.params, { fan_id: f.id })}
      <button type="submit">Continue as ${escapeHtml(f.displayName)}</button>
      <small>${escapeHtml(f.product)} · ${escapeHtml(f.country)}${page.development ? (f.registered ? " · registered" : " · not registered") : ""}</small>
    </form>`,
      )
      .join("\n    ");
    return layout(
      "Log in - Spotify",
      `<h1>Log in to Spotify</h1>
  ${notice}
  <fieldset>
    <legend>Pick an emulated fan</legend>
    ${fans || "<p>No fans yet.</p>"}
  </fieldset>
  <fieldset>
    <legend>Create a fan</legend>
    <form method="post" action="${escapeHtml(page.basePath)}/authorize/fans">
      ${hiddenFields(page.params)}
      <label>Display name <input name="display_name" required maxlength="100"></label>
      <label>Country <input name="country" value="US" pattern="[A-Za-z]{2}" maxlength="2" required></label>
      <label>Product <select name="product"><option value="premium">premium</option><option value="free">free</option></select></label>
      <label><input type="checkbox" name="active_device" checked> has an active device</label>
      <label><input type="checkbox" name="registered"${page.registeredByDefault ? " checked" : ""}> registered in the developer dashboard${page.development ? " (development mode: 5 users max)" : ""}</label>
      <button type="submit">Create fan and continue</button>
    </form>
  </fieldset>`,
    );
  }
  const items = page.scopes.map((s) => `<li>${escapeHtml(SCOPE_DESCRIPTIONS[s] ?? s)} <small>(${escapeHtml(s)})</small></li>`).join("\n      ");
  return layout(
    "Authorize - Spotify",
    `<h1>Allow this app to access your account?</h1>
  ${notice}
  <p>Logged in as <strong>${escapeHtml(page.fan.displayName)}</strong>.</p>
  <p>The app will be able to:</p>
  <ul>
      ${items || "<li>Read your public profile</li>"}
  </ul>
  <form method="post" action="${escapeHtml(page.basePath)}/authorize/decision">
      ${hiddenFields(page.params, { fan_id: page.fan.id })}
      <button type="submit" name="decision" value="agree">Agree</button>
      <button type="submit" name="decision" value="cancel" class="secondary">Cancel</button>
  </form>`,
  );
}
