import type { Role } from "./compare-roles";
import type { ArtistRow } from "./resolve-artist-access";

export interface ArtistView {
  id: string;
  name: string;
  slug: string;
  imageUrl: string | null;
  spotifyArtistId: string | null;
  organizationId: string | null;
  role: Role;
  hubTheme: string;
  hubDescription: string | null;
  hubPublished: boolean;
  /** Absolute URL of the artist hub. */
  publicUrl: string;
  createdAt: Date;
  updatedAt: Date;
  smartLinkCount: number;
}

/** The API shape of an artist for an actor holding `role`. */
export function toArtistView(artist: ArtistRow, role: Role, smartLinkCount: number, publicUrl: string): ArtistView {
  return {
    id: artist.id,
    name: artist.name,
    slug: artist.slug,
    imageUrl: artist.imageUrl,
    spotifyArtistId: artist.spotifyArtistId,
    organizationId: artist.organizationId,
    role,
    hubTheme: artist.hubTheme,
    hubDescription: artist.hubDescription,
    hubPublished: artist.hubPublished,
    publicUrl: `${publicUrl}/${artist.slug}`,
    createdAt: artist.createdAt,
    updatedAt: artist.updatedAt,
    smartLinkCount,
  };
}
