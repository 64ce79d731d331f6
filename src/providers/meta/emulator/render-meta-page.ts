import { escapeHtml } from "../../spotify/emulator/escape-html";
import type { MetaUser } from "./create-meta-state";

const STYLE = `body{font:15px/1.4 Helvetica,Arial,system-ui,sans-serif;background:#f0f2f5;margin:0;color:#1c1e21}main{max-width:420px;margin:40px auto;background:#fff;border-radius:8px;padding:24px;box-shadow:0 2px 4px rgba(0,0,0,.1)}
h1{font-size:20px;margin:0 0 8px}.note{color:#65676b;font-size:13px}label{display:block;margin:8px 0}input[type=text],input[type=email]{width:100%;padding:10px;box-sizing:border-box;border:1px solid #dddfe2;border-radius:6px}
.row{display:flex;gap:8px;flex-direction:column;margin-top:16px}button{border:0;border-radius:6px;padding:10px;font-size:16px;font-weight:bold;cursor:pointer}.agree{background:#1877f2;color:#fff}.cancel{background:#e4e6eb;color:#050505}
.acct{border:1px solid #dddfe2;border-radius:6px;padding:8px 12px;margin:6px 0}`;

/** The emulator's Facebook Login dialog: pick or create a test user, then Continue or Cancel. */
export function renderMetaLoginDialog(input: { action: string; params: URLSearchParams; users: MetaUser[]; scopes: string[] }): string {
  const hidden = [...input.params].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join("");
  const users = input.users
    .map((u, i) => `<label class="acct"><input type="radio" name="user" value="${escapeHtml(u.id)}"${i === input.users.length - 1 ? " checked" : ""}> ${escapeHtml(u.name)}${u.email ? ` &lt;${escapeHtml(u.email)}&gt;` : ""}</label>`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Log in with Facebook (emulator)</title><style>${STYLE}</style></head><body><main>
<h1>Log in with Facebook</h1><p class="note">Emulator: no real Facebook account is used. Backbeat is requesting access to: ${escapeHtml(input.scopes.join(", "))}.</p>
<form method="post" action="${escapeHtml(input.action)}">${hidden}
${users ? `${users}<label class="acct"><input type="radio" name="user" value="new"> Another test user</label>` : `<input type="hidden" name="user" value="new">`}
<label>Name <input type="text" name="name" placeholder="Ada Lovelace"></label><label>E-mail (optional) <input type="email" name="email" placeholder="ada@example.com"></label>
<div class="row"><button class="agree" name="decision" value="agree">Continue</button><button class="cancel" name="decision" value="cancel">Cancel</button></div></form></main></body></html>`;
}

export function renderMetaErrorPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error (emulator)</title><style>${STYLE}</style></head><body><main><h1>Sorry, something went wrong.</h1><p>${escapeHtml(message)}</p></main></body></html>`;
}
