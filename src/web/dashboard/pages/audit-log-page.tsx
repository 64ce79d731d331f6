import { useInfiniteQuery } from "@tanstack/react-query";
import { EmptyState } from "../components/empty-state";
import { ErrorMessage } from "../components/error-message";
import { Loading } from "../components/loading";
import { formatDate } from "../lib/format-date";
import { requestApi } from "../lib/request-api";
import { roleAtLeast } from "../lib/role-at-least";
import type { AuditEntry, Me, Page } from "../lib/types";
import { usePageTitle } from "../lib/use-page-title";
import type { TeamScope } from "./team-page";

function actorOf(entry: AuditEntry): string {
  const a = entry.actor;
  if (a.kind === "api_key") return `API key ${a.apiKeyName ?? a.apiKeyId ?? ""}`.trim();
  if (a.kind === "system") return "Backbeat";
  return a.name ?? a.userId ?? "Someone";
}

/** Who did what, when, newest first (admins of the organization or artist); cursor "Load more". */
export function AuditLogPage({ me, scope }: { me: Me; scope: TeamScope }) {
  const owner = scope.kind === "organization" ? me.organizations.find((o) => o.id === scope.id) : me.artists.find((a) => a.id === scope.id);
  usePageTitle(owner ? `${owner.name} — audit log` : "Audit log");
  const isAdmin = roleAtLeast(owner?.role, "admin");
  const path = `/api/v1/${scope.kind === "organization" ? "organizations" : "artists"}/${encodeURIComponent(scope.id)}/audit-log`;
  const log = useInfiniteQuery({
    queryKey: ["audit-log", scope.kind, scope.id],
    queryFn: async ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: "50" });
      if (pageParam) params.set("cursor", pageParam);
      return (await requestApi<Page<AuditEntry>>(`${path}?${params}`, { signal })).data;
    },
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: isAdmin,
  });
  if (!owner || !isAdmin) {
    return (
      <section className="page">
        <h1>Audit log</h1>
        <p className="notice notice-info">Only admins can see the audit log.</p>
      </section>
    );
  }
  const entries = log.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <section className="page" aria-labelledby="audit-title">
      <p className="eyebrow">{owner.name}</p>
      <h1 id="audit-title">Audit log</h1>
      <p>Every change to {owner.name}: who made it, when, and from which session or API key.</p>
      {log.isPending ? <Loading label="Loading the audit log…" /> : null}
      {log.isError && !log.isFetchNextPageError ? <ErrorMessage error={log.error} onRetry={() => void log.refetch()} title="Could not load the audit log" /> : null}
      {log.isSuccess && entries.length === 0 ? <EmptyState title="Nothing has happened yet." /> : null}
      {entries.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Audit log entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.at}>{formatDate(e.at, "datetime")}</time>
                  </td>
                  <td>
                    {actorOf(e)}
                    {e.sessionId ? <span className="muted"> · session {e.sessionId.slice(-6)}</span> : null}
                  </td>
                  <td>
                    {e.summary}
                    <br />
                    <code className="muted">{e.action}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {log.hasNextPage ? (
        <button type="button" className="button" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
          {log.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      ) : null}
      {log.isFetchNextPageError ? <ErrorMessage error={log.error} title="Could not load more" /> : null}
    </section>
  );
}
