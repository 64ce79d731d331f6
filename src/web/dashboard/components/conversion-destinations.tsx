import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { CONVERSION_EVENT_TYPES, CONVERSION_PLATFORMS, EVENT_TYPE_LABELS, PLATFORM_LABELS, type ConversionDestination, type ConversionPlatform, type TestConversionResult } from "../lib/conversion-types";
import { newIdempotencyKey } from "../lib/new-idempotency-key";
import { ApiError, requestApi } from "../lib/request-api";
import { ConfirmButton } from "./confirm-button";
import { ErrorMessage } from "./error-message";
import { Field } from "./field";

interface FormState {
  accountId: string;
  conversionActionId: string;
  /** Blank on edit = keep the stored token. */
  accessToken: string;
  testCode: string;
  enabled: boolean;
}

type FieldName = "accountId" | "conversionActionId" | "accessToken" | "testCode";

const COPY: Record<ConversionPlatform, { account: string; accountHint: string; token: string; tokenHint: string; test: string; testHint: string }> = {
  meta: {
    account: "Pixel / dataset ID",
    accountHint: "Digits, from Events Manager → Data sources.",
    token: "Conversions API access token",
    tokenHint: "Events Manager → your pixel → Settings → Conversions API → Generate access token.",
    test: "Test event code",
    testHint: "From Events Manager → Test events, e.g. TEST12345. While set, events show there instead of counting.",
  },
  google: {
    account: "Google Ads customer ID",
    accountHint: "10 digits, without dashes (the operating account).",
    token: "Access token (Data Manager API)",
    tokenHint: "An OAuth access token with the Data Manager scope for this account.",
    test: "Validate only (any code turns it on)",
    testHint: "While set, Google validates the events and ingests nothing.",
  },
  reddit: {
    account: "Pixel ID",
    accountHint: "From Reddit Ads → Events Manager, e.g. a2_abc123.",
    token: "Conversion access token",
    tokenHint: "Reddit Ads → Events Manager → Conversions API → Generate access token.",
    test: "Test ID",
    testHint: "While set, events go to Reddit's test view.",
  },
};

/** The form's own checks, mirroring the API's (the API still has the last word). */
function formProblems(platform: ConversionPlatform, f: FormState, isNew: boolean): Partial<Record<FieldName, string>> {
  const out: Partial<Record<FieldName, string>> = {};
  const account = f.accountId.trim();
  if (!account) out.accountId = "Enter the ID.";
  else if (platform === "meta" && !/^\d{5,20}$/.test(account)) out.accountId = "A Meta pixel / dataset ID is 5 to 20 digits.";
  else if (platform === "google" && !/^\d{10}$/.test(account)) out.accountId = "A Google Ads customer ID is 10 digits, without dashes.";
  else if (!/^[A-Za-z0-9_-]{3,64}$/.test(account)) out.accountId = "Use 3 to 64 letters, digits, _ or -.";
  if (platform === "google" && !/^\d{1,64}$/.test(f.conversionActionId.trim())) out.conversionActionId = "Enter the conversion action ID (digits).";
  if (isNew && !f.accessToken) out.accessToken = "Enter the access token.";
  else if (f.accessToken && (f.accessToken.length < 8 || /\s/.test(f.accessToken))) out.accessToken = "The token is at least 8 characters, without spaces.";
  if (f.testCode.trim() && !/^[A-Za-z0-9_-]{1,100}$/.test(f.testCode.trim())) out.testCode = "Use letters, digits, _ or - only.";
  return out;
}

/**
 * The artist's destinations, one card per platform: what is configured (the token only as
 * "set, ends …1234"), on/off, a test event; admins add and change them (the form checks
 * each field and shows the API's message beside the field it names).
 */
export function ConversionDestinations({ artistId, destinations, canManage, canTest }: { artistId: string; destinations: ConversionDestination[]; canManage: boolean; canTest: boolean }) {
  return (
    <ul className="cards destination-cards">
      {CONVERSION_PLATFORMS.map((platform) => (
        <li key={platform} className="card">
          <DestinationCard artistId={artistId} platform={platform} destination={destinations.find((d) => d.platform === platform) ?? null} canManage={canManage} canTest={canTest} />
        </li>
      ))}
    </ul>
  );
}

