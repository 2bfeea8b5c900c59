export * from './spares.service-definition';
