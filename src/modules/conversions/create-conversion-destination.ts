import { z } from "zod";
import type { Ctx } from "../../context";
import { conversionDestinations } from "../../db/schema/conversion-delivery";
import { AppError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { inTransaction } from "../../lib/in-transaction";
import { parseInput } from "../../lib/parse-input";
import { seal } from "../../lib/seal";
import { recordAudit, requireArtistRole } from "../accounts/index";
import { checkDestinationIds } from "./check-destination-ids";
import { DESTINATION_SETTINGS_COLUMNS, toDestinationSettingsView, type DestinationSettingsView } from "./destination-settings-view";

/** Field rules shared with `updateConversionDestination`. */
export const DESTINATION_FIELDS = {
  /** Meta pixel / dataset id (digits); Google Ads customer id (10 digits); Reddit pixel id. */
  accountId: z.string().trim().min(3, "must be at least 3 characters").max(64, "must be at most 64 characters").regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only"),
  conversionActionId: z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters").regex(/^[0-9]+$/, "digits only"),
  /** Printable ASCII without spaces: it goes into an HTTP header / body as is, and no platform issues other characters. */
  accessToken: z.string().min(8, "must be at least 8 characters").max(4096, "must be at most 4096 characters").regex(/^[\x21-\x7e]+$/, "printable ASCII only, without spaces or line breaks"),
  testCode: z.string().trim().min(1, "must not be empty (send null to clear it)").max(100, "must be at most 100 characters").regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only"),
  enabled: z.boolean({ error: "must be true or false" }),
};

const inputSchema = z
  .object({
    platform: z.enum(["meta", "google", "reddit"], { error: "must be meta, google or reddit" }),
    accountId: DESTINATION_FIELDS.accountId,
    conversionActionId: DESTINATION_FIELDS.conversionActionId.nullish(),
    accessToken: DESTINATION_FIELDS.accessToken,
    testCode: DESTINATION_FIELDS.testCode.nullish(),
    enabled: DESTINATION_FIELDS.enabled.default(true),
  })
  .superRefine((v, c) => {
    for (const issue of checkDestinationIds(v)) c.addIssue({ code: "custom", path: [issue.path], message: issue.message });
    if (v.platform !== "google" && v.conversionActionId) c.addIssue({ code: "custom", path: ["conversionActionId"], message: "only Google destinations have a conversion action" });
  });

/**
 * Adds an artist's destination for one platform (one per platform): ids, the access token
 * (sealed with the key ring, never returned), test code, on/off. Admins of the artist; API
 * keys with `conversions.write`. Audited (`conversion_destination.create`, no token) in the
 * same transaction.
 * @throws AppError NOT_FOUND (artist missing or another tenant's), FORBIDDEN, BAD_REQUEST
 *   naming the field, CONFLICT (the artist has a destination on that platform already).
 */
export async function createConversionDestination({ ctx, input }: { ctx: Ctx; input: { artistId: string; body: unknown } }): Promise<DestinationSettingsView> {
  const { artist } = await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "admin", keyScope: "conversions.write" } });
  const data = parseInput(inputSchema, input.body);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const id = newId("conversionDestination", now);
    const [row] = await tx.db
      .insert(conversionDestinations)
      .values({
        id,
        artistId: artist.id,
        platform: data.platform,
        accountId: data.accountId,
        conversionActionId: data.conversionActionId ?? null,
        accessTokenSealed: seal(tx.config.keyRing, { table: "conversion_destinations", column: "access_token", rowId: id }, data.accessToken),
        testCode: data.testCode ?? null,
        enabled: data.enabled,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: [conversionDestinations.artistId, conversionDestinations.platform] })
      .returning(DESTINATION_SETTINGS_COLUMNS);
    if (!row) throw new AppError("CONFLICT", `${artist.name} already has a ${data.platform} destination; change it instead`);
    await recordAudit({
      ctx: tx,
      input: {
        organizationId: artist.organizationId,
        artistId: artist.id,
        action: "conversion_destination.create",
        resourceType: "conversion_destination",
        resourceId: id,
        summary: `added the ${data.platform} conversions destination ${data.accountId} for ${artist.name}`,
        metadata: { platform: data.platform, accountId: data.accountId, conversionActionId: row.conversionActionId, testCode: row.testCode, enabled: row.enabled },
      },
    });
    return toDestinationSettingsView(tx, row);
  });
}
