import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ConversionDeliveryLog } from "../components/conversion-delivery-log";
import { ConversionDestinations } from "../components/conversion-destinations";
import { ConversionHealthCards } from "../components/conversion-health-cards";
import { ConversionMappingEditor } from "../components/conversion-mapping-editor";
import { DateRangePicker, lastDays, rangeProblem, type DateRange } from "../components/date-range-picker";
import { ErrorMessage } from "../components/error-message";
import { Loading } from "../components/loading";
import { UnknownArtist } from "../components/unknown-artist";
import { ViewerNote } from "../components/viewer-note";
import type { ConversionDestination, ConversionHealth, ConversionMapping } from "../lib/conversion-types";
import { requestApi } from "../lib/request-api";
import { roleAtLeast } from "../lib/role-at-least";
import type { Me } from "../lib/types";
import { usePageTitle } from "../lib/use-page-title";

/**
 * Server-side conversions of an artist (`/artists/:artistId/conversions`): health per
 * destination over a date range, the destinations (Meta, Google Ads, Reddit; admins connect
 * and change them), the event mapping (editors), and the delivery log with a detail drawer.
 * Viewers see everything read-only.
 */
export function ConversionsPage({ me, artistId }: { me: Me; artistId: string }) {
  const known = me.artists.find((a) => a.id === artistId);
  usePageTitle(known ? `${known.name} — conversions` : "Conversions");
  const [range, setRange] = useState<DateRange>(() => lastDays(28));
  const id = encodeURIComponent(artistId);
  const destinations = useQuery({
    queryKey: ["conversion-destinations", artistId],
    queryFn: async () => (await requestApi<{ data: ConversionDestination[] }>(`/api/v1/artists/${id}/conversions/destinations`)).data.data,
    enabled: Boolean(known),
  });
  const mappings = useQuery({
    queryKey: ["conversion-mappings", artistId],
    queryFn: async () => (await requestApi<{ data: ConversionMapping[] }>(`/api/v1/artists/${id}/conversions/mappings`)).data.data,
    enabled: Boolean(known),
  });
  const health = useQuery({
    queryKey: ["conversion-health", artistId, range.from, range.to],
    queryFn: async () => (await requestApi<ConversionHealth>(`/api/v1/artists/${id}/conversions/health?from=${range.from}&to=${range.to}`)).data,
    enabled: Boolean(known) && !rangeProblem(range),
    placeholderData: keepPreviousData,
  });

  if (!known) return <UnknownArtist />;
  const canEdit = roleAtLeast(known.role, "editor");
  const canManage = roleAtLeast(known.role, "admin");
  const connected = destinations.data ?? [];
  return (
    <section className="page" aria-labelledby="conversions-title">
      <p className="eyebrow">{known.name}</p>
      <h1 id="conversions-title">Conversions</h1>
      <p className="hint">
        Saves, follows, pre-saves, service clicks and streams are sent server-side to the ad platforms you connect, for fans who came from their ads and gave ad consent. Each platform gets the same event id as its pixel, so nothing counts twice.
      </p>
      {canEdit ? null : <ViewerNote what="conversion settings and the delivery log" />}
      {canEdit && !canManage ? <p className="notice notice-info">Only admins of {known.name} connect or change destinations; you can edit the event mapping and send test events.</p> : null}

      <h2>Health</h2>
      <DateRangePicker value={range} onChange={setRange} />
      {health.isPending && !rangeProblem(range) ? <Loading label="Loading health…" /> : null}
      {health.isError ? <ErrorMessage error={health.error} onRetry={() => void health.refetch()} title="Could not load health" /> : null}
      {health.data ? <ConversionHealthCards health={health.data.data} /> : null}

      <h2>Destinations</h2>
      {destinations.isPending ? <Loading label="Loading destinations…" /> : null}
      {destinations.isError ? <ErrorMessage error={destinations.error} onRetry={() => void destinations.refetch()} title="Could not load destinations" /> : null}
      {destinations.data ? <ConversionDestinations artistId={artistId} destinations={destinations.data} canManage={canManage} canTest={canEdit} /> : null}

      <h2>Event mapping</h2>
      <p className="hint">What each Backbeat event is called on each platform, whether it is sent, and an optional value. Leave a name blank for the default shown.</p>
      {mappings.isPending ? <Loading label="Loading the mapping…" /> : null}
      {mappings.isError ? <ErrorMessage error={mappings.error} onRetry={() => void mappings.refetch()} title="Could not load the mapping" /> : null}
      {mappings.data && destinations.data ? <ConversionMappingEditor artistId={artistId} mappings={mappings.data} platforms={connected.map((d) => d.platform)} canEdit={canEdit} /> : null}

      <h2>Delivery log</h2>
      <ConversionDeliveryLog artistId={artistId} destinations={connected} />
    </section>
  );
}
