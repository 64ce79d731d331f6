import type { Db } from "../../db/client";

/**
 * Whether a fan's conversions may go to ad platforms (P12): true only with ad consent and
 * no restriction / objection on processing. Injected (runtime option `consentGate`) so the
 * delivery code does not depend on how consent is stored. The runtime wires `hasAdConsent`
 * (consent records + CONSENT_MODE); tests may inject their own gate.
 */
export interface ConsentGate {
  /**
   * `db`: the caller's transaction, when it holds one (outbox rows are written in the
   * event's transaction; on embedded PGlite a query outside it would wait for it to end).
   */
  hasAdConsent(input: { playUserId?: string | null; consentSubject?: string | null }, db?: Db): Promise<boolean>;
}

/** A gate that refuses everyone (nothing is sent, queued rows are dropped); for tests and tools. */
export const DENY_ALL_CONSENT: ConsentGate = { hasAdConsent: async () => false };
