export * from './escalation.service-definition';
