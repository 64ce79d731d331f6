import { describe, expect, it } from "vitest";
import { THEMES, THEME_NAMES, resolveTheme } from "./themes";

function luminance(hex: string): number {
  const n = hex.replace("#", "");
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = Number.parseInt(n.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe("themes", () => {
  it.each(THEME_NAMES)("%s meets WCAG AA contrast for text, links and buttons", (name) => {
    const t = THEMES[name].tokens;
    for (const bg of [t.surface, t.bg]) {
      expect(contrast(t.text, bg)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(t.muted, bg)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(t.link, bg)).toBeGreaterThanOrEqual(4.5);
      // Focus rings are non-text UI: 3:1 (WCAG 1.4.11).
      expect(contrast(t.focus, bg)).toBeGreaterThanOrEqual(3);
    }
    for (const accent of [t.accent, t.accent2 ?? t.accent]) {
      expect(contrast(t.accentText, accent)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it.each(THEME_NAMES)("%s has focus styles, reduced motion, and no external resources", (name) => {
    const { css, cspStyleHash } = THEMES[name];
    expect(css).toContain(":focus-visible{outline:3px solid var(--focus)");
    expect(css).toContain("@media (prefers-reduced-motion:reduce)");
    expect(css).not.toMatch(/@import|url\(|@font-face|https?:/i);
    expect(css).not.toContain("</");
    expect(cspStyleHash).toMatch(/^'sha256-[A-Za-z0-9+/]{43}='$/);
  });

  it.each(THEME_NAMES)("%s lays artwork and text side by side only when there is artwork", (name) => {
    const rules = [...THEMES[name].css.matchAll(/([^{}]+)\{([^{}]*)\}/g)].flatMap(([, selectors = "", body = ""]) =>
      selectors.split(",").map((selector) => ({ selector: selector.trim(), body })),
    );
    const grids = rules.filter((r) => r.selector.includes(".hero") && /display:grid/.test(r.body));
    for (const r of grids) expect(r.selector, r.selector).toMatch(/\.hero:has\(>\.art\)/);
    const widened = rules.filter((r) => /^main\b/.test(r.selector) && /max-width:(?!30rem)/.test(r.body));
    for (const r of widened) expect(r.selector, r.selector).toMatch(/^main:has\(\.hero>\.art\)/);
    if (name === "cinematic") {
      expect(grids.length).toBeGreaterThan(0);
      expect(widened.length).toBeGreaterThan(0);
    }
  });

  it("builds four distinct stylesheets and falls back to classic", () => {
    expect(new Set(THEME_NAMES.map((n) => THEMES[n].css)).size).toBe(4);
    expect(resolveTheme("unknown").name).toBe("classic");
    expect(resolveTheme(null).name).toBe("classic");
    expect(resolveTheme("__proto__").name).toBe("classic");
    expect(resolveTheme("aurora").name).toBe("aurora");
  });
});
