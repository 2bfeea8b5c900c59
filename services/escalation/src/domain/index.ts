export * from '@aftersales/calendar';
export * from './sla-policy';
export * from './escalation-plan';
export * from './warranty-extension';
