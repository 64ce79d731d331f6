import { useRoute } from "wouter";
import type { Me, MeArtist, MeOrganization } from "./types";

export interface CurrentScope {
  /** The artist in the address (`/artists/:id/…`), if the user can see it. */
  artist: MeArtist | null;
  /** The organization in the address, or the current artist's organization. */
  organization: MeOrganization | null;
  /** `/artists/:id` was in the address but is not among the user's artists. */
  unknownArtistId: string | null;
}

/** Which artist and organization the dashboard is showing, read from the address. */
export function useCurrentScope(me: Me): CurrentScope {
  const [onArtist, artistParams] = useRoute<{ artistId: string }>("/artists/:artistId/*?");
  const [onOrg, orgParams] = useRoute<{ orgId: string }>("/orgs/:orgId/*?");
  const artistId = onArtist ? artistParams.artistId : null;
  const artist = artistId ? (me.artists.find((a) => a.id === artistId) ?? null) : null;
  const orgId = onOrg ? orgParams.orgId : (artist?.organizationId ?? null);
  const organization = orgId ? (me.organizations.find((o) => o.id === orgId) ?? null) : null;
  return { artist, organization, unknownArtistId: artistId && !artist ? artistId : null };
}
