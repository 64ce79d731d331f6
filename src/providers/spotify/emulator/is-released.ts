import type { SeedRelease } from "./catalog";

/** True once the release day (UTC) has come. Year/month precision counts from its first day. */
export function isReleased(release: SeedRelease, now: Date): boolean {
  const [y, m = "01", d = "01"] = release.releaseDate.split("-");
  return now.getTime() >= Date.parse(`${y}-${m}-${d}T00:00:00Z`);
}
