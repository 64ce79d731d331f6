export { createMetaSignIn } from "./create-meta-sign-in";
