/** Attribution module: landing context, visit classification, visitor hashing. */
export { readLandingContext, CLICK_ID_PARAMS, type ReadLandingContextInput } from "./read-landing-context";
export { detectInAppBrowser, type InAppBrowser } from "./detect-in-app-browser";
export { classifyVisit, type ClassifyVisitInput, type VisitReason, type VisitVerdict } from "./classify-visit";
export { classifyDevice, type DeviceClass } from "./classify-device";
export { hashVisitor, VISITOR_HASH_LENGTH, type HashVisitorInput } from "./hash-visitor";
