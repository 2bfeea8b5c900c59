export * from './intake.service-definition';
/** the SMTP listener, so that a launcher or a test can read the port it bound */
export { SmtpListener } from './channels';
/** the maintenance timer, so that a test on a stepped clock can run its tick */
export { MaintenanceScheduler } from './maintenance';
