export { createMetaSignIn } from "./create-meta-sign-in";
export { createMetaConversions, META_CAPI_BATCH_LIMIT } from "./create-meta-conversions";
