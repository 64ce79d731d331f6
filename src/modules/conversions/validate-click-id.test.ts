import { describe, expect, it } from "vitest";
import { buildPlayCsp } from "./build-play-csp";
import { readClickIds } from "./read-click-ids";
import { validateClickId } from "./validate-click-id";

describe("click-id validation (P10)", () => {
  it("P10 keeps well-formed values unchanged (case sensitive) and refuses empty, long and odd-charset ones", () => {
    expect(validateClickId("fbclid", "IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk")).toEqual({ ok: true, value: "IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk" });
    expect(validateClickId("gbraid", "0AAAAA9x.yz_1")).toEqual({ ok: true, value: "0AAAAA9x.yz_1" });
    expect(validateClickId("gclid", "")).toEqual({ ok: false, reason: "empty" });
    expect(validateClickId("gclid", "a".repeat(257))).toEqual({ ok: false, reason: "length" });
    expect(validateClickId("fbclid", "a".repeat(512)).ok).toBe(true);
    for (const bad of ["a b", "a<b", "a\"b", "a%20", "é", "a\u0000", "x;y", "a.b"]) expect(validateClickId("gclid", bad).ok, bad).toBe(false);
    expect(validateClickId("rdt_cid", "1234_abc.DEF-9")).toEqual({ ok: true, value: "1234_abc.DEF-9" });
  });

  it("P10 reads click ids back from cookies only when each still validates", () => {
    expect(readClickIds({})).toBeNull();
    expect(
      readClickIds({ _gclid: "abc", _gbraid: "b.1", _wbraid: "w", _rdt_cid: "r1", _fbc: "fb.1.1764417600000.IwAR", _fbp: "fb.1.1764417600000.1234567890", other: "x" }),
    ).toEqual({ gclid: "abc", gbraid: "b.1", wbraid: "w", rdtCid: "r1", fbc: "fb.1.1764417600000.IwAR", fbp: "fb.1.1764417600000.1234567890" });
    // seconds instead of milliseconds, a tampered fbc, a bad gclid
    expect(readClickIds({ _fbc: "fb.1.1764417600.IwAR", _fbp: "fb.1.1764417600000.x", _gclid: "a b" })).toBeNull();
  });

  it("the Play page CSP allows no script without pixels and exactly the configured vendors' hosts with them", () => {
    const none = buildPlayCsp({ pixels: null, nonce: null });
    expect(none).toContain("script-src 'none'");
    expect(none).toContain("connect-src 'none'");
    const meta = buildPlayCsp({ pixels: { meta: "1" }, nonce: "abc" });
    expect(meta).toContain("script-src 'nonce-abc' https://connect.facebook.net");
    expect(meta).toContain("connect-src https://www.facebook.com");
    expect(meta).not.toContain("google");
    expect(meta).not.toContain("frame-src");
  });
});
