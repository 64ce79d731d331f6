/**
 * An amount as a person types it, in major units (e.g. "25.50", "25,50", "1,500.00",
 * "1.500,00", "1 500"), → integer minor units for a currency with `digits` decimal places
 * (EUR 2 → 2550; JPY 0). Returns null when the text is not an amount, has more decimals than
 * the currency, or is ambiguous: a single "," or "." followed by exactly three digits
 * ("1,000" is a thousand in one locale and one in another) — never a guess about money.
 * Spaces and apostrophes between digits are digit grouping.
 */
export function parseAmount(text: string, digits: number): number | null {
  const t = text.trim().replace(/(?<=\d)[\s\u00a0\u202f'’](?=\d)/g, "");
  if (!/^\d+(?:[.,]\d+)*$/.test(t)) return null;
  const separators = t.match(/[.,]/g) ?? [];
  let whole = t;
  let fraction = "";
  if (separators.length > 0) {
    const last = separators.at(-1)!;
    const mixed = separators.some((s) => s !== last);
    if (mixed || separators.length === 1) {
      // The last separator is the decimal point; any others group thousands.
      const at = t.lastIndexOf(last);
      whole = t.slice(0, at);
      fraction = t.slice(at + 1);
      if (!mixed && fraction.length === 3) return null;
      if (fraction.length > digits) return null;
      if (separators.slice(0, -1).some((s) => s === last)) return null;
    }
    if (/[.,]/.test(whole) && !/^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$/.test(whole)) return null;
    whole = whole.replace(/[.,]/g, "");
  }
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return Number.isSafeInteger(minor) ? minor : null;
}
