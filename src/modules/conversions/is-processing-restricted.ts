import type { Ctx } from "../../context";
import { hasAdConsent, type HasAdConsentInput } from "./has-ad-consent";

/**
 * Whether the fan restricted or objected to ad processing (P12): today the same fact as a
 * withdrawn or missing ad consent (`!hasAdConsent`). Fans restrict by declining or
 * withdrawing on `/legal/consent`; a separate restriction record (P18, Platform users) does
 * not exist yet. Delivery checks both names so a later, finer rule changes one file.
 */
export async function isProcessingRestricted({ ctx, input }: { ctx: Ctx; input: HasAdConsentInput }): Promise<boolean> {
  return !(await hasAdConsent({ ctx, input }));
}
