/**
 * Whether a fan's conversions may go to ad platforms (P12): true only with ad consent and
 * no restriction / objection on processing. Injected (runtime option `consentGate`) so the
 * delivery code does not depend on how consent is stored. The runtime wires `hasAdConsent`
 * (consent records + CONSENT_MODE); tests may inject their own gate.
 */
export interface ConsentGate {
  hasAdConsent(input: { playUserId?: string | null; consentSubject?: string | null }): Promise<boolean>;
}

/** A gate that refuses everyone (nothing is sent, queued rows are dropped); for tests and tools. */
export const DENY_ALL_CONSENT: ConsentGate = { hasAdConsent: async () => false };
