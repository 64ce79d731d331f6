import { z } from "zod";
import type { ResendConfig } from "../../../config";
import { createHttpClient, type FailureClassification, type HttpFailure } from "../../../lib/http/index";
import type { Logger } from "../../../lib/logger";
import type { Mailer } from "../port";

const sendResponse = z.object({ id: z.string().min(1) });

/** Resend's error body: `{ statusCode, name, message }` (https://resend.com/docs/api-reference/errors). */
function classify(failure: HttpFailure): FailureClassification | undefined {
  const body = failure.body as { name?: unknown; message?: unknown } | undefined;
  const name = typeof body?.name === "string" ? body.name : undefined;
  const detail = typeof body?.message === "string" ? `${name ?? "error"}: ${body.message}` : name;
  if (failure.status === 401 || failure.status === 403) return { kind: "unauthorized", ...(detail ? { detail } : {}) };
  return { kind: "bad_request", ...(detail ? { detail } : {}) };
}

/**
 * The Resend client: `POST {apiUrl}/emails` with `Authorization: Bearer <key>` and an
 * optional `Idempotency-Key` header (https://resend.com/docs/api-reference/emails/send-email).
 * A send with an idempotency key is retried after an ambiguous failure (5xx, timeout):
 * Resend answers the first id for the same key, so a retry cannot send twice.
 * Errors: see `Mailer.sendEmail`.
 */
export function createResendMailer(config: ResendConfig, deps: { fetch?: typeof fetch; logger?: Logger; sleep?: (ms: number) => Promise<void> }): Mailer {
  const http = createHttpClient({
    provider: "resend",
    baseUrl: config.apiUrl,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    secrets: [config.apiKey],
    classify,
  });
  return {
    async sendEmail(email) {
      const headers: Record<string, string> = { authorization: `Bearer ${config.apiKey}` };
      if (email.idempotencyKey) headers["idempotency-key"] = email.idempotencyKey;
      return http.request({
        method: "POST",
        path: "/emails",
        headers,
        json: { from: config.from, to: [email.to], subject: email.subject, html: email.html, text: email.text },
        schema: sendResponse,
        idempotent: Boolean(email.idempotencyKey),
      });
    },
  };
}
