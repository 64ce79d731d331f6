import { engagementEvents, artists, playUsers, type LandingContext } from "../../src/db/schema/index";
import { newId } from "../../src/lib/ids";
import type { Ctx } from "../../src/context";
import type { AdRequest } from "../../src/modules/attribution/create-event-buffer";
import { enqueueConversions, upsertConversionDestination } from "../../src/modules/conversions/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";

export const META_PIXEL = "1234567890123";
export const META_TOKEN = "meta-capi-token-0123456789";
export const GOOGLE_ACCOUNT = "1234567890";
export const GOOGLE_ACTION = "555001";
export const GOOGLE_TOKEN = "ya29.google-token-0123456789";
export const REDDIT_PIXEL = "a2_backbeat_px";
export const REDDIT_TOKEN = "reddit-capi-token-0123456789";

/** What the consent side stores on an engagement event when the fan consented (issue 5, P10). */
export const CLICK_IDS = {
  fbc: "fb.1.1764417600000.IwAR2fbclidValue",
  fbp: "fb.1.1764417600000.1098115397",
  gclid: "Cj0KCQiA_gclid_value_123",
  rdtCid: "rdtcid1234567890abcdef",
};

export interface ConversionsFixture {
  t: TestApp;
  ctx: Ctx;
  artistId: string;
  /** Fans whose ad consent holds (the ConsentGate test double reads this). */
  consenting: Set<string>;
  destinations: Record<"meta" | "google" | "reddit", string>;
  addArtist(): Promise<string>;
  addFan(): Promise<string>;
  /** Writes an engagement event; `transactional` also enqueues in the same transaction. */
  addEvent(input: { type: string; playUserId: string | null; artistId?: string; occurredAt?: Date; clickIds?: Record<string, string> | null; transactional?: boolean; adRequest?: AdRequest | null }): Promise<string>;
}

const context: LandingContext = { path: "/artist/new-single", utm: { source: "ig" }, referrerHost: "l.instagram.com", clickIds: ["fbclid", "gclid", "rdt_cid"], country: "PT", deviceClass: "mobile", inAppBrowser: null, locale: "en" };

/** A test app with one artist, destinations on all three platforms (registered in the emulators) and a consent-gate double. */
export async function setupConversions(options: { realConsent?: boolean } = {}): Promise<ConversionsFixture> {
  const t = await createTestApp();
  const consenting = new Set<string>();
  // `realConsent`: the runtime's own gate (consent records, CONSENT_MODE opt-in).
  if (!options.realConsent) t.runtime.consentGate = { hasAdConsent: async ({ playUserId }) => Boolean(playUserId && consenting.has(playUserId)) };
  const ctx = t.runtime.ctxFor({ kind: "system" });
  const db = t.runtime.database.db;
  const addArtist = async () => {
    const now = t.clock.now();
    const id = newId("artist", now);
    await db.insert(artists).values({ id, slug: `artist-${id.slice(-8)}`, name: "Artist", createdAt: now, updatedAt: now });
    return id;
  };
  const addFan = async () => {
    const now = t.clock.now();
    const id = newId("playUser", now);
    await db.insert(playUsers).values({ id, spotifyUserId: `sp-${id}`, accessTokenSealed: "x", refreshTokenSealed: "x", accessTokenExpiresAt: now, consentedAt: now, scopes: "", createdAt: now, updatedAt: now });
    return id;
  };
  const artistId = await addArtist();
  const emu = t.runtime.conversionEmulators!;
  emu.meta.control.registerPixel({ pixelId: META_PIXEL, accessToken: META_TOKEN });
  emu.google.control.registerAccount({ accountId: GOOGLE_ACCOUNT, conversionActionIds: [GOOGLE_ACTION], accessToken: GOOGLE_TOKEN });
  emu.reddit.control.registerPixel({ pixelId: REDDIT_PIXEL, accessToken: REDDIT_TOKEN });
  const meta = await upsertConversionDestination({ ctx, input: { artistId, platform: "meta", accountId: META_PIXEL, accessToken: META_TOKEN } });
  const google = await upsertConversionDestination({ ctx, input: { artistId, platform: "google", accountId: GOOGLE_ACCOUNT, conversionActionId: GOOGLE_ACTION, accessToken: GOOGLE_TOKEN } });
  const reddit = await upsertConversionDestination({ ctx, input: { artistId, platform: "reddit", accountId: REDDIT_PIXEL, accessToken: REDDIT_TOKEN } });
  const addEvent: ConversionsFixture["addEvent"] = async (input) => {
    const occurredAt = input.occurredAt ?? t.clock.now();
    const id = newId("event", occurredAt);
    const row = {
      id,
      type: input.type,
      occurredAt,
      artistId: input.artistId ?? artistId,
      smartLinkId: null,
      playUserId: input.playUserId,
      context,
      detail: input.clickIds === null ? {} : { clickIds: input.clickIds ?? CLICK_IDS, ...(input.type === "STREAM" ? { trackId: `trk${id.slice(-10)}` } : {}) },
    };
    if (input.transactional) {
      await db.transaction(async (tx) => {
        await tx.insert(engagementEvents).values(row);
        await enqueueConversions({ ctx: { ...ctx, db: tx }, input: { events: [{ id, type: row.type, artistId: row.artistId, playUserId: row.playUserId, occurredAt, detail: row.detail, adRequest: input.adRequest ?? null }] } });
      });
    } else await db.insert(engagementEvents).values(row);
    return id;
  };
  return { t, ctx, artistId, consenting, destinations: { meta: meta.id, google: google.id, reddit: reddit.id }, addArtist, addFan, addEvent };
}
