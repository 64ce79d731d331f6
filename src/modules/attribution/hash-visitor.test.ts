import { describe, expect, it } from "vitest";
import { VISITOR_HASH_LENGTH, hashVisitor } from "./hash-visitor";
import { UA } from "./user-agents.test-data";

const base = { secret: "s".repeat(32), day: "2026-11-29", ip: "203.0.113.7", userAgent: UA.safariIphone };

describe("hashVisitor (P11)", () => {
  it("is a 22-character base64url string, stable within a day", () => {
    const h = hashVisitor(base);
    expect(h).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(h).toHaveLength(VISITOR_HASH_LENGTH);
    expect(hashVisitor({ ...base })).toBe(h);
  });

  it("P11 rotates by day and differs by secret, IP and user agent", () => {
    const h = hashVisitor(base);
    expect(hashVisitor({ ...base, day: "2026-11-30" })).not.toBe(h);
    expect(hashVisitor({ ...base, secret: "t".repeat(32) })).not.toBe(h);
    expect(hashVisitor({ ...base, ip: "203.0.113.8" })).not.toBe(h);
    expect(hashVisitor({ ...base, userAgent: UA.chromeAndroid })).not.toBe(h);
    // Back to the first day after computing others: the memoized salt must not leak across days.
    expect(hashVisitor(base)).toBe(h);
  });

  it("is HMAC(HMAC(secret, day), ip + \\n + ua) in base64url, cut to 22", async () => {
    const { createHmac } = await import("node:crypto");
    const salt = createHmac("sha256", base.secret).update(base.day).digest();
    const expected = createHmac("sha256", salt).update(`${base.ip}\n${base.userAgent}`).digest("base64url").slice(0, 22);
    expect(hashVisitor(base)).toBe(expected);
  });

  it("P11 never contains the IP", () => {
    for (const ip of ["203.0.113.7", "2001:db8::1", "10.0.0.1"]) {
      const h = hashVisitor({ ...base, ip });
      expect(h).not.toContain(ip);
      expect(h).not.toContain(Buffer.from(ip).toString("base64url").slice(0, 8));
    }
  });

  it("normalizes IPv4-mapped IPv6 and case so one client has one hash", () => {
    expect(hashVisitor({ ...base, ip: "::ffff:203.0.113.7" })).toBe(hashVisitor(base));
    expect(hashVisitor({ ...base, ip: "2001:DB8::1" })).toBe(hashVisitor({ ...base, ip: "2001:db8::1" }));
  });

  it("rejects a missing secret or a malformed day", () => {
    expect(() => hashVisitor({ ...base, secret: "" })).toThrow(TypeError);
    expect(() => hashVisitor({ ...base, day: "2026-11-29T00:00:00Z" })).toThrow(TypeError);
    expect(() => hashVisitor({ ...base, day: "29/11/2026" })).toThrow(TypeError);
  });
});
