import { useId } from "react";

export interface DateRange {
  from: string;
  to: string;
}

const DAY = 86_400_000;
const MAX_DAYS = 366;

/** The `n` UTC days ending today. */
export function lastDays(n: number, now: Date = new Date()): DateRange {
  const to = now.toISOString().slice(0, 10);
  return { from: new Date(Date.parse(`${to}T00:00:00Z`) - (n - 1) * DAY).toISOString().slice(0, 10), to };
}

/** Days in a range, inclusive; NaN when a date is missing. */
export function rangeDays(range: DateRange): number {
  return Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY) + 1;
}

/** A problem with the range the API would refuse, or null. */
export function rangeProblem(range: DateRange): string | null {
  const days = rangeDays(range);
  if (Number.isNaN(days)) return "Choose both dates.";
  if (days < 1) return "The end date is before the start date.";
  if (days > MAX_DAYS) return `Choose at most ${MAX_DAYS} days (this is ${days}).`;
  return null;
}

/** UTC date range: two date inputs and presets (7, 28, 90 days, a year). */
export function DateRangePicker({ value, onChange }: { value: DateRange; onChange: (range: DateRange) => void }) {
  const id = useId();
  const problem = rangeProblem(value);
  return (
    <fieldset className="plain date-range">
      <legend>Date range (UTC)</legend>
      <div className="date-range-row">
        <label htmlFor={`${id}-from`}>From</label>
        <input id={`${id}-from`} type="date" value={value.from} max={value.to} onChange={(e) => onChange({ ...value, from: e.target.value })} aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-problem` : undefined} />
        <label htmlFor={`${id}-to`}>To</label>
        <input id={`${id}-to`} type="date" value={value.to} min={value.from} onChange={(e) => onChange({ ...value, to: e.target.value })} aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-problem` : undefined} />
        {[7, 28, 90, 365].map((n) => (
          <button key={n} type="button" className="button button-small" onClick={() => onChange(lastDays(n))} aria-pressed={rangeDays(value) === n && value.to === lastDays(n).to}>
            {n === 365 ? "Last year" : `Last ${n} days`}
          </button>
        ))}
      </div>
      {problem ? (
        <p id={`${id}-problem`} className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
    </fieldset>
  );
}