function DestinationCard({ artistId, platform, destination, canManage, canTest }: { artistId: string; platform: ConversionPlatform; destination: ConversionDestination | null; canManage: boolean; canTest: boolean }) {
  const [editing, setEditing] = useState(false);
  const queryClient = useQueryClient();
  const base = `/api/v1/artists/${encodeURIComponent(artistId)}/conversions/destinations`;
  const toggle = useMutation({
    mutationFn: async (enabled: boolean) => (await requestApi<ConversionDestination>(`${base}/${encodeURIComponent(destination!.id)}`, { method: "PATCH", body: { enabled } })).data,
    onSuccess: () => refreshDestinations(queryClient, artistId),
  });
  const label = PLATFORM_LABELS[platform];
  const titleId = `destination-${platform}`;
  return (
    <section aria-labelledby={titleId}>
      <h3 id={titleId} className="card-title">
        {label}{" "}
        {destination ? <span className={destination.enabled ? "badge badge-published" : "badge badge-draft"}>{destination.enabled ? "On" : "Off"}</span> : null}
      </h3>
      {editing ? (
        <DestinationForm artistId={artistId} platform={platform} destination={destination} onDone={() => setEditing(false)} />
      ) : destination ? (
        <>
          <dl className="facts">
            <dt>{COPY[platform].account}</dt>
            <dd>{destination.accountId}</dd>
            {platform === "google" ? (
              <>
                <dt>Conversion action ID</dt>
                <dd>{destination.conversionActionId ?? "—"}</dd>
              </>
            ) : null}
            <dt>Access token</dt>
            <dd>{destination.accessToken.last4 ? `Set (ends …${destination.accessToken.last4})` : "Set"}</dd>
            <dt>{COPY[platform].test}</dt>
            <dd>{destination.testCode ?? "Not set (events count for real)"}</dd>
          </dl>
          <div className="actions">
            {canManage ? (
              <>
                <button type="button" className="button button-small" onClick={() => setEditing(true)}>
                  Change<span className="visually-hidden"> {label} destination</span>
                </button>
                {destination.enabled ? (
                  // Turning off drops what is queued for this platform: asked first.
                  <ConfirmButton label="Turn off" ariaLabel={`Turn off ${label}`} question={`Turn off ${label}? Queued conversions for it will not be sent.`} confirmLabel="Turn off" pending={toggle.isPending} onConfirm={() => toggle.mutate(false)} />
                ) : (
                  <button type="button" className="button button-small" disabled={toggle.isPending} onClick={() => toggle.mutate(true)}>
                    Turn on<span className="visually-hidden"> {label}</span>
                  </button>
                )}
              </>
            ) : null}
          </div>
          {toggle.isError ? <ErrorMessage error={toggle.error} title={`${label} not changed`} /> : null}
          {canTest ? <TestEvent artistId={artistId} destination={destination} /> : null}
        </>
      ) : (
        <>
          <p className="hint">Not connected: conversions are not sent to {label}.</p>
          {canManage ? (
            <button type="button" className="button button-small" onClick={() => setEditing(true)}>
              Connect {label}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}

function DestinationForm({ artistId, platform, destination, onDone }: { artistId: string; platform: ConversionPlatform; destination: ConversionDestination | null; onDone: () => void }) {
  const isNew = destination === null;
  const [form, setForm] = useState<FormState>({
    accountId: destination?.accountId ?? "",
    conversionActionId: destination?.conversionActionId ?? "",
    accessToken: "",
    testCode: destination?.testCode ?? "",
    enabled: destination?.enabled ?? true,
  });
  const [problems, setProblems] = useState<Partial<Record<FieldName, string>>>({});
  const [idempotencyKey] = useState(newIdempotencyKey);
  const queryClient = useQueryClient();
  const base = `/api/v1/artists/${encodeURIComponent(artistId)}/conversions/destinations`;
  const save = useMutation({
    mutationFn: async () => {
      const body = {
        accountId: form.accountId.trim(),
        ...(platform === "google" ? { conversionActionId: form.conversionActionId.trim() } : {}),
        ...(form.accessToken ? { accessToken: form.accessToken } : {}),
        testCode: form.testCode.trim() || null,
        enabled: form.enabled,
      };
      return isNew
        ? (await requestApi<ConversionDestination>(base, { method: "POST", body: { platform, ...body }, idempotencyKey })).data
        : (await requestApi<ConversionDestination>(`${base}/${encodeURIComponent(destination.id)}`, { method: "PATCH", body })).data;
    },
    onSuccess: async () => {
      await refreshDestinations(queryClient, artistId);
      onDone();
    },
  });
  const apiError = save.error instanceof ApiError ? save.error : null;
  const message = (field: FieldName) => problems[field] ?? apiError?.fieldMessage(field);
  const named = apiError && apiError.details.some((d) => ["accountId", "conversionActionId", "accessToken", "testCode"].includes(d.field));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = formProblems(platform, form, isNew);
    setProblems(found);
    if (Object.keys(found).length === 0) save.mutate();
  };
  const copy = COPY[platform];
  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }));
  return (
    <form onSubmit={submit} aria-label={`${PLATFORM_LABELS[platform]} destination`} noValidate>
      <Field label={copy.account} hint={copy.accountHint} error={message("accountId")}>
        {(p) => <input {...p} value={form.accountId} autoComplete="off" onChange={(e) => set({ accountId: e.target.value })} />}
      </Field>
      {platform === "google" ? (
        <Field label="Conversion action ID" hint="Google Ads → Goals → Conversions → the action's ID (digits)." error={message("conversionActionId")}>
          {(p) => <input {...p} value={form.conversionActionId} inputMode="numeric" autoComplete="off" onChange={(e) => set({ conversionActionId: e.target.value })} />}
        </Field>
      ) : null}
      <Field
        label={copy.token}
        hint={
          <>
            {copy.tokenHint} {isNew ? "Stored encrypted; never shown again." : `A token is set${destination.accessToken.last4 ? ` (ends …${destination.accessToken.last4})` : ""}. Leave blank to keep it.`}
          </>
        }
        error={message("accessToken")}
      >
        {(p) => <input {...p} type="password" value={form.accessToken} autoComplete="new-password" spellCheck={false} onChange={(e) => set({ accessToken: e.target.value })} />}
      </Field>
      <Field label={copy.test} hint={copy.testHint} error={message("testCode")}>
        {(p) => <input {...p} value={form.testCode} autoComplete="off" onChange={(e) => set({ testCode: e.target.value })} />}
      </Field>
      <label className="choice">
        <input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Send conversions to {PLATFORM_LABELS[platform]}
      </label>
      {apiError && !named ? <ErrorMessage error={apiError} title="Not saved" /> : null}
      {save.isError && !apiError ? <ErrorMessage error={save.error} title="Not saved" /> : null}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : isNew ? `Connect ${PLATFORM_LABELS[platform]}` : "Save changes"}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function TestEvent({ artistId, destination }: { artistId: string; destination: ConversionDestination }) {
  const [eventType, setEventType] = useState<string>("SERVICE_CLICK");
  const label = PLATFORM_LABELS[destination.platform];
  const send = useMutation({
    mutationFn: async () =>
      (await requestApi<TestConversionResult>(`/api/v1/artists/${encodeURIComponent(artistId)}/conversions/destinations/${encodeURIComponent(destination.id)}/test`, { method: "POST", body: { eventType } })).data,
  });
  if (!destination.testCode) return <p className="hint">Set a test code to send a test event.</p>;
  const result = send.data;
  return (
    <div className="test-event">
      <div className="actions">
        <label className="inline-field">
          Test as{" "}
          <select value={eventType} onChange={(e) => setEventType(e.target.value)}>
            {CONVERSION_EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {EVENT_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button-small" disabled={send.isPending} onClick={() => send.mutate()}>
          {send.isPending ? "Sending…" : "Send test event"}
          <span className="visually-hidden"> to {label}</span>
        </button>
      </div>
      {send.isError ? <ErrorMessage error={send.error} title="Test event not sent" /> : null}
      {result ? (
        <div className={result.status === "accepted" ? "notice notice-success" : "notice notice-error"} role="status">
          <p>
            <strong>{result.status === "accepted" ? `${label} accepted the test ${result.eventName}.` : `${label} did not accept the test ${result.eventName}${result.reason ? `: ${result.reason}` : "."}`}</strong>
            {result.httpStatus ? ` HTTP ${result.httpStatus}.` : ""}
          </p>
          {result.responseExcerpt ? <pre className="response">{result.responseExcerpt}</pre> : null}
        </div>
      ) : null}
    </div>
  );
}

/** After a destination changes: the destinations, and Health, which lists one card per destination. */
function refreshDestinations(queryClient: QueryClient, artistId: string): Promise<unknown> {
  return Promise.all([queryClient.invalidateQueries({ queryKey: ["conversion-destinations", artistId] }), queryClient.invalidateQueries({ queryKey: ["conversion-health", artistId] })]);
}
