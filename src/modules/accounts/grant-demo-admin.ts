import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artistMembers, organizationMembers, organizations } from "../../db/schema/accounts";
import { artists } from "../../db/schema/play";
import { newId } from "../../lib/ids";
import { inTransaction } from "../../lib/in-transaction";
import { recordAudit } from "./record-audit";

/** Name of the demo user's organization, which holds the demo artist. */
export const DEMO_ORGANIZATION_NAME = "Backbeat Demo Label";

/**
 * Makes the demo user admin of the demo artist (direct grant) and of the demo organization
 * "Backbeat Demo Label", which holds the artist when it has no organization yet — so the
 * demo user can create API keys (keys belong to organizations). Idempotent: run on every
 * start, data dirs seeded before the demo organization existed get it on their next start;
 * an existing grant is raised to admin. An artist already in another organization stays
 * there. No-op (false) when the artist does not exist.
 */
export async function grantDemoAdmin({ ctx, input }: { ctx: Ctx; input: { userId: string; artistSlug: string } }): Promise<boolean> {
  return inTransaction(ctx, async (tx) => {
    const artist = await tx.db.query.artists.findFirst({ where: eq(artists.slug, input.artistSlug) });
    if (!artist) return false;
    const now = tx.clock.now();
    await tx.db
      .insert(artistMembers)
      .values({ artistId: artist.id, userId: input.userId, role: "admin", createdAt: now })
      .onConflictDoUpdate({ target: [artistMembers.artistId, artistMembers.userId], set: { role: "admin" } });

    const [existing] = await tx.db
      .select({ id: organizations.id })
      .from(organizations)
      .innerJoin(organizationMembers, eq(organizationMembers.organizationId, organizations.id))
      .where(and(eq(organizations.name, DEMO_ORGANIZATION_NAME), eq(organizationMembers.userId, input.userId)))
      .limit(1);
    let organizationId = existing?.id;
    if (!organizationId) {
      organizationId = newId("organization", now);
      await tx.db.insert(organizations).values({ id: organizationId, name: DEMO_ORGANIZATION_NAME, createdAt: now, updatedAt: now });
      await recordAudit({ ctx: tx, input: { organizationId, artistId: null, action: "organization.create", resourceType: "organization", resourceId: organizationId, summary: `created organization ${DEMO_ORGANIZATION_NAME}`, metadata: { name: DEMO_ORGANIZATION_NAME } } });
    }
    await tx.db
      .insert(organizationMembers)
      .values({ organizationId, userId: input.userId, role: "admin", createdAt: now })
      .onConflictDoUpdate({ target: [organizationMembers.organizationId, organizationMembers.userId], set: { role: "admin" } });
    if (artist.organizationId === null) {
      await tx.db.update(artists).set({ organizationId, updatedAt: now }).where(eq(artists.id, artist.id));
    }
    return true;
  });
}
