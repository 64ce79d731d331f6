export { createGoogleSignIn } from "./create-google-sign-in";
export { createGoogleDataManager, GOOGLE_INGEST_BATCH_LIMIT } from "./create-google-data-manager";
