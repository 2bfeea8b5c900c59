export * from './intake.service-definition';
/** the SMTP listener, so that a launcher or a test can read the port it bound */
export { SmtpListener } from './channels';
