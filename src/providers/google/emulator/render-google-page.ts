import { escapeHtml } from "../../spotify/emulator/escape-html";
import type { GoogleAccount } from "./create-google-state";

const STYLE = `body{font:15px/1.5 Roboto,system-ui,sans-serif;background:#f0f4f9;margin:0;color:#1f1f1f}main{max-width:460px;margin:40px auto;background:#fff;border-radius:28px;padding:36px}
h1{font-size:24px;font-weight:400;margin:0 0 8px}.note{color:#444746;font-size:13px}label{display:block;margin:8px 0}input[type=text],input[type=email]{width:100%;padding:10px;box-sizing:border-box;border:1px solid #747775;border-radius:4px}
.row{display:flex;gap:12px;justify-content:flex-end;margin-top:20px}button{border:0;border-radius:20px;padding:10px 22px;font-size:14px;cursor:pointer}.agree{background:#0b57d0;color:#fff}.cancel{background:transparent;color:#0b57d0}
.acct{border:1px solid #c4c7c5;border-radius:8px;padding:8px 12px;margin:6px 0}`;

/** The emulator's "Sign in with Google" page: pick or create a test account, then Agree or Cancel. */
export function renderGoogleAuthorizePage(input: { action: string; params: URLSearchParams; accounts: GoogleAccount[]; clientName: string }): string {
  const hidden = [...input.params].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join("");
  const accounts = input.accounts
    .map((a, i) => `<label class="acct"><input type="radio" name="account" value="${escapeHtml(a.sub)}"${i === input.accounts.length - 1 ? " checked" : ""}> ${escapeHtml(a.name)} &lt;${escapeHtml(a.email)}&gt;</label>`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Sign in – Google Accounts (emulator)</title><style>${STYLE}</style></head><body><main>
<h1>Sign in with Google</h1><p class="note">Emulator: no real Google account is used. ${escapeHtml(input.clientName)} wants to know your name, e-mail address and profile picture.</p>
<form method="post" action="${escapeHtml(input.action)}">${hidden}
${accounts ? `<p>Choose an account</p>${accounts}<label class="acct"><input type="radio" name="account" value="new"${input.accounts.length === 0 ? " checked" : ""}> Use another account</label>` : `<input type="hidden" name="account" value="new">`}
<p>New test account</p><label>Name <input type="text" name="name" placeholder="Ada Lovelace"></label><label>E-mail <input type="email" name="email" placeholder="ada@gmail.com"></label>
<div class="row"><button class="cancel" name="decision" value="cancel">Cancel</button><button class="agree" name="decision" value="agree">Agree</button></div></form></main></body></html>`;
}

/** Google's error page for a bad authorization request (never redirected: the redirect URI is not trusted). */
export function renderGoogleErrorPage(error: string, description: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error – Google Accounts (emulator)</title><style>${STYLE}</style></head><body><main><h1>Access blocked: authorization error</h1><p>${escapeHtml(description)}</p><p class="note">Error ${escapeHtml(error)}</p></main></body></html>`;
}
