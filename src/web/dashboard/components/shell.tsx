import { useEffect, useRef, type ReactNode } from "react";
import { Link, useLocation } from "wouter";
import { lastArtist } from "../lib/last-artist";
import { roleAtLeast } from "../lib/role-at-least";
import type { Me } from "../lib/types";
import { useCurrentScope } from "../lib/use-current-scope";
import { VerifyEmailNotice } from "./verify-email-notice";

const PERSONAL = "personal";

/**
 * The signed-in frame: skip link, header with the organization and artist switchers,
 * navigation for the current artist / organization, and the `<main>` landmark.
 * After each navigation, focus moves to the page's `<h1>` so screen readers announce it.
 */
export function Shell({ me, children }: { me: Me; children: ReactNode }) {
  const [location, navigate] = useLocation();
  const { artist, organization } = useCurrentScope(me);
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    if (artist) lastArtist.set(artist.id);
  }, [artist]);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const main = mainRef.current;
    if (!main) return;
    const focusHeading = (): boolean => {
      const h1 = main.querySelector("h1");
      if (!h1) return false;
      h1.setAttribute("tabindex", "-1");
      h1.focus();
      return true;
    };
    if (focusHeading()) return;
    // A page fetched on first visit renders its heading a moment later.
    const observer = new MutationObserver(() => focusHeading() && observer.disconnect());
    observer.observe(main, { childList: true, subtree: true });
    const timer = setTimeout(() => observer.disconnect(), 3000);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
    };
  }, [location]);

  // The organization shown in the switcher: the current one, or "personal" for artists without one.
  // Off artist and organization pages: the group of the artist last opened, else the first.
  const last = lastArtist.get();
  const lastKnown = me.artists.find((a) => a.id === last);
  const groupId = organization?.id ?? (artist ? PERSONAL : lastKnown ? (lastKnown.organizationId ?? PERSONAL) : (me.organizations[0]?.id ?? PERSONAL));
  const groupArtists = me.artists.filter((a) => (groupId === PERSONAL ? a.organizationId === null : a.organizationId === groupId));
  const hasPersonal = me.artists.some((a) => a.organizationId === null);

  const switchGroup = (id: string) => {
    const target = me.artists.find((a) => (id === PERSONAL ? a.organizationId === null : a.organizationId === id));
    navigate(target ? `/artists/${target.id}` : id === PERSONAL ? "/onboarding" : `/orgs/${id}/team`);
  };

  // Off an artist's pages (the organization's team, keys and audit log, the account, an
  // invitation) the artist tabs stay, for the artist last opened in the organization shown
  // (or its first): one click back to the links.
  const tabArtist = artist ?? groupArtists.find((a) => a.id === last) ?? groupArtists[0] ?? null;
  const tabOrganization = organization ?? (groupId === PERSONAL ? null : (me.organizations.find((o) => o.id === groupId) ?? null));
  const isOrgAdmin = roleAtLeast(tabOrganization?.role, "admin");
  const nav: { href: string; label: string }[] = [];
  if (tabArtist) {
    nav.push(
      { href: `/artists/${tabArtist.id}`, label: "Smart links" },
      { href: `/artists/${tabArtist.id}/analytics`, label: "Analytics" },
      { href: `/artists/${tabArtist.id}/spend`, label: "Spend" },
      { href: `/artists/${tabArtist.id}/conversions`, label: "Conversions" },
      { href: `/artists/${tabArtist.id}/hub`, label: "Artist hub" },
    );
  }
  if (tabOrganization) {
    nav.push({ href: `/orgs/${tabOrganization.id}/team`, label: "Team" });
    if (isOrgAdmin) nav.push({ href: `/orgs/${tabOrganization.id}/api-keys`, label: "API keys" }, { href: `/orgs/${tabOrganization.id}/audit-log`, label: "Audit log" });
  } else if (tabArtist) {
    nav.push({ href: `/artists/${tabArtist.id}/team`, label: "Team" });
    if (roleAtLeast(tabArtist.role, "admin")) nav.push({ href: `/artists/${tabArtist.id}/audit-log`, label: "Audit log" });
  }
  nav.push({ href: "/account", label: "Account" });

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand" aria-label="Backbeat home">
          <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
            <circle cx="16" cy="16" r="16" fill="#1ed760" />
            <path d="M7 17h4l2-6 4 12 3-9 2 3h3" fill="none" stroke="#000" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <span>Backbeat</span>
        </Link>
        <div className="switchers">
          {me.organizations.length > 0 ? (
            <label className="switcher">
              <span>Organization</span>
              <select value={groupId} onChange={(e) => switchGroup(e.target.value)}>
                {me.organizations.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
                {hasPersonal || groupId === PERSONAL ? <option value={PERSONAL}>My artists (no organization)</option> : null}
              </select>
            </label>
          ) : null}
          {groupArtists.length > 0 ? (
            <label className="switcher">
              <span>Artist</span>
              <select value={tabArtist?.id ?? ""} onChange={(e) => navigate(`/artists/${e.target.value}`)}>
                {tabArtist ? null : (
                  <option value="" disabled>
                    Choose an artist
                  </option>
                )}
                {groupArtists.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <Link href="/onboarding" className="button button-small">
            Add artist
          </Link>
        </div>
      </header>
      <nav className="nav" aria-label="Dashboard">
        <ul>
          {nav.map((item) => (
            <li key={item.href}>
              <Link href={item.href} aria-current={isCurrent(location, item.href) ? "page" : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={mainRef} className="main" tabIndex={-1}>
        <VerifyEmailNotice />
        {children}
      </main>
    </div>
  );
}

/** `/artists/x` is current for its smart links and their editors, not for `/artists/x/hub`. */
function isCurrent(location: string, href: string): boolean {
  if (location === href) return true;
  return /^\/artists\/[^/]+$/.test(href) ? location.startsWith(`${href}/links/`) : location.startsWith(`${href}/`);
}
