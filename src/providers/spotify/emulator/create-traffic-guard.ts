import type { Context, MiddlewareHandler } from "hono";
import type { EmulatorState } from "./create-emulator-state";

const FAULT_MESSAGES: Record<number, string> = {
  429: "API rate limit exceeded",
  500: "Server error.",
  502: "Bad gateway.",
  503: "Service unavailable",
};

/** Path relative to the mount point, whether or not the app is mounted. */
function relativePath(state: EmulatorState, c: Context): string {
  const p = c.req.path;
  const base = state.options.basePath.replace(/\/+$/, "");
  return base && p.startsWith(base) ? p.slice(base.length) || "/" : p;
}

function failure(c: Context, surface: "api" | "accounts", status: 429 | 500 | 502 | 503, retryAfterSeconds: number | undefined): Response {
  if (status === 429) c.header("Retry-After", String(retryAfterSeconds ?? 1));
  const message = FAULT_MESSAGES[status] ?? "Server error.";
  if (surface === "api") return c.json({ error: { status, message } }, status);
  return c.json({ error: status === 429 ? "temporarily_unavailable" : "server_error", error_description: message }, status);
}

/**
 * Middleware for injected faults (queue, consumed in order by the first matching request)
 * and, on the Web API, the app-wide sliding-window rate limit. `Retry-After` is in seconds.
 */
export function createTrafficGuard(state: EmulatorState, surface: "api" | "accounts"): MiddlewareHandler {
  return async (c, next) => {
    const path = relativePath(state, c);
    const index = state.faults.findIndex((f) => f.times > 0 && path.startsWith(f.pathPrefix) && (!f.method || f.method.toUpperCase() === c.req.method));
    const fault = index >= 0 ? state.faults[index] : undefined;
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) state.faults.splice(index, 1);
      // Real time on purpose: the delay simulates a slow upstream for timeouts.
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      return failure(c, surface, fault.status, fault.retryAfterSeconds);
    }

    if (surface === "api" && state.rateLimit) {
      const nowMs = state.options.clock.now().getTime();
      const windowMs = state.rateLimit.windowSeconds * 1000;
      state.recentRequests = state.recentRequests.filter((t) => t > nowMs - windowMs);
      if (state.recentRequests.length >= state.rateLimit.maxRequests) {
        const oldest = state.recentRequests[0] ?? nowMs;
        const retryAfter = Math.max(1, Math.ceil((oldest + windowMs - nowMs) / 1000));
        return failure(c, surface, 429, retryAfter);
      }
      state.recentRequests.push(nowMs);
    }
    await next();
  };
}
