import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import {
  CONVERSION_EVENT_TYPES,
  DELIVERY_STATUSES,
  EVENT_TYPE_LABELS,
  PLATFORM_LABELS,
  REASON_LABELS,
  STATUS_LABELS,
  type ConversionDelivery,
  type ConversionDeliveryDetail,
  type ConversionDestination,
  type ConversionEventType,
  type DeliveryStatus,
} from "../lib/conversion-types";
import { formatDate } from "../lib/format-date";
import { requestApi } from "../lib/request-api";
import type { Page } from "../lib/types";
import { EmptyState } from "./empty-state";
import { ErrorMessage } from "./error-message";
import { Loading } from "./loading";

const eventLabel = (t: string) => EVENT_TYPE_LABELS[t as ConversionEventType] ?? t;
const reasonLabel = (r: string | null) => (r ? (REASON_LABELS[r] ?? r) : "");

function StatusBadge({ status }: { status: DeliveryStatus }) {
  return <span className={`badge badge-status-${status}`}>{STATUS_LABELS[status]}</span>;
}

/**
 * Every delivery of the artist's conversions, newest first (`GET …/conversions/deliveries`),
 * filtered by status, destination and event type, 25 at a time ("Show more" follows the
 * cursor). "Details" opens a drawer with each attempt and the platform's response.
 */
