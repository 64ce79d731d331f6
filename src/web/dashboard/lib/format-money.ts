/**
 * Formats an amount in minor units (cents) of an ISO 4217 currency for the reader's locale,
 * e.g. 2500 EUR → "€25.00". Unknown currency codes fall back to "2500 XYZ (minor units)".
 */
export function formatMoney(amountMinor: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat(undefined, { style: "currency", currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(amountMinor / 10 ** digits);
  } catch {
    return `${amountMinor} ${currency} (minor units)`;
  }
}

/** Decimal places of a currency's major unit (EUR 2, JPY 0); 2 when unknown. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}
