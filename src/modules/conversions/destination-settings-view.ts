import type { Ctx } from "../../context";
import { conversionDestinations, type ConversionPlatform } from "../../db/schema/conversion-delivery";
import { open } from "../../lib/seal";

/**
 * A destination as the API and dashboard show it. The access token is write-only: only
 * whether it is set and its last 4 characters (to tell two tokens apart) ever leave the
 * server; it stays sealed at rest (`conversion_destinations.access_token:<id>`).
 */
export interface DestinationSettingsView {
  id: string;
  artistId: string;
  platform: ConversionPlatform;
  /** Meta pixel / dataset id; Google Ads customer id; Reddit pixel id. */
  accountId: string;
  /** Google conversion action id; null elsewhere. */
  conversionActionId: string | null;
  /** Meta `test_event_code`, Reddit `test_id`; for Google it turns on `validateOnly`. Not a secret. */
  testCode: string | null;
  enabled: boolean;
  accessToken: { set: true; last4: string | null };
  createdAt: Date;
  updatedAt: Date;
}

/** The columns a view needs (select these, not `*`: other columns may come and go). */
export const DESTINATION_SETTINGS_COLUMNS = {
  id: conversionDestinations.id,
  artistId: conversionDestinations.artistId,
  platform: conversionDestinations.platform,
  accountId: conversionDestinations.accountId,
  conversionActionId: conversionDestinations.conversionActionId,
  testCode: conversionDestinations.testCode,
  enabled: conversionDestinations.enabled,
  accessTokenSealed: conversionDestinations.accessTokenSealed,
  createdAt: conversionDestinations.createdAt,
  updatedAt: conversionDestinations.updatedAt,
};

type DestinationRow = Pick<typeof conversionDestinations.$inferSelect, keyof typeof DESTINATION_SETTINGS_COLUMNS>;

/** Row → view; `last4` is null when the sealed token cannot be opened (key no longer on the ring). */
export function toDestinationSettingsView(ctx: Ctx, row: DestinationRow): DestinationSettingsView {
  let last4: string | null = null;
  try {
    const token = open(ctx.config.keyRing, { table: "conversion_destinations", column: "access_token", rowId: row.id }, row.accessTokenSealed);
    // Short tokens show nothing: four characters of an 8-character token is half of it.
    last4 = token.length >= 16 ? token.slice(-4) : null;
  } catch {
    last4 = null;
  }
  return {
    id: row.id,
    artistId: row.artistId,
    platform: row.platform,
    accountId: row.accountId,
    conversionActionId: row.conversionActionId,
    testCode: row.testCode,
    enabled: row.enabled,
    accessToken: { set: true, last4 },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
