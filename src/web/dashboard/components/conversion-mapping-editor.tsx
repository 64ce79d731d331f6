import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { EVENT_TYPE_LABELS, PLATFORM_LABELS, type ConversionMapping, type ConversionPlatform } from "../lib/conversion-types";
import { currencyDigits } from "../lib/format-money";
import { ApiError, requestApi } from "../lib/request-api";
import { ErrorMessage } from "./error-message";

type FieldName = "eventName" | "valueMinor" | "currency";

interface RowState {
  eventName: string;
  enabled: boolean;
  /** As typed, in major units ("1.50"). */
  value: string;
  currency: string;
}

const toState = (m: ConversionMapping): RowState => ({
  eventName: m.eventName ?? "",
  enabled: m.enabled,
  value: m.valueMinor === null || m.currency === null ? "" : (m.valueMinor / 10 ** currencyDigits(m.currency)).toFixed(currencyDigits(m.currency)),
  currency: m.currency ?? "",
});

function rowProblems(r: RowState): Partial<Record<FieldName, string>> {
  const out: Partial<Record<FieldName, string>> = {};
  if (r.eventName.trim() && !/^[A-Za-z0-9_ ]{1,100}$/.test(r.eventName.trim())) out.eventName = "Letters, digits, spaces and _ only (at most 100).";
  const hasValue = r.value.trim() !== "";
  const hasCurrency = r.currency.trim() !== "";
  if (hasValue && !/^\d+([.,]\d+)?$/.test(r.value.trim())) out.valueMinor = "Enter an amount like 1.50.";
  if (hasValue && !hasCurrency) out.currency = "Enter the currency (e.g. EUR) with the value.";
  else if (hasCurrency && !/^[A-Z]{3}$/.test(r.currency.trim())) out.currency = "Three capital letters, e.g. EUR.";
  else if (hasCurrency && !hasValue) out.valueMinor = "Enter the value, or clear the currency.";
  return out;
}

/**
 * The event mapping of the connected platforms: per Backbeat event type, the platform event
 * name (blank = the default, shown as placeholder), whether it is sent, and an optional
 * value. Each row saves on its own (`PUT …/mappings/{platform}/{eventType}`).
 */
export function ConversionMappingEditor({ artistId, mappings, platforms, canEdit }: { artistId: string; mappings: ConversionMapping[]; platforms: ConversionPlatform[]; canEdit: boolean }) {
  if (platforms.length === 0) return <p className="hint">Connect a platform above to choose what is sent to it.</p>;
  return (
    <>
      {platforms.map((platform) => (
        <fieldset key={platform} className="mapping">
          <legend>{PLATFORM_LABELS[platform]}</legend>
          {mappings
            .filter((m) => m.platform === platform)
            .map((m) => (
              <MappingRow key={`${m.platform}-${m.eventType}`} artistId={artistId} mapping={m} canEdit={canEdit} />
            ))}
        </fieldset>
      ))}
    </>
  );
}

function MappingRow({ artistId, mapping, canEdit }: { artistId: string; mapping: ConversionMapping; canEdit: boolean }) {
  const [row, setRow] = useState<RowState>(() => toState(mapping));
  const [problems, setProblems] = useState<Partial<Record<FieldName, string>>>({});
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: async () => {
      const currency = row.currency.trim().toUpperCase();
      const body = {
        eventName: row.eventName.trim() || null,
        enabled: row.enabled,
        valueMinor: row.value.trim() ? Math.round(Number(row.value.trim().replace(",", ".")) * 10 ** currencyDigits(currency)) : null,
        currency: currency || null,
      };
      return (await requestApi(`/api/v1/artists/${encodeURIComponent(artistId)}/conversions/mappings/${mapping.platform}/${mapping.eventType}`, { method: "PUT", body })).data;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["conversion-mappings", artistId] }),
  });
  const apiError = save.error instanceof ApiError ? save.error : null;
  const message = (f: FieldName) => problems[f] ?? apiError?.fieldMessage(f);
  const label = `${PLATFORM_LABELS[mapping.platform]}: ${EVENT_TYPE_LABELS[mapping.eventType]}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = rowProblems(row);
    setProblems(found);
    if (Object.keys(found).length === 0) save.mutate();
  };
  const id = `map-${mapping.platform}-${mapping.eventType}`;
  const errors = (["eventName", "valueMinor", "currency"] as const).filter((f) => message(f));
  return (
    <form className="mapping-row" onSubmit={submit} aria-label={label} noValidate>
      <fieldset disabled={!canEdit} className="plain mapping-fields">
        <p className="mapping-type">{EVENT_TYPE_LABELS[mapping.eventType]}</p>
        <label className="choice">
          <input type="checkbox" checked={row.enabled} onChange={(e) => setRow((r) => ({ ...r, enabled: e.target.checked }))} /> Send
        </label>
        <label htmlFor={`${id}-name`}>
          Event name
          <input id={`${id}-name`} value={row.eventName} placeholder={mapping.defaultEventName} maxLength={100} aria-invalid={message("eventName") ? true : undefined} aria-describedby={message("eventName") ? `${id}-eventName` : undefined} onChange={(e) => setRow((r) => ({ ...r, eventName: e.target.value }))} />
        </label>
        <label htmlFor={`${id}-value`}>
          Value
          <input id={`${id}-value`} value={row.value} inputMode="decimal" placeholder="none" aria-invalid={message("valueMinor") ? true : undefined} aria-describedby={message("valueMinor") ? `${id}-valueMinor` : undefined} onChange={(e) => setRow((r) => ({ ...r, value: e.target.value }))} />
        </label>
        <label htmlFor={`${id}-currency`}>
          Currency
          <input id={`${id}-currency`} value={row.currency} maxLength={3} placeholder="EUR" aria-invalid={message("currency") ? true : undefined} aria-describedby={message("currency") ? `${id}-currency-error` : undefined} onChange={(e) => setRow((r) => ({ ...r, currency: e.target.value.toUpperCase() }))} />
        </label>
        {canEdit ? (
          <button type="submit" className="button button-small" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save"}
            <span className="visually-hidden"> {label}</span>
          </button>
        ) : null}
      </fieldset>
      {errors.map((f) => (
        <p key={f} className="field-error" id={f === "currency" ? `${id}-currency-error` : `${id}-${f}`}>
          {message(f)}
        </p>
      ))}
      {apiError && errors.length === 0 ? <ErrorMessage error={apiError} title={`${label} not saved`} /> : null}
      {save.isSuccess ? (
        <p className="hint" role="status">
          Saved.
        </p>
      ) : null}
    </form>
  );
}
