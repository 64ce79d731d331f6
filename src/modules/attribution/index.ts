/** Attribution module: landing context, visit classification, visitor hashing, fan sync. */
export { readLandingContext, CLICK_ID_PARAMS, type ReadLandingContextInput } from "./read-landing-context";
export { detectInAppBrowser, type InAppBrowser } from "./detect-in-app-browser";
export { classifyVisit, type ClassifyVisitInput, type VisitReason, type VisitVerdict } from "./classify-visit";
export { classifyDevice, type DeviceClass } from "./classify-device";
export { hashVisitor, VISITOR_HASH_LENGTH, type HashVisitorInput } from "./hash-visitor";
export { planFanSync, FAN_SYNC_SPREAD_MS } from "./plan-fan-sync";
export { syncFan, RECENTLY_PLAYED_PAGE, type SyncFanResult, type SyncFanOutcome } from "./sync-fan";
export { confirmRevocation, REVOCATION_BURST, type ConfirmRevocationOutcome } from "./confirm-revocation";
export { resumeDeletions } from "./resume-deletions";
export { deriveStreams, type DerivedStream, type DeriveStreamsResult } from "./derive-streams";
export { findFanEngagement, TOUCHPOINT_TYPES, type EngagedRelease, type FanEngagement, type Touchpoint } from "./find-fan-engagement";
export { takeRateTokens } from "./take-rate-tokens";
