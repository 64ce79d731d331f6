/**
 * Whether a fan's conversions may go to ad platforms (P12): true only with ad consent and
 * no restriction / objection on processing. Injected (runtime option `consentGate`) so the
 * conversions module does not depend on how consent is stored; the consent side of issue 5
 * provides `hasAdConsent` from `src/modules/conversions/index.ts`, which the integrator wires
 * here. Until then the runtime default refuses everyone (nothing is sent).
 */
export interface ConsentGate {
  hasAdConsent(input: { playUserId?: string | null; consentSubject?: string | null }): Promise<boolean>;
}

/** The safe default: no consent known → nothing is sent, queued rows are dropped. */
export const DENY_ALL_CONSENT: ConsentGate = { hasAdConsent: async () => false };
