import { describe, expect, it } from "vitest";
import { toMajorUnits } from "./to-major-units";

describe("toMajorUnits", () => {
  it("uses each currency's own number of decimals (ISO 4217)", () => {
    expect(toMajorUnits(150, "EUR")).toBe(1.5);
    expect(toMajorUnits(150, "JPY")).toBe(150);
    expect(toMajorUnits(1500, "KWD")).toBe(1.5);
    expect(toMajorUnits(1999, "usd")).toBe(19.99);
  });
  it("refuses an unknown currency code", () => {
    expect(() => toMajorUnits(1, "EURO")).toThrow(RangeError);
  });
});
