import { describe, expect, it } from "vitest";
import { detectInAppBrowser } from "./detect-in-app-browser";
import { UA } from "./user-agents.test-data";

describe("detectInAppBrowser", () => {
  it.each([
    ["instagramIos", "instagram"],
    ["instagramAndroid", "instagram"],
    ["facebookIos", "facebook"],
    ["facebookAndroid", "facebook"],
    ["messengerAndroid", "facebook"],
    ["tiktokIos", "tiktok"],
    ["tiktokAndroid", "tiktok"],
    ["tiktokAndroidGlobal", "tiktok"],
    ["snapchatIos", "snapchat"],
  ] as const)("%s → %s", (key, expected) => {
    expect(detectInAppBrowser(UA[key])).toBe(expected);
  });

  it.each(["safariIphone", "chromeAndroid", "chromeWindows", "safariMac", "ipad", "facebookexternalhit", "whatsapp"] as const)(
    "%s is not an in-app browser",
    (key) => {
      expect(detectInAppBrowser(UA[key])).toBeNull();
    },
  );

  it("handles missing and huge user agents", () => {
    expect(detectInAppBrowser(null)).toBeNull();
    expect(detectInAppBrowser(undefined)).toBeNull();
    expect(detectInAppBrowser("")).toBeNull();
    expect(detectInAppBrowser("a".repeat(100_000))).toBeNull();
  });
});
