import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { hashIdentifier } from "./hash-identifier";

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/*
 * Vectors marked PUBLISHED are printed by the platform (docs page or its own SDK's tests);
 * the URL is in the test name or the comment above the assertion. Vectors marked DERIVED
 * apply a published rule to our own input where the platform prints no example.
 */
describe("hashIdentifier (P12): published test vectors", () => {
  it("Meta PUBLISHED phone hash — https://developers.facebook.com/documentation/ads-commerce/conversions-api/using-the-api", () => {
    // The "Send Requests" example carries ph "254aa248…74c4". Meta does not print the
    // plaintext; it is SHA-256("12345678901"): digits only, country code first.
    expect(hashIdentifier("meta", "phone", "+1 (234) 567-8901")).toBe("254aa248acb47dd654ca3ea53f48c2c26d641d23d7e2e93a1ec56258df7674c4");
    expect(hashIdentifier("meta", "phone", "001 234 567 8901")).toBe("254aa248acb47dd654ca3ea53f48c2c26d641d23d7e2e93a1ec56258df7674c4");
  });

  it("Meta PUBLISHED normalizations — https://github.com/facebook/capi-param-builder php/capi-param-builder/tests/PIIUtilsTest.php + ExternalIDUtilsTest.php", () => {
    // '  Test.User@Example.COM  ' → sha256('test.user@example.com'); '  Test.User+Tag@EXAMPLE.COM  ' keeps its tag.
    expect(hashIdentifier("meta", "email", "  Test.User@Example.COM  ")).toBe(sha("test.user@example.com"));
    expect(hashIdentifier("meta", "email", "  Test.User+Tag@EXAMPLE.COM  ")).toBe(sha("test.user+tag@example.com"));
    // '+1 (555) 123-4567' → sha256('15551234567') (no + for Meta).
    expect(hashIdentifier("meta", "phone", "+1 (555) 123-4567")).toBe(sha("15551234567"));
    // '  John Smith  ' (first name) → sha256('johnsmith'); '  Mary Johnson  ' → 'maryjohnson'.
    expect(hashIdentifier("meta", "first_name", "  John Smith  ")).toBe("45358dd8587f2de278ec7411a560bae78720c13aaa369d0cd95b67715adb445c");
    expect(hashIdentifier("meta", "last_name", "  Mary Johnson  ")).toBe(sha("maryjohnson"));
    // External id: '  Customer123  ' → sha256('customer123'); 'user   123' → 'user123'; 'Customer-ABC-123' → 'customer-abc-123'.
    expect(hashIdentifier("meta", "external_id", "  Customer123  ")).toBe("b041c0aeb35bb0fa4aa668ca5a920b590196fdaf9a00eb852c9b7f4d123cc6d6");
    expect(hashIdentifier("meta", "external_id", "user   123")).toBe(sha("user123"));
    expect(hashIdentifier("meta", "external_id", "Customer-ABC-123")).toBe(sha("customer-abc-123"));
  });

  it("Google PUBLISHED hashes — https://github.com/googleads/data-manager-node util/test/formatter.test.ts (processEmailAddress, processPhoneNumber, processGivenName, processFamilyName)", () => {
    for (const email of ["alexz@example.com", "  alexz@example.com", "  ALEXZ@example.com   ", "  alexz@EXAMPLE.com   "]) {
      expect(hashIdentifier("google", "email", email)).toBe("509e933019bb285a134a9334b8bb679dff79d0ce023d529af4bd744d47b4fd8a");
    }
    for (const phone of ["+18005550100", "   +1-800-555-0100", "1-800-555-0100   "]) {
      expect(hashIdentifier("google", "phone", phone)).toBe("fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30");
    }
    expect(hashIdentifier("google", "first_name", "Givenname")).toBe("128a07bfe2df877c52076e60d7774cf5baaa046c5a6c48daf30ff43ecca2f814");
    expect(hashIdentifier("google", "first_name", "  GivenName  ")).toBe("128a07bfe2df877c52076e60d7774cf5baaa046c5a6c48daf30ff43ecca2f814");
    expect(hashIdentifier("google", "last_name", "Familyname")).toBe("77762c287e61ce065bee5c15464012c6fbe088398b8057627d5577249430d574");
  });

  it("Google PUBLISHED normalizations — https://developers.google.com/data-manager/api/devguides/concepts/formatting and the same formatter.test.ts", () => {
    // Formatting guide: cloudy.sanfrancisco+shopping@gmail.com → cloudysanfrancisco@gmail.com;
    // user.name+NYC@Example.com → user.name+nyc@example.com (non-Gmail keeps dots and +);
    // (800)555-0100 → +18005550100.
    expect(hashIdentifier("google", "email", "cloudy.sanfrancisco+shopping@gmail.com")).toBe(sha("cloudysanfrancisco@gmail.com"));
    expect(hashIdentifier("google", "email", "user.name+NYC@Example.com")).toBe(sha("user.name+nyc@example.com"));
    expect(hashIdentifier("google", "phone", "+1 (800) 555-0100")).toBe(sha("+18005550100"));
    // formatter.test.ts: Gmail variations, googlemail.com too.
    expect(hashIdentifier("google", "email", "j.e.f..ferson.Loves.hiking@gmail.com")).toBe(sha("jeffersonloveshiking@gmail.com"));
    expect(hashIdentifier("google", "email", "Cloudy.SanFrancisco+shopping@googlemail.com")).toBe(sha("cloudysanfrancisco@googlemail.com"));
    // formatPhoneNumber: '1 800 555 0100', '18005550100' → '+18005550100'; '441134960987' → '+441134960987'.
    expect(hashIdentifier("google", "phone", "1 800 555 0100")).toBe(sha("+18005550100"));
    expect(hashIdentifier("google", "phone", "18005550100")).toBe(sha("+18005550100"));
    expect(hashIdentifier("google", "phone", "+44-113-496-0987")).toBe(sha("+441134960987"));
    expect(hashIdentifier("google", "phone", "441134960987")).toBe(sha("+441134960987"));
    // formatGivenName: ' Mr. Alex ' → 'alex', ' Alex Dr.' → 'alex dr.'; formatFamilyName: ' Quinn, Jr. ' → 'quinn',
    // 'quinn, jr., dds' → 'quinn', 'Quinn-Alex' → 'quinn-alex', 'Boardds' stays.
    expect(hashIdentifier("google", "first_name", " Mr. Alex   ")).toBe(sha("alex"));
    expect(hashIdentifier("google", "first_name", " Alex Dr.")).toBe(sha("alex dr."));
    expect(hashIdentifier("google", "last_name", " Quinn, Jr.   ")).toBe(sha("quinn"));
    expect(hashIdentifier("google", "last_name", "quinn, jr., dds")).toBe(sha("quinn"));
    expect(hashIdentifier("google", "last_name", "Quinn-Alex")).toBe(sha("quinn-alex"));
    expect(hashIdentifier("google", "last_name", "Boardds")).toBe(sha("boardds"));
  });

  it("Reddit PUBLISHED e-mail hash — https://papaya-kheer-4b8a70.netlify.app/signals/conversions/reddit-pixel/manual-advanced-matching (Reddit's 'Manual Advanced Matching')", () => {
    // "alice@example.com and Al.ice$+Apple@Example.Com should both hash to ff8d9819…d976":
    // lower-case, drop from the first + to the @, drop non-alphanumerics from the local part.
    expect(hashIdentifier("reddit", "email", "alice@example.com")).toBe("ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976");
    expect(hashIdentifier("reddit", "email", "Al.ice$+Apple@Example.Com")).toBe("ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976");
  });

  it("Reddit DERIVED: phone and external id have no published rule in our corpus (E.164; external id as given)", () => {
    expect(hashIdentifier("reddit", "phone", "+1 800 555 0100")).toBe(sha("+18005550100"));
    expect(hashIdentifier("reddit", "external_id", "fan_01abc")).toBe(sha("fan_01abc"));
  });
});

