import type { Logger } from "../../lib/logger";
import type { MemoryMailer } from "./mailer-port";

/**
 * A mailer that keeps messages in memory (deduplicated by idempotency key) and logs the
 * recipient and subject only. Stand-in until the Resend mailer of the auth module is wired.
 */
export function createMemoryMailer(logger?: Logger): MemoryMailer {
  const sent: MemoryMailer["sent"] = [];
  return {
    sent,
    async sendEmail(message) {
      const seen = sent.findIndex((m) => m.idempotencyKey === message.idempotencyKey);
      if (seen >= 0) return { id: `mem_${seen}` };
      sent.push(message);
      logger?.info({ to: message.to, subject: message.subject }, "e-mail kept in memory (no mail provider wired)");
      return { id: `mem_${sent.length - 1}` };
    },
  };
}
