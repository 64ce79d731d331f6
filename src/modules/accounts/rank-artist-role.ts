import { sql, type SQL } from "drizzle-orm";
import type { Actor } from "../../context";

const RANK = (column: string) => sql.raw(`case ${column} when 'admin' then 3 when 'editor' then 2 when 'viewer' then 1 else 0 end`);

/**
 * THE access rule for artists (P05), as one SQL expression over the `artists` row in
 * scope: the actor's effective rank on it, 0 = cannot see it.
 * - user: max(role in the artist's organization, direct artist grant);
 * - api key: 1 on its own organization's artists (what it may write is its scopes);
 * - system / cli: 3 (operator tools); fan: 0.
 * Every artist read and list filters on `rank > 0`, so what is invisible answers 404.
 *
 * Column names are written fully qualified on purpose: Drizzle drops the table name of
 * interpolated columns in a single-table SELECT list, which inside these subqueries would
 * compare a column with itself (`organization_id = organization_id`).
 */
export function rankArtistRole(actor: Actor): SQL<number> {
  switch (actor.kind) {
    case "user":
      return sql<number>`greatest(
        coalesce((select ${RANK("om.role")} from organization_members om
          where om.organization_id = "artists"."organization_id" and om.user_id = ${actor.userId}), 0),
        coalesce((select ${RANK("am.role")} from artist_members am
          where am.artist_id = "artists"."id" and am.user_id = ${actor.userId}), 0))`;
    case "api_key":
      return sql<number>`(case when "artists"."organization_id" = ${actor.organizationId} then 1 else 0 end)`;
    case "system":
    case "cli":
      return sql<number>`3`;
    case "fan":
      return sql<number>`0`;
  }
}
