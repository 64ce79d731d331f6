/**
 * The four public-page themes. Each theme is a set of colour tokens (checked for WCAG
 * contrast in `themes.test.ts`) plus a few rules of its own on top of one shared base
 * sheet. The full CSS string of every theme is built once, at module load; rendering a page
 * only concatenates the precomputed string.
 *
 * Constraints: system font stacks only (no web fonts, no third-party requests), visible
 * `:focus-visible` outlines, motion only outside `prefers-reduced-motion: reduce`.
 * Side-by-side layouts (artwork next to the text) apply only when the artwork is there
 * (`.hero:has(>.art)`): a page without artwork keeps the single narrow column, and so
 * does a browser without `:has()`.
 */
import { createHash } from "node:crypto";

export const THEME_NAMES = ["classic", "brutalist", "aurora", "cinematic"] as const;
export type ThemeName = (typeof THEME_NAMES)[number];

/** Colour tokens. `surface` is the (solid equivalent of the) panel behind all text. */
export interface ThemeTokens {
  bg: string;
  surface: string;
  text: string;
  muted: string;
  link: string;
  accent: string;
  /** Second stop of a gradient primary button, if any (text must contrast with both). */
  accent2?: string;
  accentText: string;
  border: string;
  focus: string;
}

export interface Theme {
  name: ThemeName;
  colorScheme: "light" | "dark";
  tokens: ThemeTokens;
  /** Renders a blurred copy of the artwork behind the page (same URL, no extra request). */
  backdrop: boolean;
  /** Complete stylesheet (base + tokens + theme rules). */
  css: string;
  /** CSP source for the inline `<style>`: `'sha256-…'`. */
  cspStyleHash: string;
}

const SANS = `system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif`;
const MONO = `ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace`;
const SERIF = `"Iowan Old Style","Palatino Linotype",Palatino,"Book Antiqua",Georgia,serif`;

