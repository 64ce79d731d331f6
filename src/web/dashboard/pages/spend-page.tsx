import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { DateRangePicker, lastDays, rangeProblem, type DateRange } from "../components/date-range-picker";
import { EmptyState } from "../components/empty-state";
import { ErrorMessage } from "../components/error-message";
import { Loading } from "../components/loading";
import { UnknownArtist } from "../components/unknown-artist";
import { ViewerNote } from "../components/viewer-note";
import { VALUED_EVENT_TYPES, type AttributionSettings, type SpendEntry, type ValuationReport, type ValuationTotal } from "../lib/analytics-types";
import { currencyDigits, formatMoney } from "../lib/format-money";
import { parseAmount } from "../lib/parse-amount";
import { formatNumber } from "../lib/format-number";
import { ApiError, requestApi } from "../lib/request-api";
import { roleAtLeast } from "../lib/role-at-least";
import type { Me } from "../lib/types";
import { usePageTitle } from "../lib/use-page-title";

interface SpendRow {
  key: number;
  utmCampaign: string;
  dayFrom: string;
  dayTo: string;
  /** As typed, in major units (e.g. "25.50"). */
  amount: string;
  currency: string;
  note: string;
}

const EVENT_LABELS: Record<(typeof VALUED_EVENT_TYPES)[number], string> = {
  VIEW: "Visit",
  SERVICE_CLICK: "Service click",
  PRESAVE: "Pre-save",
  AUTH: "Authorization",
  SAVE_TRACK: "Save",
  FOLLOW_ARTIST: "Follow",
  STREAM: "Stream",
};

let nextKey = 1;
const toRow = (e: SpendEntry): SpendRow => ({ key: nextKey++, utmCampaign: e.utmCampaign, dayFrom: e.dayFrom, dayTo: e.dayTo, amount: (e.amountMinor / 10 ** currencyDigits(e.currency)).toFixed(currencyDigits(e.currency)), currency: e.currency, note: e.note ?? "" });
/** Major units as typed → minor units; null when it cannot be read for sure (`parseAmount`). */
const toMinor = (amount: string, currency: string) => parseAmount(amount, currencyDigits(currency));
/** Refused on the page, before anything is sent. */
const unreadableAmount = (what: string, amount: string) =>
  new Error(`${what}: the amount “${amount}” cannot be read for sure. Write it like 1500 or 1500.50 (a comma or point with three digits after it, as in 1,000, could be a thousand or one).`);
const cost = (v: number | null, currency: string | null) => (v === null || currency === null ? "–" : formatMoney(v, currency));

/**
 * Spend and attribution (`/artists/:artistId/spend`): valuation for a date range (cost per
 * save, follow, stream and fan per UTM campaign and smart link), the manual spend entries
 * (`PUT /api/v1/artists/{id}/spend` replaces them), and the attribution window and event
 * values (`PUT …/attribution-settings`). Viewers see everything read-only.
 */
