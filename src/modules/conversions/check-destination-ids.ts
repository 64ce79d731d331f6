import type { ConversionPlatform } from "../../db/schema/conversion-delivery";

export interface DestinationIdIssue {
  path: "accountId" | "conversionActionId";
  message: string;
}

/**
 * What is wrong with a destination's platform ids (empty = fine), shared by every verb that
 * writes a destination:
 * - Meta: the pixel / dataset id is 5–20 digits
 *   (https://developers.facebook.com/docs/marketing-api/conversions-api/get-started);
 * - Google: the Ads customer id (operating account) is 10 digits without dashes, and the
 *   conversion action (product destination) id is required
 *   (https://developers.google.com/data-manager/api/reference/rest/v1/Destination);
 * - Reddit: the pixel id (`a2_…` / `t2_…`) passes the generic charset check.
 */
export function checkDestinationIds(v: { platform: ConversionPlatform; accountId: string; conversionActionId?: string | null | undefined }): DestinationIdIssue[] {
  const issues: DestinationIdIssue[] = [];
  if (v.platform === "meta" && !/^\d{5,20}$/.test(v.accountId)) issues.push({ path: "accountId", message: "a Meta pixel / dataset id is 5 to 20 digits" });
  if (v.platform === "google" && !/^\d{10}$/.test(v.accountId)) issues.push({ path: "accountId", message: "a Google Ads customer id is 10 digits, without dashes" });
  if (v.platform === "google" && !v.conversionActionId) issues.push({ path: "conversionActionId", message: "required for Google (the conversion action id)" });
  return issues;
}
