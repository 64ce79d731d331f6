export { createResendMailer } from "./create-resend-mailer";
