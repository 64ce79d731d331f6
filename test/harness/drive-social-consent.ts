import type { TestBrowser } from "./create-test-runtime";

/**
 * Walks an emulated provider's consent page (Google account chooser or Facebook Login
 * dialog) as a browser would: opens the authorize URL, posts the page's form with a new
 * test account (or an existing one) and Agree/Continue or Cancel. Returns where the
 * provider sends the browser back to (our `/auth/oauth2/callback/<provider>`).
 */
export async function driveSocialConsent(
  browser: TestBrowser,
  authorizeUrl: string,
  options: { account?: string; name?: string; email?: string; decision?: "agree" | "cancel" } = {},
): Promise<string> {
  const page = await browser.request(authorizeUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`authorize page answered ${page.status}: ${html.slice(0, 300)}`);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error("no consent form");
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(m[1]!, m[2]!.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
  }
  const field = html.includes('name="user"') ? "user" : "account";
  form.set(field, options.account ?? "new");
  if (options.name) form.set("name", options.name);
  if (options.email) form.set("email", options.email);
  form.set("decision", options.decision ?? "agree");
  const decided = await browser.request(action.replace(/&amp;/g, "&"), { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
  const location = decided.headers.get("location");
  if (decided.status !== 302 || !location) throw new Error(`decision answered ${decided.status}: ${(await decided.text()).slice(0, 300)}`);
  return location;
}
