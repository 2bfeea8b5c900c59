export * from './case.service-definition';