/** Shared structure; themes set the variables and add their own rules. */
const BASE = `*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;min-height:100vh;min-height:100dvh;font:16px/1.5 var(--font);color:var(--text);background:var(--bg);display:flex;flex-direction:column;align-items:center;overflow-x:hidden}
main{position:relative;z-index:1;width:100%;max-width:30rem;padding:1.25rem 1rem 1.5rem;flex:1}
.panel{background:var(--surface);border-radius:var(--radius);padding:1.25rem}
img{max-width:100%}
.art{display:block;width:100%;height:auto;aspect-ratio:1/1;object-fit:cover;border-radius:var(--art-radius);background:var(--border)}
h1{font-family:var(--display);font-size:1.75rem;line-height:1.15;margin:1rem 0 .25rem;overflow-wrap:anywhere}
h2{font-family:var(--display);font-size:1.125rem;margin:1.5rem 0 .5rem}
p{margin:.5rem 0}
.by{margin:0;font-size:1.0625rem;overflow-wrap:anywhere}
.meta{margin:.25rem 0 1rem;color:var(--muted);font-size:.875rem}
.out{display:inline-block;margin:.25rem 0 .5rem;font-weight:700}
a{color:var(--link)}
.btn{display:flex;align-items:center;justify-content:center;gap:.5rem;width:100%;min-height:3rem;margin:.5rem 0;padding:.75rem 1rem;font:inherit;font-weight:700;line-height:1.25;text-align:center;text-decoration:none;border-radius:var(--btn-radius);border:var(--btn-border);cursor:pointer;-webkit-tap-highlight-color:transparent}
.btn-primary{background:var(--accent-bg);color:var(--accent-text)}
.btn-secondary{background:transparent;color:var(--text);border:var(--btn-border-2)}
form{margin:0}
.hint{margin:.25rem 0 .75rem;color:var(--muted);font-size:.875rem}
.services{list-style:none;margin:1rem 0 0;padding:0;display:grid;gap:.5rem}
.svc{display:flex;align-items:center;justify-content:space-between;gap:1rem;min-height:3.25rem;padding:.75rem 1rem;color:var(--text);text-decoration:none;border:var(--svc-border);border-radius:var(--btn-radius-2);background:var(--svc-bg)}
.svc-act{color:var(--muted);font-size:.875rem;font-weight:600}
.notice{margin:0 0 1rem;padding:.75rem 1rem;border-left:4px solid var(--focus);background:var(--notice-bg);border-radius:4px}
.notice .btn{margin-bottom:0}
.desc{white-space:pre-line;overflow-wrap:anywhere;color:var(--text);margin-top:1.25rem}
.steps{list-style:none;margin:1rem 0;padding:0;display:grid;gap:.5rem}
.step{display:flex;gap:.75rem;align-items:flex-start;padding:.75rem 1rem;border:var(--svc-border);border-radius:var(--btn-radius-2);background:var(--svc-bg)}
.step-icon{flex:none;width:1.5rem;height:1.5rem;border-radius:50%;display:inline-flex;align-items:center;justify-content:center;font-weight:700;font-size:.875rem;line-height:1}
.step-ok .step-icon{background:var(--accent);color:var(--accent-text)}
.step-no .step-icon{background:transparent;color:var(--text);border:2px solid var(--muted)}
.releases{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
.rel{display:flex;align-items:center;gap:.875rem;padding:.5rem;color:var(--text);text-decoration:none;border:var(--svc-border);border-radius:var(--btn-radius-2);background:var(--svc-bg)}
.rel img{flex:none;width:64px;height:64px;object-fit:cover;border-radius:calc(var(--art-radius)/2);background:var(--border)}
.rel-t{display:block;font-weight:700;overflow-wrap:anywhere}
.rel-m{display:block;color:var(--muted);font-size:.8125rem}
.avatar{display:block;width:160px;height:160px;margin:.5rem auto 0;object-fit:cover;border-radius:50%;background:var(--border)}
.center{text-align:center}
.status{margin:0;color:var(--muted);font-size:.875rem;letter-spacing:.04em;text-transform:uppercase}
.hero>.art+.info>.status:first-child{margin-top:1rem}
.hero>.info:first-child>h1:first-child{margin-top:0}
footer{position:relative;z-index:1;width:100%;max-width:30rem;padding:0 1rem 1.5rem;color:var(--muted);font-size:.8125rem;text-align:center}
footer a{color:var(--muted)}
.consent{position:relative;z-index:1;width:100%;max-width:30rem;padding:0 1rem 1rem}.consent .panel{padding:1rem}.consent h2{margin:0 0 .25rem}.consent p{font-size:.875rem}.consent form{display:flex;gap:.5rem}.consent .btn{margin:.25rem 0;min-height:2.75rem}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
a:focus-visible,button:focus-visible{outline:3px solid var(--focus);outline-offset:3px}
@media (hover:hover){.btn,.svc,.rel{transition:transform .15s ease,filter .15s ease}.btn:hover,.svc:hover,.rel:hover{filter:brightness(1.06)}}
@media (min-width:40rem){main{padding-top:2.5rem}h1{font-size:2rem}}
@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none!important;transition:none!important;scroll-behavior:auto!important}}
@media (forced-colors:active){.btn,.svc,.rel,.step{border:1px solid CanvasText}}
`;

interface ThemeDef {
  name: ThemeName;
  colorScheme: "light" | "dark";
  backdrop: boolean;
  tokens: ThemeTokens;
  /** Variables beyond the colour tokens (fonts, radii, borders). */
  vars: Record<string, string>;
  rules: string;
}

