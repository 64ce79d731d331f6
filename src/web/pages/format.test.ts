import { describe, expect, it } from "vitest";
import { daysUntil, formatReleaseDate, isFutureRelease, joinNames } from "./format";
import { jsonLdScript, safeHttpUrl } from "./escape";

describe("format", () => {
  it("formats dates in English, UTC, at their precision", () => {
    expect(formatReleaseDate("2026-12-05")).toBe("5 December 2026");
    expect(formatReleaseDate("2026-12-05", "day")).toBe("5 December 2026");
    expect(formatReleaseDate("2026-12-01", "month")).toBe("December 2026");
    expect(formatReleaseDate("2026-01-01", "year")).toBe("2026");
    expect(formatReleaseDate("2026-13-01")).toBeNull();
    expect(formatReleaseDate("soon")).toBeNull();
    expect(formatReleaseDate(null)).toBeNull();
  });

  it("decides future releases on the UTC day", () => {
    const now = new Date("2026-12-04T23:59:59Z");
    expect(isFutureRelease("2026-12-05", now)).toBe(true);
    expect(isFutureRelease("2026-12-04", now)).toBe(false);
    expect(isFutureRelease(null, now)).toBe(false);
    expect(daysUntil("2026-12-05", now)).toBe(1);
  });

  it("joins names", () => {
    expect(joinNames(["A"])).toBe("A");
    expect(joinNames(["A", "B"])).toBe("A & B");
    expect(joinNames(["A", "B", "C"])).toBe("A, B & C");
  });
});

describe("escape", () => {
  it("keeps only http(s) URLs without credentials", () => {
    expect(safeHttpUrl("https://i.scdn.co/image/x")).toBe("https://i.scdn.co/image/x");
    expect(safeHttpUrl("javascript:alert(1)")).toBeNull();
    expect(safeHttpUrl("data:image/png;base64,AAAA")).toBeNull();
    expect(safeHttpUrl("//evil.example/x")).toBeNull();
    expect(safeHttpUrl("https://user:pw@evil.example/")).toBeNull();
    expect(safeHttpUrl(" JAVASCRIPT:alert(1)")).toBeNull();
  });

  it("JSON-LD round-trips and contains no markup characters", () => {
    const value = { a: "</script><!--<script>&\u2028\u2029" };
    const tag = jsonLdScript(value);
    const inner = tag.slice('<script type="application/ld+json">'.length, -"</script>".length);
    expect(inner).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(inner)).toEqual(value);
  });
});
