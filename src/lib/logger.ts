import pino, { type Logger } from "pino";

export type { Logger };

/**
 * Paths pino censors in every log line (P02: no token, key or secret in logs).
 * Values are replaced with "[redacted]"; the key stays so a reader sees it was there.
 */
export const REDACT_PATHS = [
  "*.access_token",
  "*.refresh_token",
  "*.accessToken",
  "*.refreshToken",
  "*.client_secret",
  "*.code_verifier",
  "*.code",
  "*.password",
  "*.secret",
  "*.authorization",
  "*.cookie",
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "headers.authorization",
  "headers.cookie",
];

/**
 * Error serializer that keeps what helps debugging (type, message, stack, codes, cause)
 * but never query parameters: a failed SQL statement carries them in its message
 * (`…\nparams: …`) and in a `params` field, and they can be sealed tokens or fan data (P02).
 */
export function serializeError(err: unknown): unknown {
  const scrub = (value: unknown, depth: number): unknown => {
    if (depth > 5 || value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (key === "params" || key === "parameters") continue;
      out[key] = typeof v === "string" ? v.replace(/\nparams: [\s\S]*/, "\nparams: [redacted]") : scrub(v, depth + 1);
    }
    return out;
  };
  return scrub(pino.stdSerializers.errWithCause(err as Error), 0);
}

export function createLogger(options: { level: string; pretty?: boolean; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      serializers: { err: serializeError },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
