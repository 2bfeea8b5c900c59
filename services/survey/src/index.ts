export * from './survey.service-definition';
