import { asc, desc, eq, gt } from "drizzle-orm";
import type { Ctx } from "../../context";
import { organizationMembers, organizations } from "../../db/schema/accounts";
import { users } from "../../db/schema/auth";
import { artists } from "../../db/schema/play";
import { AppError } from "../../lib/errors";
import { roleOfRank, type Role } from "./compare-roles";
import { rankArtistRole } from "./rank-artist-role";
import { requireUser } from "./require-user";

export interface MeView {
  user: { id: string; name: string; email: string; image: string | null };
  organizations: { id: string; name: string; role: Role }[];
  artists: { id: string; name: string; slug: string; imageUrl: string | null; organizationId: string | null; role: Role }[];
}

/**
 * The signed-in user, their organizations and every artist they can see with the
 * effective role (for the dashboard's switcher). @throws AppError UNAUTHORIZED.
 */
export async function getMe({ ctx }: { ctx: Ctx; input?: undefined }): Promise<MeView> {
  const { userId } = requireUser(ctx);
  const user = await ctx.db.query.users.findFirst({ where: eq(users.id, userId) });
  if (!user) throw new AppError("UNAUTHORIZED", "sign in first");
  const orgs = await ctx.db
    .select({ id: organizations.id, name: organizations.name, role: organizationMembers.role })
    .from(organizationMembers)
    .innerJoin(organizations, eq(organizations.id, organizationMembers.organizationId))
    .where(eq(organizationMembers.userId, userId))
    .orderBy(asc(organizations.name));
  const rank = rankArtistRole(ctx.actor);
  const visible = await ctx.db
    .select({ id: artists.id, name: artists.name, slug: artists.slug, imageUrl: artists.imageUrl, organizationId: artists.organizationId, rank })
    .from(artists)
    .where(gt(rank, 0))
    .orderBy(desc(artists.createdAt));
  return {
    user: { id: user.id, name: user.name, email: user.email, image: user.image },
    organizations: orgs.map((o) => ({ ...o, role: o.role as Role })),
    artists: visible.map(({ rank: r, ...a }) => ({ ...a, role: roleOfRank(Number(r))! })),
  };
}
