/** The privacy module's public face. */
export { privacyRoutes, answerErasureCallback } from "./routes";
export { eraseFanOnRequest } from "./erase-fan-on-request";
