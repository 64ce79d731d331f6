import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { hashIdentifier } from "./hash-identifier";

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

describe("hashIdentifier (P12)", () => {
  it("Meta: matches the phone hash Meta publishes in its Conversions API example", () => {
    // https://developers.facebook.com/documentation/ads-commerce/conversions-api/using-the-api
    // ("Send Requests" example) carries ph "254aa248…74c4". Meta does not print the
    // plaintext; we verified it is SHA-256("12345678901") — digits only, country code first.
    expect(hashIdentifier("meta", "phone", "+1 (234) 567-8901")).toBe("254aa248acb47dd654ca3ea53f48c2c26d641d23d7e2e93a1ec56258df7674c4");
    expect(hashIdentifier("meta", "phone", "001 234 567 8901")).toBe("254aa248acb47dd654ca3ea53f48c2c26d641d23d7e2e93a1ec56258df7674c4");
  });

  it("Meta: e-mail trimmed and lower-cased before hashing (derived vector, labelled: Meta prints no e-mail plaintext)", () => {
    expect(hashIdentifier("meta", "email", "  Joe@Example.COM ")).toBe(sha("joe@example.com"));
    expect(hashIdentifier("meta", "email", "joe@example.com")).toBe("2481f36dfc515ca76451aaadf1399026942a01ee50c6d0a61988b43cef039bc2");
  });

  it("Google: the normalization examples Google publishes (formatting guide), then SHA-256", () => {
    // https://developers.google.com/data-manager/api/devguides/concepts/formatting:
    // cloudy.sanfrancisco+shopping@gmail.com → cloudysanfrancisco@gmail.com;
    // user.name+NYC@Example.com → user.name+nyc@example.com; (800)555-0100 → +18005550100.
    // Google publishes the normalized forms, not their hashes: the hex below is derived.
    expect(hashIdentifier("google", "email", "cloudy.sanfrancisco+shopping@gmail.com")).toBe(sha("cloudysanfrancisco@gmail.com"));
    expect(hashIdentifier("google", "email", "Cloudy.SanFrancisco@googlemail.com")).toBe(sha("cloudysanfrancisco@googlemail.com"));
    expect(hashIdentifier("google", "email", "user.name+NYC@Example.com")).toBe(sha("user.name+nyc@example.com"));
    expect(hashIdentifier("google", "phone", "+1 (800) 555-0100")).toBe(sha("+18005550100"));
    expect(sha("+18005550100")).toBe("fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30");
  });

  it("Reddit: no published vectors found; derived values (trim + lower-case e-mail, external id as is)", () => {
    expect(hashIdentifier("reddit", "email", " Fan@Example.com")).toBe(sha("fan@example.com"));
    expect(hashIdentifier("reddit", "external_id", "fan_01abc")).toBe(sha("fan_01abc"));
  });

  it("Unicode NFC: composed and decomposed forms hash alike", () => {
    expect(hashIdentifier("meta", "email", "jose\u0301@example.com")).toBe(hashIdentifier("meta", "email", "jos\u00e9@example.com"));
  });

  it("never hashes twice: a 64-hex value passes through (lower-cased)", () => {
    const h = sha("joe@example.com");
    expect(hashIdentifier("meta", "email", h.toUpperCase())).toBe(h);
    expect(hashIdentifier("google", "email", h)).toBe(h);
  });

  it("refuses bad input with the field and why, and never returns the raw value", () => {
    expect(() => hashIdentifier("meta", "email", "not-an-email")).toThrow(AppError);
    expect(() => hashIdentifier("google", "phone", "800 555 0100")).toThrow(/phone: E.164/);
    expect(() => hashIdentifier("meta", "phone", "12")).toThrow(/phone/);
    expect(hashIdentifier("meta", "email", "a@b.co")).toMatch(/^[0-9a-f]{64}$/);
  });
});
