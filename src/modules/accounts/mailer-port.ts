/**
 * The e-mail port the accounts module sends invitations through. The auth module provides
 * the real one (Resend + its emulator) as `ctx.mailer`; this local type has the same shape
 * so switching is one import.
 */
export interface Mailer {
  /**
   * Sends one e-mail. `idempotencyKey` makes a retried send deliver once.
   * @throws ProviderError when the provider refuses or is unreachable.
   */
  sendEmail(message: { to: string; subject: string; html: string; text: string; idempotencyKey: string }): Promise<{ id: string }>;
}

/** Outbox kept in memory: what runs until the real mailer is wired, and what tests read. */
export interface MemoryMailer extends Mailer {
  sent: { to: string; subject: string; html: string; text: string; idempotencyKey: string }[];
}
