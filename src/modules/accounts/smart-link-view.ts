import type { PixelIds, ReleaseArtist, ServiceLink } from "../../db/schema/play";
import type { SmartLink } from "../play/index";

export interface SmartLinkView {
  id: string;
  artistId: string;
  slug: string;
  title: string;
  releaseType: string;
  /** `YYYY-MM-DD` (first day of a year/month precision), or null. */
  releaseDate: string | null;
  artworkUrl: string | null;
  releaseArtists: ReleaseArtist[];
  services: ServiceLink[];
  theme: string;
  pixels: PixelIds;
  description: string | null;
  published: boolean;
  /** Absolute URL of the landing page. */
  publicUrl: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The API shape of a smart link under the artist slug `artistSlug`. */
export function toSmartLinkView(link: SmartLink, artistSlug: string, publicUrl: string): SmartLinkView {
  return {
    id: link.id,
    artistId: link.artistId,
    slug: link.slug,
    title: link.title,
    releaseType: link.releaseType,
    releaseDate: link.releaseDate,
    artworkUrl: link.artworkUrl,
    releaseArtists: link.releaseArtists,
    services: link.services,
    theme: link.theme,
    pixels: link.pixels,
    description: link.description,
    published: link.published,
    publicUrl: `${publicUrl}/${artistSlug}/${link.slug}`,
    createdAt: link.createdAt,
    updatedAt: link.updatedAt,
  };
}
