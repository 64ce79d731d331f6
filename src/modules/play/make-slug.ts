import slugify from "@sindresorhus/slugify";

/** First URL segments the app owns (PRODUCT.md §5); an artist slug may never be one. */
export const RESERVED_ARTIST_SLUGS = new Set([
  "api", "app", "auth", "oauth", "internal", "legal", "data-deletion", "static", "healthz", "readyz", "_emulator", "webhooks",
  "favicon.ico", "favicon.svg", "robots.txt", "sitemap.xml", "well-known", ".well-known", "admin", "login", "signup", "play",
]);

/** Second segments that are actions on an artist hub, never a link slug. */
export const RESERVED_LINK_SLUGS = new Set(["save", "go", "open-in-browser", "presave"]);

/**
 * A URL slug from a title: lower-case ASCII letters, digits and hyphens, 1–60 chars
 * (transliterated, so "Beyoncé" → "beyonce"). Falls back to `fallback` when the title
 * has no usable characters (e.g. all emoji or CJK without transliteration).
 */
export function makeSlug(title: string, fallback: string): string {
  const slug = slugify(title, { lowercase: true, decamelize: false }).slice(0, 60).replace(/-+$/, "");
  return slug.length > 0 ? slug : fallback;
}
