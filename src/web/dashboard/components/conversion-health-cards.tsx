import { PLATFORM_LABELS, REASON_LABELS, type DestinationHealth } from "../lib/conversion-types";
import { formatNumber } from "../lib/format-number";

const share = (n: number, of: number) => (of === 0 ? "" : ` (${Math.round((n / of) * 100)}%)`);

/**
 * Health per destination over the chosen range: delivered, rejected, not sent, pending,
 * deduplicated, how many delivered events carried each match key, and the reasons.
 */
export function ConversionHealthCards({ health }: { health: DestinationHealth[] }) {
  if (health.length === 0) return <p className="hint">No destinations yet: connect a platform below.</p>;
  return (
    <ul className="cards health-cards">
      {health.map((h) => {
        const keys = Object.entries(h.matchKeys).sort((a, b) => b[1] - a[1]);
        const reasons = Object.entries(h.reasons).sort((a, b) => b[1] - a[1]);
        return (
          <li key={h.destinationId} className="card">
            <section aria-label={`${PLATFORM_LABELS[h.platform]} health`}>
              <h3 className="card-title">
                {PLATFORM_LABELS[h.platform]} {h.enabled ? null : <span className="badge badge-draft">Off</span>}
              </h3>
              <dl className="stats">
                {(
                  [
                    ["Delivered", h.delivered],
                    ["Rejected", h.rejected],
                    ["Not sent", h.dropped],
                    ["Pending", h.pending],
                    ["Deduplicated", h.deduplicated],
                  ] as const
                ).map(([label, n]) => (
                  <div className="stat" key={label}>
                    <dt className="stat-label">{label}</dt>
                    <dd className="stat-value">{formatNumber(n)}</dd>
                  </div>
                ))}
              </dl>
              <p className="hint">
                Match keys present:{" "}
                {keys.length === 0 ? "none yet" : keys.map(([k, n]) => `${k} ${formatNumber(n)}${share(n, h.delivered)}`).join(", ")}
              </p>
              {reasons.length > 0 ? (
                <p className="hint">
                  Not delivered because: {reasons.map(([r, n]) => `${REASON_LABELS[r] ?? r} ${formatNumber(n)}`).join("; ")}
                </p>
              ) : null}
            </section>
          </li>
        );
      })}
    </ul>
  );
}
