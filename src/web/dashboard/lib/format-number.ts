/** Formats a count for the reader's locale (`Intl.NumberFormat`), e.g. 12,345 or 12 345. */
export function formatNumber(value: number): string {
  return NUMBER.format(value);
}

const NUMBER = new Intl.NumberFormat();