const DEFS: readonly ThemeDef[] = [
  {
    name: "classic",
    colorScheme: "light",
    backdrop: false,
    tokens: {
      bg: "#f4f4f5",
      surface: "#ffffff",
      text: "#18181b",
      muted: "#52525b",
      link: "#1d4ed8",
      accent: "#1ed760",
      accentText: "#000000",
      border: "#d4d4d8",
      focus: "#1d4ed8",
    },
    vars: {
      font: SANS,
      display: SANS,
      radius: "20px",
      "art-radius": "12px",
      "btn-radius": "999px",
      "btn-radius-2": "12px",
      "btn-border": "0",
      "btn-border-2": "2px solid #18181b",
      "svc-border": "1px solid #d4d4d8",
      "svc-bg": "#ffffff",
      "notice-bg": "#eff6ff",
    },
    rules: `.panel{box-shadow:0 1px 2px rgba(0,0,0,.06),0 12px 32px rgba(0,0,0,.08)}
h1{font-weight:800;letter-spacing:-.02em}
.svc:hover{border-color:#18181b}
@media (min-width:40rem){body{background:linear-gradient(180deg,#e4e4e7 0,#f4f4f5 22rem)}}`,
  },
  {
    name: "brutalist",
    colorScheme: "light",
    backdrop: false,
    tokens: {
      bg: "#f2eee3",
      surface: "#ffffff",
      text: "#000000",
      muted: "#3a3a3a",
      link: "#0000d6",
      accent: "#ffe14d",
      accentText: "#000000",
      border: "#000000",
      focus: "#0000d6",
    },
    vars: {
      font: MONO,
      display: SANS,
      radius: "0",
      "art-radius": "0",
      "btn-radius": "0",
      "btn-radius-2": "0",
      "btn-border": "3px solid #000",
      "btn-border-2": "3px solid #000",
      "svc-border": "3px solid #000",
      "svc-bg": "#ffffff",
      "notice-bg": "#ffe14d",
    },
    rules: `.panel{border:3px solid #000;box-shadow:8px 8px 0 #000}
.art{border:3px solid #000}
h1{font-size:2.25rem;font-weight:900;text-transform:uppercase;letter-spacing:-.03em;line-height:1}
.btn,.svc{text-transform:uppercase;letter-spacing:.04em;box-shadow:4px 4px 0 #000}
.btn:active,.svc:active{transform:translate(4px,4px);box-shadow:none}
.svc-act{color:#000;background:#ffe14d;padding:0 .375rem;border:2px solid #000}
.notice{border:3px solid #000;border-radius:0}
.meta{text-transform:uppercase;letter-spacing:.08em}
.rel{box-shadow:4px 4px 0 #000}
a:focus-visible,button:focus-visible{outline-width:4px;outline-offset:4px}
@media (min-width:40rem){h1{font-size:3rem}}`,
  },
  {
    name: "aurora",
    colorScheme: "dark",
    backdrop: false,
    tokens: {
      bg: "#070b1a",
      // The panel is translucent over a dark gradient; this is its solid equivalent.
      surface: "#111731",
      text: "#f4f6ff",
      muted: "#b9c1e3",
      link: "#a5f3fc",
      accent: "#c4b5fd",
      accent2: "#67e8f9",
      accentText: "#0b1020",
      border: "#2a335c",
      focus: "#67e8f9",
    },
    vars: {
      font: SANS,
      display: SANS,
      radius: "28px",
      "art-radius": "20px",
      "btn-radius": "999px",
      "btn-radius-2": "16px",
      "btn-border": "0",
      "btn-border-2": "1px solid rgba(244,246,255,.5)",
      "svc-border": "1px solid rgba(255,255,255,.14)",
      "svc-bg": "rgba(255,255,255,.06)",
      "notice-bg": "rgba(103,232,249,.12)",
    },
    rules: `body{background:radial-gradient(60rem 40rem at 10% -10%,#3b1d7a 0,transparent 60%),radial-gradient(50rem 36rem at 110% 10%,#0e5a6b 0,transparent 60%),radial-gradient(40rem 30rem at 50% 120%,#6b1d55 0,transparent 60%),#070b1a;background-size:140% 140%;animation:aurora 24s ease-in-out infinite alternate}
@keyframes aurora{from{background-position:0% 0%}to{background-position:100% 100%}}
.panel{background:rgba(17,23,49,.78);border:1px solid rgba(255,255,255,.12);-webkit-backdrop-filter:blur(18px);backdrop-filter:blur(18px);box-shadow:0 24px 60px rgba(0,0,0,.45)}
.btn-primary{background:linear-gradient(135deg,#c4b5fd,#67e8f9)}
.art{box-shadow:0 18px 50px rgba(103,232,249,.18)}
h1{font-weight:800;letter-spacing:-.02em}
.svc:hover{border-color:rgba(103,232,249,.6)}`,
  },
  {
    name: "cinematic",
    colorScheme: "dark",
    backdrop: true,
    tokens: {
      bg: "#000000",
      surface: "#141414",
      text: "#f5f0e6",
      muted: "#cfc6b4",
      link: "#e8c872",
      accent: "#e8c872",
      accentText: "#111111",
      border: "#3a352c",
      focus: "#e8c872",
    },
    vars: {
      font: SANS,
      display: SERIF,
      radius: "4px",
      "art-radius": "2px",
      "btn-radius": "2px",
      "btn-radius-2": "2px",
      "btn-border": "0",
      "btn-border-2": "1px solid #e8c872",
      "svc-border": "1px solid rgba(245,240,230,.18)",
      "svc-bg": "rgba(0,0,0,.55)",
      "notice-bg": "rgba(232,200,114,.12)",
    },
    rules: `.backdrop{position:fixed;inset:-10%;z-index:0;width:120%;height:120%;object-fit:cover;filter:blur(48px) saturate(1.2);opacity:.4;transform:scale(1.05)}
body::after{content:"";position:fixed;inset:0;z-index:0;background:linear-gradient(180deg,rgba(0,0,0,.55) 0,rgba(0,0,0,.82) 45%,#000 100%)}
.panel{background:rgba(10,10,10,.72);padding:1.5rem}
h1{font-weight:400;font-size:2.25rem;letter-spacing:.01em}
.meta,.svc-act,.status{text-transform:uppercase;letter-spacing:.18em;font-size:.75rem}
.art{box-shadow:0 30px 80px rgba(0,0,0,.8)}
.btn{letter-spacing:.12em;text-transform:uppercase;font-size:.875rem}
@media (min-width:60rem){main:has(.hero>.art){max-width:60rem}.hero:has(>.art){display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:2.5rem;align-items:center}.hero:has(>.art) h1{margin-top:0;font-size:3rem}.hero:has(>.art)>.info>.status{margin-top:0}.hero:has(>.art)>.info>.status+h1{margin-top:.5rem}}`,
  },
];

