/**
 * What Backbeat needs from an e-mail service: send one transactional mail.
 * Implemented by the Resend client (live or against the emulator).
 */
export interface OutgoingEmail {
  /** One recipient address. */
  to: string;
  subject: string;
  html: string;
  /** Plain-text alternative (always sent: some clients and filters prefer it). */
  text: string;
  /**
   * Same key within 24 h → the provider answers the first send's id and sends nothing
   * again (Resend: https://resend.com/docs/dashboard/emails/idempotency-keys). ≤ 256 chars.
   */
  idempotencyKey?: string;
}

export interface Mailer {
  /**
   * Sends one e-mail. Returns the provider's message id.
   * @throws ProviderError (`bad_request` for a refused message, `rate_limited` with
   *   `retryAfterMs`, `unavailable` for 5xx/timeouts, `unauthorized` for a bad key).
   */
  sendEmail(email: OutgoingEmail): Promise<{ id: string }>;
}
