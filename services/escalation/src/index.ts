export * from './escalation.service-definition';
/** for tests that run the real service and tick its deadline worker after stepping the clock */
export { DeadlineWorker } from './deadlines';
