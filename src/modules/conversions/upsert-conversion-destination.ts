import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../../context";
import { conversionDestinations, type ConversionPlatform } from "../../db/schema/conversion-delivery";
import { artists } from "../../db/schema/play";
import { notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { parseInput } from "../../lib/parse-input";
import { seal } from "../../lib/seal";
import { requireArtistRole } from "../accounts/index";
import { checkDestinationIds } from "./check-destination-ids";

const inputSchema = z
  .object({
    artistId: z.string().regex(/^art_[0-9a-z]{26}$/),
    platform: z.enum(["meta", "google", "reddit"]),
    /** Meta pixel / dataset id (digits); Google Ads customer id (10 digits); Reddit pixel id. */
    accountId: z.string().trim().min(3).max(64).regex(/^[A-Za-z0-9_-]+$/),
    conversionActionId: z.string().trim().min(1).max(64).regex(/^[0-9]+$/).nullish(),
    accessToken: z.string().min(8).max(4096).regex(/^[\x21-\x7e]+$/, "printable ASCII only, without spaces or line breaks"),
    testCode: z.string().trim().min(1).max(100).nullish(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((v, c) => {
    for (const issue of checkDestinationIds(v)) c.addIssue({ code: "custom", path: [issue.path], message: issue.message });
  });

export interface ConversionDestinationView {
  id: string;
  artistId: string;
  platform: ConversionPlatform;
  accountId: string;
  conversionActionId: string | null;
  testCode: string | null;
  enabled: boolean;
}

/**
 * Creates or replaces an artist's destination for one platform; the access token is sealed
 * with the key ring (`conversion_destinations.access_token:<id>`) and never returned.
 * Admins of the artist (or system / CLI): operator tools and tests. The API uses
 * `createConversionDestination` / `updateConversionDestination` (audited).
 * @throws AppError BAD_REQUEST (which field and why), NOT_FOUND (artist), FORBIDDEN.
 */
export async function upsertConversionDestination({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ConversionDestinationView> {
  const data = parseInput(inputSchema, input);
  if (ctx.actor.kind === "user" || ctx.actor.kind === "api_key") await requireArtistRole({ ctx, input: { artistId: data.artistId, minRole: "admin", keyScope: null } });
  return ctx.db.transaction(async (tx) => {
    const [artist] = await tx.select({ id: artists.id }).from(artists).where(eq(artists.id, data.artistId));
    if (!artist) throw notFound(`artist ${data.artistId}`);
    const now = ctx.clock.now();
    const [found] = await tx
      .select({ id: conversionDestinations.id })
      .from(conversionDestinations)
      .where(and(eq(conversionDestinations.artistId, data.artistId), eq(conversionDestinations.platform, data.platform)));
    const id = found?.id ?? newId("conversionDestination", now);
    const sealed = seal(ctx.config.keyRing, { table: "conversion_destinations", column: "access_token", rowId: id }, data.accessToken);
    const values = {
      accountId: data.accountId,
      conversionActionId: data.conversionActionId ?? null,
      accessTokenSealed: sealed,
      testCode: data.testCode ?? null,
      enabled: data.enabled,
      updatedAt: now,
    };
    if (found) await tx.update(conversionDestinations).set(values).where(eq(conversionDestinations.id, id));
    else await tx.insert(conversionDestinations).values({ id, artistId: data.artistId, platform: data.platform, createdAt: now, ...values });
    return { id, artistId: data.artistId, platform: data.platform, accountId: values.accountId, conversionActionId: values.conversionActionId, testCode: values.testCode, enabled: values.enabled };
  });
}
