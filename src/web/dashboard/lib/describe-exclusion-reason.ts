/** A traffic-exclusion or fan-flag reason in plain words: a short label and what it means. */
export interface ExclusionReasonText {
  label: string;
  meaning: string;
}

/**
 * Plain words for the reason codes of an analytics report's `exclusions` (traffic and
 * service-click reasons from the traffic gate, fan-flag reasons from `attribution.flag-fans`;
 * see the README's "Traffic quality and fraud"). An unknown code is returned as its own
 * label with no meaning, so a reason added on the server still shows.
 */
export function describeExclusionReason(reason: string): ExclusionReasonText {
  return REASONS[reason] ?? { label: reason, meaning: "" };
}

const REASONS: Record<string, ExclusionReasonText> = {
  head: { label: "HEAD requests", meaning: "asked only for headers, no page was shown" },
  prefetch: { label: "Prefetches", meaning: "loaded ahead of time by a browser or app, not opened by a person" },
  link_preview: { label: "Link previews", meaning: "chat and social apps fetching the link to draw its card" },
  bot: { label: "Bots and crawlers", meaning: "search engines, scripts and tools, or no browser identification at all" },
  datacenter_ip: { label: "Data-center addresses", meaning: "from a cloud provider's network, where people rarely browse from" },
  velocity_visitor: { label: "Too many requests from one visitor", meaning: "one visitor above the per-minute limit" },
  duplicate: { label: "Repeats", meaning: "the same visitor again within the dedupe window (30 minutes by default)" },
  velocity_link: { label: "Link traffic spike", meaning: "the link above its per-minute limit of counted views" },
  shared_device: { label: "Shared device", meaning: "one device signed in to many Spotify accounts" },
  shared_ip_prefix: { label: "Shared network", meaning: "many Spotify accounts from one network" },
  rapid_unrelated_saves: { label: "Rapid unrelated saves", meaning: "many releases by unrelated artists saved within minutes" },
  looped_track: { label: "Looped track", meaning: "one track streamed over and over by one fan" },
};
