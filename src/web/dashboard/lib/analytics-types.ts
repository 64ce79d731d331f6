/** Shapes of the analytics routes of `/api/v1` (see /api/v1/openapi.json, tag Analytics). */

export interface AnalyticsMetrics {
  visits: number;
  uniqueVisitors: number;
  serviceClicks: number;
  presaves: number;
  authorizations: number;
  saves: number;
  follows: number;
  streams: number;
  unsaves: number;
  unfollows: number;
  playbackStarted: number;
  authFailures: number;
}

export const BREAKDOWN_DIMENSIONS = ["country", "referrer", "utm_source", "utm_medium", "utm_campaign", "device", "locale", "theme", "in_app_browser", "click_id", "service"] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

export interface RetentionFigures {
  tracked: number;
  kept: number;
  rate: number | null;
}

export interface AnalyticsReport {
  scope: "artist" | "hub" | "link";
  artistId: string;
  smartLinkId: string | null;
  from: string;
  to: string;
  days: number;
  totals: AnalyticsMetrics;
  serviceClicksByService: Array<{ service: string; clicks: number }>;
  funnel: Array<{ step: "visits" | "authorizations" | "saves" | "follows" | "streams"; count: number; rateFromPrevious: number | null; rateFromVisits: number | null }>;
  retention: { saves: RetentionFigures; follows: RetentionFigures };
  series: Array<{ day: string } & AnalyticsMetrics>;
  breakdowns: Partial<Record<BreakdownDimension, Array<{ value: string } & AnalyticsMetrics>>>;
  exclusions: {
    flagged: { events: number; byReason: Array<{ reason: string; events: number }> };
    traffic: { rawRequests: number; counted: number; byReason: Array<{ reason: string; requests: number }> } | null;
    /** Tracked service clicks: raw, counted, excluded per reason (absent from older servers). */
    serviceClicks?: { rawRequests: number; counted: number; byReason: Array<{ reason: string; requests: number }> };
  };
}

export interface Costs {
  costPerSave: number | null;
  costPerFollow: number | null;
  costPerStream: number | null;
  costPerFan: number | null;
}

export interface ValuationTotal extends Costs {
  currency: string | null;
  spendMinor: number;
  visits: number;
  saves: number;
  follows: number;
  streams: number;
  presaves: number;
  fans: number;
}

export interface ValuationReport {
  artistId: string;
  from: string;
  to: string;
  byCampaign: Array<ValuationTotal & { utmCampaign: string }>;
  bySmartLink: Array<ValuationTotal & { smartLinkId: string | null; unallocated: boolean }>;
  totals: ValuationTotal[];
  conversionValue: Array<{ currency: string; amountMinor: number; byType: Array<{ eventType: string; events: number; unitMinor: number; amountMinor: number }> }>;
}

export interface SpendEntry {
  id: string;
  source: string;
  utmCampaign: string;
  smartLinkId: string | null;
  dayFrom: string;
  dayTo: string;
  amountMinor: number;
  currency: string;
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

export const VALUED_EVENT_TYPES = ["VIEW", "SERVICE_CLICK", "PRESAVE", "AUTH", "SAVE_TRACK", "FOLLOW_ARTIST", "STREAM"] as const;

export interface AttributionSettings {
  attributionWindowDays: number;
  eventValues: Array<{ eventType: string; amountMinor: number; currency: string }>;
}
