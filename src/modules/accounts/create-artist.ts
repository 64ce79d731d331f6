import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../../context";
import { artistMembers } from "../../db/schema/accounts";
import { artists } from "../../db/schema/play";
import { AppError, badRequest } from "../../lib/errors";
import { inTransaction } from "../../lib/in-transaction";
import { parseInput } from "../../lib/parse-input";
import { ensureArtist, parseSpotifyReference } from "../play/index";
import { toArtistView, type ArtistView } from "./artist-view";
import { recordAudit } from "./record-audit";
import { requireOrganizationRole } from "./require-organization-role";
import { resolveArtistAccess } from "./resolve-artist-access";
import { requireUser } from "./require-user";

const inputSchema = z.object({
  spotifyUrl: z.string().trim().min(1, "must not be empty").max(2048),
  organizationId: z.string().min(1).optional(),
});

/**
 * An artist from a Spotify artist URL, in an organization (its editors and admins, or a
 * key with `artists.write`; a key's artists always go to its organization) or owned
 * directly (the creator becomes the artist's admin). Queues the catalog import (one smart
 * link per release).
 * @throws AppError BAD_REQUEST (`spotifyUrl` not an artist URL), NOT_FOUND / FORBIDDEN
 *   (organization), CONFLICT (that Spotify artist is already in Backbeat), ProviderError.
 */
export async function createArtist({ ctx, input }: { ctx: Ctx; input: { spotifyUrl: unknown; organizationId?: unknown } }): Promise<{ artist: ArtistView; importJobId: string | null }> {
  const data = parseInput(inputSchema, input);
  const organizationId = data.organizationId ?? (ctx.actor.kind === "api_key" ? ctx.actor.organizationId : undefined);
  if (organizationId) await requireOrganizationRole({ ctx, input: { organizationId, minRole: "editor", keyScope: "artists.write" } });
  const owner = organizationId ? null : requireUser(ctx).userId;
  const ref = parseSpotifyReference(data.spotifyUrl);
  if (ref.type !== "artist") throw badRequest("spotifyUrl", "must be a Spotify artist URL (https://open.spotify.com/artist/…)");
  const taken = new AppError("CONFLICT", "this Spotify artist is already in Backbeat; ask its admins for an invitation");
  if (await ctx.db.query.artists.findFirst({ where: eq(artists.spotifyArtistId, ref.id), columns: { id: true } })) throw taken;

  const artist = await inTransaction(ctx, async (tx) => {
    const { artist, status } = await ensureArtist({ ctx: tx, input: { spotifyArtistId: ref.id, organizationId: organizationId ?? null } });
    if (status === "existing") throw taken;
    if (owner) await tx.db.insert(artistMembers).values({ artistId: artist.id, userId: owner, role: "admin", createdAt: tx.clock.now() });
    await recordAudit({ ctx: tx, input: { organizationId: organizationId ?? null, artistId: artist.id, action: "artist.create", resourceType: "artist", resourceId: artist.id, summary: `added artist ${artist.name}`, metadata: { spotifyArtistId: ref.id } } });
    return artist;
  });
  // After commit: the import job reads the artist row.
  const importJobId = await ctx.jobs.send("play.import-catalog", { artistId: artist.id }, { singletonKey: artist.id });
  const access = await resolveArtistAccess({ ctx, input: { artistId: artist.id } });
  return { artist: toArtistView(artist, access?.role ?? "viewer", 0, ctx.config.publicUrl), importJobId };
}
