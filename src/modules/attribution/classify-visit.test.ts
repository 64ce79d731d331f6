import { describe, expect, it } from "vitest";
import { classifyVisit } from "./classify-visit";
import { UA } from "./user-agents.test-data";

function visit(userAgent: string | null, extra: Record<string, string> = {}, method = "GET") {
  const headers = new Headers(extra);
  if (userAgent !== null) headers.set("user-agent", userAgent);
  return classifyVisit({ method, headers });
}

describe("classifyVisit", () => {
  it.each([
    "safariIphone",
    "chromeAndroid",
    "chromeWindows",
    "safariMac",
    "ipad",
    "instagramIos",
    "instagramAndroid",
    "facebookIos",
    "facebookAndroid",
    "messengerAndroid",
    "tiktokIos",
    "tiktokAndroid",
    "tiktokAndroidGlobal",
    "snapchatIos",
  ] as const)(
    "counts a fan on %s",
    (key) => {
      expect(visit(UA[key])).toEqual({ counted: true, reason: null });
    },
  );

  it.each([
    "facebookexternalhit",
    "twitterbot",
    "slackbot",
    "discordbot",
    "whatsapp",
    "telegrambot",
    "linkedinbot",
    "applebot",
    "imessage",
    "skype",
  ] as const)("%s is a link preview", (key) => {
    expect(visit(UA[key])).toEqual({ counted: false, reason: "link_preview" });
  });

  it.each(["googlebot", "bingbot", "gptbot", "curl", "pythonRequests", "headlessChrome"] as const)("%s is a bot", (key) => {
    expect(visit(UA[key])).toEqual({ counted: false, reason: "bot" });
  });

  it("treats a missing or blank user agent as a bot", () => {
    expect(visit(null)).toEqual({ counted: false, reason: "bot" });
    expect(visit("   ")).toEqual({ counted: false, reason: "bot" });
  });

  it("does not count HEAD requests", () => {
    expect(visit(UA.safariIphone, {}, "HEAD")).toEqual({ counted: false, reason: "head" });
    expect(visit(UA.safariIphone, {}, "head")).toEqual({ counted: false, reason: "head" });
  });

  it.each([
    { "sec-purpose": "prefetch" },
    { "sec-purpose": "prefetch;prerender" },
    { "sec-purpose": "prefetch; anonymous-client-ip" },
    { purpose: "prefetch" },
    { "x-moz": "prefetch" },
    { "x-purpose": "preview" },
  ] as Record<string, string>[])("does not count speculative loads %o", (headers) => {
    expect(visit(UA.chromeAndroid, headers)).toEqual({ counted: false, reason: "prefetch" });
  });

  it("counts requests with unrelated purpose headers", () => {
    expect(visit(UA.chromeAndroid, { "sec-fetch-dest": "document", "sec-fetch-mode": "navigate" })).toEqual({
      counted: true,
      reason: null,
    });
  });
});
