import { describe, expect, it } from "vitest";
import { readLandingContext } from "./read-landing-context";
import { UA } from "./user-agents.test-data";

function read(url: string, headers: Record<string, string> = {}, countryHeader: string | null = "cf-ipcountry") {
  return readLandingContext({ url: new URL(url), headers: new Headers(headers), ...(countryHeader ? { countryHeader } : {}) });
}

const LINK = "https://go.backbeat.test/nova-lane/midnight-static";

describe("readLandingContext (P08)", () => {
  it("reads a typical ad landing", () => {
    const ctx = read(
      `${LINK}?utm_source=instagram&utm_medium=paid_social&utm_campaign=launch%202026&fbclid=IwAR0abc&gclid=Cj0KCQ`,
      {
        "user-agent": UA.instagramIos,
        referer: "https://l.instagram.com/?u=https%3A%2F%2Fgo.backbeat.test&e=AT0",
        "cf-ipcountry": "de",
        "accept-language": "de-de,de;q=0.9,en;q=0.8",
      },
    );
    expect(ctx).toEqual({
      path: "/nova-lane/midnight-static",
      utm: { source: "instagram", medium: "paid_social", campaign: "launch 2026" },
      referrerHost: "l.instagram.com",
      clickIds: ["gclid", "fbclid"],
      country: "DE",
      deviceClass: "mobile",
      inAppBrowser: "instagram",
      locale: "de-DE",
    });
  });

  it("trims UTM values, drops control characters, bounds them to 200 characters, omits empty ones", () => {
    const long = "x".repeat(500);
    const ctx = read(
      `${LINK}?utm_source=%20%20news%0Aletter%00%20&utm_medium=${long}&utm_campaign=%20%20&utm_term=%E2%80%AEevil&utm_content=${"😀".repeat(300)}&utm_foo=bar`,
    );
    expect(ctx.utm.source).toBe("newsletter");
    expect(ctx.utm.medium).toHaveLength(200);
    expect(ctx.utm).not.toHaveProperty("campaign");
    expect(ctx.utm.term).toBe("evil");
    expect(Array.from(ctx.utm.content!)).toHaveLength(200);
    expect(ctx.utm.content).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no lone surrogate
    expect(Object.keys(ctx.utm).sort()).toEqual(["content", "medium", "source", "term"]);
  });

  it("keeps the first value of a repeated UTM parameter", () => {
    expect(read(`${LINK}?utm_source=a&utm_source=b`).utm).toEqual({ source: "a" });
  });

  it("keeps only the referrer host, lower-cased", () => {
    const ctx = read(LINK, { referer: "https://WWW.Example.COM:8443/some/path?q=secret#frag" });
    expect(ctx.referrerHost).toBe("www.example.com");
    expect(JSON.stringify(ctx)).not.toContain("secret");
    expect(read(LINK, { referer: "android-app://com.google.android.gm/" }).referrerHost).toBe("com.google.android.gm");
    expect(read(LINK, { referer: "not a url" }).referrerHost).toBeNull();
    expect(read(LINK, { referer: "javascript:alert(1)" }).referrerHost).toBeNull();
    expect(read(LINK, { referer: "file:///etc/passwd" }).referrerHost).toBeNull();
    expect(read(LINK).referrerHost).toBeNull();
  });

  it("records click id names only, never their values", () => {
    const ctx = read(`${LINK}?msclkid=M1&ttclid=T1&rdt_cid=R1&wbraid=W1&gbraid=G1&gclid=&fbclid=F1&other_id=O1`);
    expect(ctx.clickIds).toEqual(["gbraid", "wbraid", "fbclid", "rdt_cid", "ttclid", "msclkid"]);
    const json = JSON.stringify(ctx);
    for (const v of ["M1", "T1", "R1", "W1", "G1", "F1", "O1"]) expect(json).not.toContain(v);
  });

  it("validates the country from the configured header", () => {
    expect(read(LINK, { "cf-ipcountry": "us" }).country).toBe("US");
    expect(read(LINK, { "cf-ipcountry": " gb " }).country).toBe("GB");
    for (const bad of ["XX", "T1", "ZZ", "EU", "USA", "1", "", "<s>"]) {
      expect(read(LINK, { "cf-ipcountry": bad }).country, bad).toBeNull();
    }
    expect(read(LINK, { "x-vercel-ip-country": "FR" }, "x-vercel-ip-country").country).toBe("FR");
    // Without a configured header the country is not read from any header.
    expect(read(LINK, { "cf-ipcountry": "US" }, null).country).toBeNull();
  });

  it.each([
    ["safariIphone", "mobile"],
    ["chromeAndroid", "mobile"],
    ["ipad", "tablet"],
    ["androidTablet", "tablet"],
    ["chromeWindows", "desktop"],
    ["safariMac", "desktop"],
    ["firefoxLinux", "desktop"],
    ["googlebot", "bot"],
    ["facebookexternalhit", "bot"],
  ] as const)("classifies %s as %s", (key, expected) => {
    expect(read(LINK, { "user-agent": UA[key] }).deviceClass).toBe(expected);
  });

  it("classifies unknown or missing user agents as unknown", () => {
    expect(read(LINK).deviceClass).toBe("unknown");
    expect(read(LINK, { "user-agent": "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko)" }).deviceClass).toBe("unknown");
  });

  it("reads a valid first Accept-Language tag", () => {
    expect(read(LINK, { "accept-language": "en-US,en;q=0.9" }).locale).toBe("en-US");
    expect(read(LINK, { "accept-language": "zh-hant-tw" }).locale).toBe("zh-Hant-TW");
    expect(read(LINK, { "accept-language": "es-419;q=1" }).locale).toBe("es-419");
    expect(read(LINK, { "accept-language": "*" }).locale).toBeNull();
    expect(read(LINK, { "accept-language": "<script>" }).locale).toBeNull();
    expect(read(LINK, { "accept-language": "x".repeat(50) }).locale).toBeNull();
    expect(read(LINK).locale).toBeNull();
  });

  it("bounds the path and drops control characters from it", () => {
    const ctx = read(`https://go.backbeat.test/${"a".repeat(2000)}`);
    expect(ctx.path.length).toBeLessThanOrEqual(512);
    expect(read(`${LINK}?q=1`).path).toBe("/nova-lane/midnight-static");
  });

  it("never reads the client IP into the context", () => {
    const ctx = read(LINK, { "x-forwarded-for": "198.51.100.23", "cf-connecting-ip": "198.51.100.23", "user-agent": UA.chromeAndroid });
    expect(JSON.stringify(ctx)).not.toContain("198.51.100.23");
  });
});
