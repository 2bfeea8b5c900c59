export * from './business-calendar';
export * from './ics';
export * from './sla-policy';
export * from './escalation-plan';
export * from './warranty-extension';
