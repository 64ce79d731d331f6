import { sql, type SQL } from "drizzle-orm";
import type { Actor } from "../../context";
import { artistMembers, organizationMembers } from "../../db/schema/accounts";
import { artists } from "../../db/schema/play";

const rankOf = (column: SQL | unknown) => sql`case ${column} when 'admin' then 3 when 'editor' then 2 when 'viewer' then 1 else 0 end`;

/**
 * THE access rule for artists (P05), as one SQL expression over the `artists` row in
 * scope: the actor's effective rank on it, 0 = cannot see it.
 * - user: max(role in the artist's organization, direct artist grant);
 * - api key: 1 on its own organization's artists (what it may write is its scopes);
 * - system / cli: 3 (operator tools); fan: 0.
 * Every artist read and list filters on `rank > 0`, so what is invisible answers 404.
 */
export function rankArtistRole(actor: Actor): SQL<number> {
  switch (actor.kind) {
    case "user":
      return sql<number>`greatest(
        coalesce((select ${rankOf(organizationMembers.role)} from ${organizationMembers}
          where ${organizationMembers.organizationId} = ${artists.organizationId} and ${organizationMembers.userId} = ${actor.userId}), 0),
        coalesce((select ${rankOf(artistMembers.role)} from ${artistMembers}
          where ${artistMembers.artistId} = ${artists.id} and ${artistMembers.userId} = ${actor.userId}), 0))`;
    case "api_key":
      return sql<number>`(case when ${artists.organizationId} = ${actor.organizationId} then 1 else 0 end)`;
    case "system":
    case "cli":
      return sql<number>`3`;
    case "fan":
      return sql<number>`0`;
  }
}
