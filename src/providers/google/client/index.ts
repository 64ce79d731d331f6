export { createGoogleSignIn } from "./create-google-sign-in";
