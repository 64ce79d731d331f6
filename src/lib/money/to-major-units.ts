/**
 * An amount in minor units of an ISO 4217 currency → the decimal amount the ad platforms
 * take (`value` in Meta `custom_data`, Google `conversionValue`, Reddit `metadata.value`):
 * 150 EUR → 1.5, 150 JPY → 150 (no minor unit), 1500 KWD → 1.5 (three decimals). The number of
 * decimals is the currency's, from `Intl.NumberFormat` (ICU's ISO 4217 data).
 * A well-formed code ICU does not list (e.g. `XYZ`) gets 2 decimals.
 * @throws RangeError for a malformed code (not three letters); inputs are validated as `[A-Z]{3}` before.
 */
export function toMajorUnits(amountMinor: number, currency: string): number {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return Number((amountMinor / 10 ** digits).toFixed(digits));
}