function buildCss(def: ThemeDef): string {
  const t = def.tokens;
  const vars: Record<string, string> = {
    bg: t.bg,
    surface: t.surface,
    text: t.text,
    muted: t.muted,
    link: t.link,
    accent: t.accent,
    "accent-bg": t.accent,
    "accent-text": t.accentText,
    border: t.border,
    focus: t.focus,
    ...def.vars,
  };
  const root = `:root{color-scheme:${def.colorScheme};${Object.entries(vars)
    .map(([k, v]) => `--${k}:${v}`)
    .join(";")}}`;
  // Whitespace-only minification: the sheets contain no strings with significant spaces.
  return `${root}\n${BASE}${def.rules}`.replace(/\n+/g, "");
}

function buildTheme(def: ThemeDef): Theme {
  const css = buildCss(def);
  return {
    name: def.name,
    colorScheme: def.colorScheme,
    tokens: def.tokens,
    backdrop: def.backdrop,
    css,
    cspStyleHash: `'sha256-${createHash("sha256").update(css).digest("base64")}'`,
  };
}

/** Every theme, built once. */
export const THEMES: Readonly<Record<ThemeName, Theme>> = Object.freeze(
  Object.fromEntries(DEFS.map((d) => [d.name, buildTheme(d)])) as Record<ThemeName, Theme>,
);

/** The named theme, or `classic` for an unknown / missing name. */
export function resolveTheme(name: string | null | undefined): Theme {
  return (name && Object.hasOwn(THEMES, name) ? THEMES[name as ThemeName] : undefined) ?? THEMES.classic;
}
