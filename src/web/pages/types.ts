import type { artists, smartLinks } from "../../db/schema/play";

/** A smart link row as stored. */
export type SmartLinkRow = typeof smartLinks.$inferSelect;
/** An artist row as stored. */
export type ArtistRow = typeof artists.$inferSelect;
