export * from './intake.service-definition';
