import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, requestApi } from "../lib/request-api";
import type { LinkService, ServiceOption } from "../lib/types";
import { ErrorMessage } from "./error-message";
import { Field } from "./field";

interface Props {
  services: LinkService[];
  onChange: (services: LinkService[]) => void;
  /** The last save's error: its `services.N.url` details are shown on row N. */
  saveError: ApiError | null;
}

/** Why `url` cannot be listed for `service`, or undefined when it looks right. */
function urlProblem(url: string, service: ServiceOption | undefined): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "Enter a full link starting with https://";
  }
  if (parsed.protocol !== "https:") return "The link must start with https://";
  if (service && service.hosts.length > 0 && !service.hosts.some((h) => parsed.hostname === h || parsed.hostname.endsWith(`.${h}`))) {
    return `That is not a ${service.name} link (expected ${service.hosts.join(" or ")}).`;
  }
  return undefined;
}

/**
 * The streaming services on a smart link, in page order: move up / down with buttons
 * (keyboard friendly; the move is announced), show / hide, remove, and add one by URL,
 * checked here for shape and host and by the API on save.
 */
export function ServicesEditor({ services, onChange, saveError }: Props) {
  const catalog = useQuery({ queryKey: ["services"], queryFn: async () => (await requestApi<{ data: ServiceOption[] }>("/api/v1/services")).data.data, staleTime: Infinity });
  const [announcement, setAnnouncement] = useState("");
  const [newService, setNewService] = useState("");
  const [newUrl, setNewUrl] = useState("");
  const [addError, setAddError] = useState<string | undefined>();
  const nameOf = (id: string) => catalog.data?.find((s) => s.id === id)?.name ?? id;
  const available = (catalog.data ?? []).filter((s) => !services.some((l) => l.service === s.id));

  const move = (index: number, by: -1 | 1) => {
    const to = index + by;
    if (to < 0 || to >= services.length) return;
    const next = [...services];
    const [item] = next.splice(index, 1);
    next.splice(to, 0, item!);
    onChange(next);
    setAnnouncement(`${nameOf(item!.service)} moved to position ${to + 1} of ${next.length}.`);
  };
  const add = () => {
    const service = catalog.data?.find((s) => s.id === newService);
    if (!service) {
      setAddError("Choose a service.");
      return;
    }
    const problem = urlProblem(newUrl.trim(), service);
    if (problem) {
      setAddError(problem);
      return;
    }
    onChange([...services, { service: service.id, url: newUrl.trim(), hidden: false }]);
    setAnnouncement(`${service.name} added at position ${services.length + 1}.`);
    setNewService("");
    setNewUrl("");
    setAddError(undefined);
  };

  return (
    <fieldset className="services">
      <legend>Streaming services</legend>
      <p className="hint">Fans see the visible services in this order.</p>
      {services.length === 0 ? <p className="muted">No services yet. Add one below.</p> : null}
      <ol className="service-list">
        {services.map((s, i) => {
          const name = nameOf(s.service);
          const rowError = saveError?.fieldMessage(`services.${i}.url`) ?? saveError?.fieldMessage(`services.${i}`);
          return (
            <li key={s.service} className={s.hidden ? "service service-hidden" : "service"} data-testid="service-row">
              <div className="service-main">
                <strong>{name}</strong>
                {s.hidden ? <span className="badge badge-draft">Hidden</span> : null}
                <Field label={`${name} link`} error={rowError}>
                  {(p) => (
                    <input
                      {...p}
                      type="url"
                      value={s.url}
                      onChange={(e) => onChange(services.map((x, j) => (j === i ? { ...x, url: e.target.value } : x)))}
                    />
                  )}
                </Field>
              </div>
              <div className="actions service-actions">
                <button type="button" className="button button-small" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move ${name} up`}>
                  ↑ Up
                </button>
                <button type="button" className="button button-small" onClick={() => move(i, 1)} disabled={i === services.length - 1} aria-label={`Move ${name} down`}>
                  ↓ Down
                </button>
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`${s.hidden ? "Show" : "Hide"} ${name}`}
                  onClick={() => onChange(services.map((x, j) => (j === i ? { ...x, hidden: !x.hidden } : x)))}
                >
                  {s.hidden ? "Show" : "Hide"}
                </button>
                <button
                  type="button"
                  className="button button-small button-danger"
                  aria-label={`Remove ${name}`}
                  onClick={() => {
                    onChange(services.filter((_, j) => j !== i));
                    setAnnouncement(`${name} removed.`);
                  }}
                >
                  Remove
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {catalog.isError ? <ErrorMessage error={catalog.error} onRetry={() => void catalog.refetch()} title="Could not load the list of services" /> : null}
      {available.length > 0 ? (
        <div className="add-service">
          <h3>Add a service</h3>
          <div className="grid-2">
            <Field label="Service">
              {(p) => (
                <select {...p} value={newService} onChange={(e) => setNewService(e.target.value)}>
                  <option value="">Choose…</option>
                  {available.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Link to the release on that service" error={addError}>
              {(p) => (
                <input
                  {...p}
                  type="url"
                  inputMode="url"
                  value={newUrl}
                  onChange={(e) => setNewUrl(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter") {
                      e.preventDefault();
                      add();
                    }
                  }}
                />
              )}
            </Field>
          </div>
          <button type="button" className="button" onClick={add}>
            Add service
          </button>
        </div>
      ) : null}
    </fieldset>
  );
}