export function ConversionDeliveryLog({ artistId, destinations }: { artistId: string; destinations: ConversionDestination[] }) {
  const [status, setStatus] = useState("");
  const [destinationId, setDestinationId] = useState("");
  const [eventType, setEventType] = useState("");
  const [openId, setOpenId] = useState<string | null>(null);
  const base = `/api/v1/artists/${encodeURIComponent(artistId)}/conversions/deliveries`;
  const log = useInfiniteQuery({
    queryKey: ["conversion-deliveries", artistId, status, destinationId, eventType],
    initialPageParam: "",
    queryFn: async ({ pageParam }) => {
      const q = new URLSearchParams({ limit: "25", ...(pageParam ? { cursor: pageParam } : {}), ...(status ? { status } : {}), ...(destinationId ? { destinationId } : {}), ...(eventType ? { eventType } : {}) });
      return (await requestApi<Page<ConversionDelivery>>(`${base}?${q}`)).data;
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = log.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = Boolean(status || destinationId || eventType);
  return (
    <>
      <div className="filters" role="group" aria-label="Filter deliveries">
        <label className="field">
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All statuses</option>
            {DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Destination
          <select value={destinationId} onChange={(e) => setDestinationId(e.target.value)}>
            <option value="">All destinations</option>
            {destinations.map((d) => (
              <option key={d.id} value={d.id}>
                {PLATFORM_LABELS[d.platform]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Event
          <select value={eventType} onChange={(e) => setEventType(e.target.value)}>
            <option value="">All events</option>
            {CONVERSION_EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {EVENT_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {log.isPending ? <Loading label="Loading deliveries…" /> : null}
      {log.isError ? <ErrorMessage error={log.error} onRetry={() => void log.refetch()} title="Could not load the delivery log" /> : null}
      {log.isSuccess && rows.length === 0 ? (
        <EmptyState title={filtered ? "No deliveries match these filters." : "No deliveries yet."}>
          {filtered ? null : <p className="hint">Conversions are queued within about a minute of a save, follow, pre-save, service click or stream by a fan who came from a connected platform's ad.</p>}
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="table-stack" aria-label="Delivery log">
            <thead>
              <tr>
                <th scope="col">Queued</th>
                <th scope="col">Event</th>
                <th scope="col">Destination</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Reason</th>
                <th scope="col">
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id}>
                  <td data-label="Queued">{formatDate(d.createdAt, "datetime")}</td>
                  <td data-label="Event">{eventLabel(d.eventType)}</td>
                  <td data-label="Destination">{PLATFORM_LABELS[d.platform]}</td>
                  <td data-label="Status">
                    <StatusBadge status={d.status} />
                    {d.deduplicated ? <span className="hint"> (duplicate)</span> : null}
                  </td>
                  <td data-label="Attempts">{d.attempts}</td>
                  <td data-label="Reason">{reasonLabel(d.reason)}</td>
                  <td>
                    <button type="button" className="button button-small" onClick={() => setOpenId(d.id)}>
                      Details<span className="visually-hidden"> of {eventLabel(d.eventType)} to {PLATFORM_LABELS[d.platform]}, {formatDate(d.createdAt, "datetime")}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {log.hasNextPage ? (
        <button type="button" className="button" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          {log.isFetchingNextPage ? "Loading…" : "Show more"}
        </button>
      ) : null}
      {openId ? <DeliveryDrawer artistId={artistId} deliveryId={openId} onClose={() => setOpenId(null)} /> : null}
    </>
  );
}

/** The drawer: one delivery, every attempt (time, result, HTTP status, duration) and the platform's response. */
function DeliveryDrawer({ artistId, deliveryId, onClose }: { artistId: string; deliveryId: string; onClose: () => void }) {
  const detail = useQuery({
    queryKey: ["conversion-delivery", artistId, deliveryId],
    queryFn: async () => (await requestApi<ConversionDeliveryDetail>(`/api/v1/artists/${encodeURIComponent(artistId)}/conversions/deliveries/${encodeURIComponent(deliveryId)}`)).data,
  });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    opener.current = document.activeElement;
    headingRef.current?.focus();
    return () => {
      if (opener.current instanceof HTMLElement) opener.current.focus();
    };
  }, []);
  const d = detail.data;
  return (
    <div className="drawer-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <aside className="drawer" role="dialog" aria-modal="true" aria-labelledby="delivery-title" onKeyDown={(e) => e.key === "Escape" && onClose()}>
        <div className="drawer-head">
          <h2 id="delivery-title" ref={headingRef} tabIndex={-1}>
            {d ? `${eventLabel(d.eventType)} to ${PLATFORM_LABELS[d.platform]}` : "Delivery"}
          </h2>
          <button type="button" className="button button-small" onClick={onClose}>
            Close
          </button>
        </div>
        {detail.isPending ? <Loading label="Loading the delivery…" /> : null}
        {detail.isError ? <ErrorMessage error={detail.error} onRetry={() => void detail.refetch()} title="Could not load the delivery" /> : null}
        {d ? (
          <>
            <dl className="facts">
              <dt>Status</dt>
              <dd>
                <StatusBadge status={d.status} />
                {d.deduplicated ? " (the platform had this event already)" : ""}
              </dd>
              {d.reason ? (
                <>
                  <dt>Reason</dt>
                  <dd>
                    {reasonLabel(d.reason)}
                    {REASON_LABELS[d.reason] ? <code className="muted"> {d.reason}</code> : null}
                  </dd>
                </>
              ) : null}
              <dt>Event</dt>
              <dd>
                {formatDate(d.occurredAt, "datetime")} · <code>{d.eventId}</code>
              </dd>
              <dt>Match keys sent</dt>
              <dd>{d.matchKeys.length ? d.matchKeys.join(", ") : "—"}</dd>
              <dt>Attempts</dt>
              <dd>{d.attempts}</dd>
              {d.status === "pending" ? (
                <>
                  <dt>Next attempt</dt>
                  <dd>{formatDate(d.nextAttemptAt, "datetime")}</dd>
                </>
              ) : null}
              {d.deliveredAt ? (
                <>
                  <dt>Delivered</dt>
                  <dd>{formatDate(d.deliveredAt, "datetime")}</dd>
                </>
              ) : null}
            </dl>
            <h3>Attempts</h3>
            {d.attemptLog.length === 0 ? (
              <p className="hint">Not tried yet.</p>
            ) : (
              <ol className="attempts">
                {d.attemptLog.map((a) => (
                  <li key={a.id}>
                    <p>
                      <strong>{formatDate(a.attemptedAt, "datetime")}</strong> — {a.status}
                      {a.httpStatus !== null ? `, HTTP ${a.httpStatus}` : ""}{a.durationMs !== null ? `, ${a.durationMs} ms` : ""}
                    </p>
                    {a.responseExcerpt ? (
                      <pre className="response" aria-label="Platform response">
                        {a.responseExcerpt}
                      </pre>
                    ) : (
                      <p className="hint">{a.status === "accepted" ? "Accepted (the platform's answer says nothing more per event)." : "No response kept."}</p>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </>
        ) : null}
      </aside>
    </div>
  );
}