export function SpendPage({ me, artistId }: { me: Me; artistId: string }) {
  const known = me.artists.find((a) => a.id === artistId);
  usePageTitle(known ? `${known.name} — spend and attribution` : "Spend and attribution");
  const queryClient = useQueryClient();
  const [range, setRange] = useState<DateRange>(() => lastDays(28));
  const id = encodeURIComponent(artistId);
  const valuation = useQuery({
    queryKey: ["valuation", artistId, range.from, range.to],
    queryFn: async () => (await requestApi<ValuationReport>(`/api/v1/artists/${id}/valuation?from=${range.from}&to=${range.to}`)).data,
    enabled: Boolean(known) && !rangeProblem(range),
  });
  const spend = useQuery({ queryKey: ["spend", artistId], queryFn: async () => (await requestApi<{ data: SpendEntry[] }>(`/api/v1/artists/${id}/spend`)).data.data, enabled: Boolean(known) });
  const settings = useQuery({ queryKey: ["attribution-settings", artistId], queryFn: async () => (await requestApi<AttributionSettings>(`/api/v1/artists/${id}/attribution-settings`)).data, enabled: Boolean(known) });

  const [rows, setRows] = useState<SpendRow[]>([]);
  // The row just added gets focus (the button that added the first one goes away).
  const [addedKey, setAddedKey] = useState<number | null>(null);
  const [windowDays, setWindowDays] = useState("28");
  const [values, setValues] = useState<Record<string, { amount: string; currency: string }>>({});
  useEffect(() => {
    if (spend.data) setRows(spend.data.filter((e) => e.source === "manual").map(toRow));
  }, [spend.data]);
  useEffect(() => {
    if (!settings.data) return;
    setWindowDays(String(settings.data.attributionWindowDays));
    setValues(Object.fromEntries(settings.data.eventValues.map((v) => [v.eventType, { amount: (v.amountMinor / 10 ** currencyDigits(v.currency)).toFixed(currencyDigits(v.currency)), currency: v.currency }])));
  }, [settings.data]);

  const saveSpend = useMutation({
    mutationFn: async () => {
      const entries = rows.map((r, i) => {
        const amountMinor = toMinor(r.amount, r.currency);
        if (amountMinor === null) throw unreadableAmount(`Entry ${i + 1}`, r.amount);
        return { utmCampaign: r.utmCampaign.trim(), dayFrom: r.dayFrom, dayTo: r.dayTo, amountMinor, currency: r.currency.trim().toUpperCase(), note: r.note.trim() || null };
      });
      return (await requestApi<{ data: SpendEntry[] }>(`/api/v1/artists/${id}/spend`, { method: "PUT", body: { entries } })).data.data;
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["spend", artistId] });
      await queryClient.invalidateQueries({ queryKey: ["valuation", artistId] });
    },
  });
  const saveSettings = useMutation({
    mutationFn: async () => {
      const eventValues = Object.entries(values)
        .filter(([, v]) => v.amount.trim() !== "")
        .map(([eventType, v]) => {
          const amountMinor = toMinor(v.amount, v.currency);
          if (amountMinor === null) throw unreadableAmount(EVENT_LABELS[eventType as keyof typeof EVENT_LABELS] ?? eventType, v.amount);
          return { eventType, amountMinor, currency: v.currency.trim().toUpperCase() };
        });
      return (await requestApi<AttributionSettings>(`/api/v1/artists/${id}/attribution-settings`, { method: "PUT", body: { attributionWindowDays: Number(windowDays), eventValues } })).data;
    },
    onSuccess: (data) => {
      queryClient.setQueryData(["attribution-settings", artistId], data);
      void queryClient.invalidateQueries({ queryKey: ["valuation", artistId] });
    },
  });

  if (!known) return <UnknownArtist />;
  const canEdit = roleAtLeast(known.role, "editor");
  const spendError = saveSpend.error instanceof ApiError ? saveSpend.error : null;
  // An amount refused on the page (no request was sent): marked on its input until saved.
  const amountRefused = (amount: string, currency: string) => saveSpend.isError && !spendError && amount.trim() !== "" && toMinor(amount, currency) === null;
  // Nothing typed and nothing stored: an empty state instead of a bare "Save spend". (With
  // stored entries and every row removed, "Save spend" stays: saving the empty list deletes them.)
  const savedManual = spend.data?.some((e) => e.source === "manual") ?? false;
  const noSpend = spend.isSuccess && rows.length === 0 && !savedManual;
  const addRow = () => {
    const key = nextKey++;
    setAddedKey(key);
    setRows((list) => [...list, { key, utmCampaign: "", dayFrom: lastDays(7).from, dayTo: lastDays(7).to, amount: "", currency: list.at(-1)?.currency ?? "EUR", note: "" }]);
  };
  const update = (key: number, patch: Partial<SpendRow>) => setRows((list) => list.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const submitSpend = (e: FormEvent) => {
    e.preventDefault();
    saveSpend.mutate();
  };
  const submitSettings = (e: FormEvent) => {
    e.preventDefault();
    saveSettings.mutate();
  };

  const totalsRow = (label: string, t: ValuationTotal, key: string) => (
    <tr key={key}>
      <th scope="row">{label}</th>
      <td>{t.currency ? formatMoney(t.spendMinor, t.currency) : "–"}</td>
      <td>{formatNumber(t.saves)}</td>
      <td>{cost(t.costPerSave, t.currency)}</td>
      <td>{formatNumber(t.follows)}</td>
      <td>{cost(t.costPerFollow, t.currency)}</td>
      <td>{formatNumber(t.streams)}</td>
      <td>{cost(t.costPerStream, t.currency)}</td>
      <td>{formatNumber(t.fans)}</td>
      <td>{cost(t.costPerFan, t.currency)}</td>
    </tr>
  );
  const head = (first: string) => (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        {["Spend", "Saves", "Per save", "Follows", "Per follow", "Streams", "Per stream", "Fans", "Per fan"].map((h) => (
          <th scope="col" key={h}>
            {h}
          </th>
        ))}
      </tr>
    </thead>
  );

  return (
    <section className="page" aria-labelledby="spend-title">
      <p className="eyebrow">{known.name}</p>
      <h1 id="spend-title">Spend and attribution</h1>
      {canEdit ? null : <ViewerNote what="spend and attribution settings" />}

      <h2>Cost per result</h2>
      <DateRangePicker value={range} onChange={setRange} />
      {valuation.isPending && !rangeProblem(range) ? <Loading label="Loading costs…" /> : null}
      {valuation.isError ? <ErrorMessage error={valuation.error} onRetry={() => void valuation.refetch()} title="Could not load costs" /> : null}
      {valuation.data ? (
        valuation.data.byCampaign.length === 0 ? (
          <p>No campaigns or spend in this range.</p>
        ) : (
          <div className="table-wrap">
            <table aria-label="Cost per result by campaign">
              {head("UTM campaign")}
              <tbody>
                {valuation.data.byCampaign.map((c) => totalsRow(c.utmCampaign === "" ? "(no campaign)" : c.utmCampaign, c, `${c.utmCampaign}-${c.currency ?? ""}`))}
                {valuation.data.totals.map((t) => totalsRow(t.currency ? `All campaigns with ${t.currency} spend` : "All campaigns without spend", t, `all-${t.currency ?? ""}`))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      {valuation.data && valuation.data.conversionValue.length > 0 ? (
        <p>
          Conversion value:{" "}
          {valuation.data.conversionValue.map((v) => formatMoney(v.amountMinor, v.currency)).join(", ")}
        </p>
      ) : null}

      <h2>Spend</h2>
      <p className="hint">What you spent per UTM campaign (utm_campaign on your links). A date range is spread evenly over its days. Amounts in the currency's usual units, e.g. 25.50.</p>
      {spend.isPending ? <Loading label="Loading spend…" /> : null}
      {spend.isError ? <ErrorMessage error={spend.error} onRetry={() => void spend.refetch()} title="Could not load spend" /> : null}
      <form onSubmit={submitSpend} aria-label="Spend entries">
        {noSpend ? (
          <EmptyState title="No spend entered yet">
            <p className="hint">
              {canEdit
                ? "Add what a campaign cost (for example your Meta or TikTok ads for a release, tagged utm_campaign=launch on your links) to see cost per save, follow, stream and fan above."
                : "When an editor adds what campaigns cost, cost per save, follow, stream and fan show above."}
            </p>
            {canEdit ? (
              <button type="button" className="button button-primary" onClick={addRow}>
                Add your first spend
              </button>
            ) : null}
          </EmptyState>
        ) : null}
        <fieldset disabled={!canEdit} className="plain">
          {rows.map((r, i) => (
            <div className="spend-row" key={r.key} role="group" aria-label={`Spend entry ${i + 1}`}>
              <label>
                Campaign
                <input value={r.utmCampaign} maxLength={200} required autoFocus={r.key === addedKey} onChange={(e) => update(r.key, { utmCampaign: e.target.value })} aria-invalid={spendError?.fieldMessage(`entries.${i}.utmCampaign`) ? true : undefined} />
              </label>
              <label>
                From
                <input type="date" value={r.dayFrom} required onChange={(e) => update(r.key, { dayFrom: e.target.value })} />
              </label>
              <label>
                To
                <input type="date" value={r.dayTo} required onChange={(e) => update(r.key, { dayTo: e.target.value })} />
              </label>
              <label>
                Amount
                <input inputMode="decimal" value={r.amount} required onChange={(e) => update(r.key, { amount: e.target.value })} aria-invalid={amountRefused(r.amount, r.currency) || undefined} />
              </label>
              <label>
                Currency
                <input value={r.currency} maxLength={3} required onChange={(e) => update(r.key, { currency: e.target.value.toUpperCase() })} />
              </label>
              <button type="button" className="button button-small button-danger" onClick={() => setRows((list) => list.filter((x) => x.key !== r.key))}>
                Remove<span className="visually-hidden"> entry {i + 1}</span>
              </button>
            </div>
          ))}
          {canEdit && !noSpend ? (
            <button type="button" className="button button-small" onClick={addRow}>
              Add spend
            </button>
          ) : null}
        </fieldset>
        {saveSpend.isError ? <ErrorMessage error={saveSpend.error} title="Spend not saved" /> : null}
        {saveSpend.isSuccess ? (
          <p className="notice notice-success" role="status">
            Spend saved.
          </p>
        ) : null}
        {canEdit && !noSpend ? (
          <button type="submit" className="button button-primary" disabled={saveSpend.isPending}>
            {saveSpend.isPending ? "Saving…" : "Save spend"}
          </button>
        ) : null}
      </form>
      {spend.data?.some((e) => e.source !== "manual") ? <p className="hint">Imported ad spend is kept as is and counted in the costs above.</p> : null}

      <h2>Attribution</h2>
      {settings.isError ? <ErrorMessage error={settings.error} onRetry={() => void settings.refetch()} title="Could not load the attribution settings" /> : null}
      <form onSubmit={submitSettings} aria-label="Attribution settings">
        <fieldset disabled={!canEdit} className="plain">
          <label>
            Attribution window (days)
            <input type="number" min={1} max={180} value={windowDays} onChange={(e) => setWindowDays(e.target.value)} aria-describedby="window-hint" />
          </label>
          <p className="hint" id="window-hint">
            A fan's streams count for the smart link they last saved, followed or authorized through, for this many days.
          </p>
          <fieldset className="plain">
            <legend>Value of each result (optional, for conversion reporting)</legend>
            {VALUED_EVENT_TYPES.map((type) => (
              <div className="spend-row" key={type}>
                <label>
                  {EVENT_LABELS[type]}
                  <input inputMode="decimal" value={values[type]?.amount ?? ""} onChange={(e) => setValues((v) => ({ ...v, [type]: { amount: e.target.value, currency: v[type]?.currency ?? "EUR" } }))} />
                </label>
                <label>
                  Currency<span className="visually-hidden"> of {EVENT_LABELS[type]}</span>
                  <input value={values[type]?.currency ?? "EUR"} maxLength={3} onChange={(e) => setValues((v) => ({ ...v, [type]: { amount: v[type]?.amount ?? "", currency: e.target.value.toUpperCase() } }))} />
                </label>
              </div>
            ))}
          </fieldset>
        </fieldset>
        {saveSettings.isError ? <ErrorMessage error={saveSettings.error} title="Settings not saved" /> : null}
        {saveSettings.isSuccess ? (
          <p className="notice notice-success" role="status">
            Attribution settings saved.
          </p>
        ) : null}
        {canEdit ? (
          <button type="submit" className="button button-primary" disabled={saveSettings.isPending}>
            {saveSettings.isPending ? "Saving…" : "Save attribution settings"}
          </button>
        ) : null}
      </form>
    </section>
  );
}