describe("hashIdentifier (P12): rules", () => {
  it("Unicode NFC: composed and decomposed forms hash alike", () => {
    expect(hashIdentifier("meta", "email", "jose\u0301@example.com")).toBe(hashIdentifier("meta", "email", "jos\u00e9@example.com"));
    expect(hashIdentifier("meta", "first_name", "Jose\u0301")).toBe(sha("jos\u00e9"));
  });

  it("never hashes twice: a 64-hex value passes through (lower-cased), for every platform and kind", () => {
    // Meta's capi-param-builder PIIUtilsTest: an upper-case SHA-256 comes back lower-cased.
    const h = "A665A45920422F9D417E4867EFDC4FB8A04A1F3FFF1FA07E998E86F7F7A27AE3";
    for (const platform of ["meta", "google", "reddit"] as const) {
      for (const kind of ["email", "phone", "external_id", "first_name", "last_name"] as const) {
        expect(hashIdentifier(platform, kind, h)).toBe(h.toLowerCase());
      }
    }
    // 63 or 65 hex characters are not a hash: hashed like any other value.
    expect(hashIdentifier("meta", "external_id", h.slice(1))).toBe(sha(h.slice(1).toLowerCase()));
  });

  it("the same address hashes differently per platform when their rules differ", () => {
    const raw = "Jane.Doe+ads@Gmail.com";
    expect(hashIdentifier("meta", "email", raw)).toBe(sha("jane.doe+ads@gmail.com"));
    expect(hashIdentifier("google", "email", raw)).toBe(sha("janedoe@gmail.com"));
    expect(hashIdentifier("reddit", "email", raw)).toBe(sha("janedoe@gmail.com"));
    expect(hashIdentifier("google", "email", "jane.doe+ads@example.com")).toBe(sha("jane.doe+ads@example.com"));
    expect(hashIdentifier("reddit", "email", "jane.doe+ads@example.com")).toBe(sha("janedoe@example.com"));
  });

  it("refuses bad input with the field and why, and never returns the raw value", () => {
    expect(() => hashIdentifier("meta", "email", "not-an-email")).toThrow(AppError);
    expect(() => hashIdentifier("meta", "email", "a@b@c.com")).toThrow(/email/);
    expect(() => hashIdentifier("meta", "email", "jane doe@example.com")).toThrow(/email: .*whitespace/);
    expect(() => hashIdentifier("reddit", "email", "+tag@example.com")).toThrow(/email/);
    expect(() => hashIdentifier("meta", "phone", "12")).toThrow(/phone/);
    expect(() => hashIdentifier("google", "phone", "+1 234 567 890 123 456")).toThrow(/phone: needs 8–15 digits/);
    expect(() => hashIdentifier("google", "first_name", " Mr. ")).toThrow(/first_name/);
    expect(() => hashIdentifier("google", "last_name", ", Jr. ")).toThrow(/last_name/);
    expect(() => hashIdentifier("meta", "external_id", "   ")).toThrow(/external_id: empty/);
    expect(hashIdentifier("meta", "email", "a@b.co")).toMatch(/^[0-9a-f]{64}$/);
  });
});
