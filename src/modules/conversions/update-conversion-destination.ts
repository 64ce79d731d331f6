import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../../context";
import { conversionDestinations } from "../../db/schema/conversion-delivery";
import { badRequest, notFound } from "../../lib/errors";
import { inTransaction } from "../../lib/in-transaction";
import { parseInput } from "../../lib/parse-input";
import { open, seal } from "../../lib/seal";
import { recordAudit, requireArtistRole } from "../accounts/index";
import { checkDestinationIds } from "./check-destination-ids";
import { DESTINATION_FIELDS } from "./create-conversion-destination";
import { DESTINATION_SETTINGS_COLUMNS, toDestinationSettingsView, type DestinationSettingsView } from "./destination-settings-view";

const FIELDS = ["accountId", "conversionActionId", "accessToken", "testCode", "enabled"] as const;

const inputSchema = z.object({
  accountId: DESTINATION_FIELDS.accountId.optional(),
  conversionActionId: DESTINATION_FIELDS.conversionActionId.nullable().optional(),
  /** A new token; left out = keep the stored one (the stored one is never shown). */
  accessToken: DESTINATION_FIELDS.accessToken.optional(),
  testCode: DESTINATION_FIELDS.testCode.nullable().optional(),
  enabled: DESTINATION_FIELDS.enabled.optional(),
});

/**
 * Changes a destination: any of `accountId`, `conversionActionId`, `accessToken` (replaces
 * the sealed token), `testCode` (null clears it), `enabled` (false = disable: queued rows
 * are dropped with `destination_disabled` at their next delivery, nothing new is queued).
 * The platform never changes. A change that changes nothing writes nothing (no audit
 * entry, `updatedAt` kept). Admins; keys with `conversions.write`. Audited
 * (`conversion_destination.update`: changed field names and non-secret values).
 * @throws AppError NOT_FOUND (artist or destination, or another tenant's), FORBIDDEN,
 *   BAD_REQUEST naming the field.
 */
export async function updateConversionDestination({ ctx, input }: { ctx: Ctx; input: { artistId: string; destinationId: string; body: unknown } }): Promise<DestinationSettingsView> {
  const { artist } = await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "admin", keyScope: "conversions.write" } });
  if (typeof input.body !== "object" || input.body === null || Array.isArray(input.body)) throw badRequest("body", "must be a JSON object");
  const unknownKey = Object.keys(input.body).find((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknownKey) throw badRequest(unknownKey, unknownKey === "platform" ? "cannot change; add a destination for the other platform instead" : "is not a destination field");
  const data = parseInput(inputSchema, input.body);
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .select(DESTINATION_SETTINGS_COLUMNS)
      .from(conversionDestinations)
      .where(and(eq(conversionDestinations.id, input.destinationId), eq(conversionDestinations.artistId, artist.id)))
      .for("update");
    if (!row) throw notFound(`conversion destination ${input.destinationId}`);
    const place = { table: "conversion_destinations", column: "access_token", rowId: row.id };
    const next = {
      accountId: data.accountId ?? row.accountId,
      conversionActionId: data.conversionActionId === undefined ? row.conversionActionId : data.conversionActionId,
      testCode: data.testCode === undefined ? row.testCode : data.testCode,
      enabled: data.enabled ?? row.enabled,
    };
    const issue = checkDestinationIds({ platform: row.platform, ...next })[0];
    if (issue) throw badRequest(issue.path, issue.message);
    if (row.platform !== "google" && next.conversionActionId) throw badRequest("conversionActionId", "only Google destinations have a conversion action");
    const changed = (["accountId", "conversionActionId", "testCode", "enabled"] as const).filter((k) => next[k] !== row[k]);
    let tokenChanged = false;
    if (data.accessToken !== undefined) {
      let current: string | null = null;
      try {
        current = open(tx.config.keyRing, place, row.accessTokenSealed);
      } catch {
        current = null;
      }
      tokenChanged = current !== data.accessToken;
    }
    if (changed.length === 0 && !tokenChanged) return toDestinationSettingsView(tx, row);
    const now = tx.clock.now();
    const [updated] = await tx.db
      .update(conversionDestinations)
      .set({ ...next, ...(tokenChanged ? { accessTokenSealed: seal(tx.config.keyRing, place, data.accessToken!) } : {}), updatedAt: now })
      .where(eq(conversionDestinations.id, row.id))
      .returning(DESTINATION_SETTINGS_COLUMNS);
    const fields = [...changed, ...(tokenChanged ? ["accessToken"] : [])];
    const verb = changed.length === 1 && changed[0] === "enabled" && !tokenChanged ? (next.enabled ? "turned on" : "turned off") : `changed ${fields.join(", ")} of`;
    await recordAudit({
      ctx: tx,
      input: {
        organizationId: artist.organizationId,
        artistId: artist.id,
        action: "conversion_destination.update",
        resourceType: "conversion_destination",
        resourceId: row.id,
        summary: `${verb} the ${row.platform} conversions destination of ${artist.name}`,
        // Names and non-secret values only; a new token is named, never shown.
        metadata: { platform: row.platform, changed: fields, ...Object.fromEntries(changed.map((k) => [k, next[k]])) },
      },
    });
    return toDestinationSettingsView(tx, updated!);
  });
}
